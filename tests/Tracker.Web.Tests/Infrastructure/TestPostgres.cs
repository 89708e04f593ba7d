using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tracker.Web.Data;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL for the whole test run, started from the machine's binaries. A template
/// database is migrated once; each test class gets its own copy of it (CREATE DATABASE … TEMPLATE),
/// so classes run in parallel without seeing each other's rows.
/// </summary>
public static class TestPostgres
{
    private const string Template = "tracker_template";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static LocalPostgres? _server;

    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await ServerAsync();
        var name = $"t_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(With(server.ConnectionString, "postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{Template}\"", connection);
        // Cloning needs the template to have no other session; serialize the clones.
        await Gate.WaitAsync();
        try { await command.ExecuteNonQueryAsync(); }
        finally { Gate.Release(); }
        return With(server.ConnectionString, name);
    }

    private static async Task<LocalPostgres> ServerAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_server is not null)
                return _server;
            RemoveLeftovers();
            var directory = Path.Combine(Path.GetTempPath(), $"tracker-tests-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
            var server = await LocalPostgres.StartAsync(directory, Template, ephemeral: true, NullLogger.Instance);
            var options = new DbContextOptionsBuilder<TrackerDbContext>()
                .UseNpgsql(server.ConnectionString).UseSnakeCaseNamingConvention().Options;
            await using (var db = new TrackerDbContext(options))
            {
                await db.Database.MigrateAsync();
                // The history tables have a partition per year and no default one (decision 0020); the migration makes
                // the years around today's date, but the tests' clock starts in TrackerApp.Start's year whenever they run,
                // and some walk it years ahead (the kept figures' random series) where no daily job runs.
                await db.Database.ExecuteSqlAsync($"SELECT tracker_ensure_year_partitions(y) FROM generate_series({TrackerApp.Start.Year - 1}, {TrackerApp.Start.Year + 10}) AS y");
            }
            NpgsqlConnection.ClearAllPools();
            return _server = server;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// The test host may be ended before its exit handler has deleted the cluster, so each run removes the
    /// folders of earlier runs whose process is gone.
    /// </summary>
    private static void RemoveLeftovers()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), "tracker-tests-*"))
        {
            var parts = Path.GetFileName(folder).Split('-');
            if (parts.Length < 3 || !int.TryParse(parts[2], out var pid) || pid == Environment.ProcessId || File.Exists($"/proc/{pid}/stat"))
                continue;
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }                 // another run may be cleaning up the same folder
            catch (UnauthorizedAccessException) { }
        }
    }

    private static string With(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;
}
