using System.Diagnostics;
using System.Runtime.InteropServices;
using Npgsql;

namespace Tracker.Web.Infrastructure;

/// <summary>
/// <c>backup &lt;file&gt;</c> and <c>restore &lt;file&gt;</c>: the service's database, found from the service's own settings
/// (<c>ConnectionStrings:Tracker</c>, or the embedded cluster in <c>Tracker:LocalDataDirectory</c>), dumped with
/// <c>pg_dump --format=custom</c> or restored with <c>pg_restore</c>. An embedded cluster that a running service has
/// started is used as it is; otherwise it is started for the command and stopped after it.
/// </summary>
public static class DatabaseCommands
{
    private const string Usage = "usage: Tracker.Web backup <file> | restore <file>  [--Setting=value …]";

    public static bool IsCommand(string[] args) => args is ["backup" or "restore", ..];

    /// <summary><c>migrate</c>: the service's own start-up preparation (Program.cs), then exit instead of serving.</summary>
    public static bool IsMigrate(string[] args) => args is ["migrate", ..];

    /// <summary>Over every other source: migrating is the point, and no job server may start meanwhile.</summary>
    public static readonly IReadOnlyDictionary<string, string?> MigrateSettings = new Dictionary<string, string?>
    {
        [$"{TrackerOptions.Section}:{nameof(TrackerOptions.Migrate)}"] = "true",
        [$"{Features.Reminders.ReminderOptions.Section}:{nameof(Features.Reminders.ReminderOptions.Server)}"] = "false",
    };

    /// <summary>
    /// What several instances would otherwise each make at their first start, made once by the one migrator: Hangfire's
    /// schema (installed when its storage is first made), and the data-protection key ring — instances started together
    /// on an empty ring each made a key of their own and kept only theirs until their ring's daily refresh, so a token or
    /// cookie one issued was refused by the others (401s through the balancer, found by the cluster benchmark). Protecting
    /// once makes and stores the first key if there is none, and uses the stored one if there is.
    /// </summary>
    public static void PrepareShared(WebApplication app)
    {
        _ = app.Services.GetRequiredService<Hangfire.JobStorage>();
        _ = app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>()
            .CreateProtector("Tracker.Migrate").Protect([1]);
        app.Logger.LogInformation("Migrated; the service was not started (migrate)");
    }

    /// <summary>Runs the command; the process's exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [var verb, var file, .. var settings] || file.StartsWith("--", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        // The same settings as the service: appsettings, the environment's, user secrets in Development, variables, arguments.
        var builder = WebApplication.CreateBuilder(settings);
        await using var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tracker.Database");

        using var stop = new CancellationTokenSource();
        using var signals = new Signals([.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;   // stop the command and the server it started, rather than die and leave it running
                stop.Cancel();
            }))]);

        LocalPostgres? started = null;
        try
        {
            var connectionString = app.Configuration.GetConnectionString("Tracker");
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                var directory = TrackerDatabase.LocalDataDirectory(app.Configuration, app.Environment);
                connectionString = LocalPostgres.RunningServer(directory, TrackerDatabase.EmbeddedDatabaseName);
                if (connectionString is null)
                {
                    started = await LocalPostgres.StartAsync(directory, TrackerDatabase.EmbeddedDatabaseName, ephemeral: false, logger, stop.Token);
                    connectionString = started.ConnectionString;
                }
                else
                    logger.LogInformation("Using the PostgreSQL that a running service started in {Directory}", directory);
            }
            var path = Path.GetFullPath(file);
            if (verb == "backup")
                await BackupAsync(connectionString, path, logger, stop.Token);
            else
                await RestoreAsync(connectionString, path, logger, stop.Token);
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or NpgsqlException or IOException or OperationCanceledException)
        {
            logger.LogCritical("The {Command} failed: {Reason}", verb, e.Message);
            return 1;
        }
        finally
        {
            if (started is not null)
                await started.DisposeAsync();
        }
    }

    /// <summary>A dump in pg_dump's custom format (compressed; pg_restore reads it), written to a temporary file and then moved into place.</summary>
    public static async Task BackupAsync(string connectionString, string file, ILogger logger, CancellationToken ct)
    {
        var temporary = $"{file}.{Guid.NewGuid():N}.partial";
        try
        {
            await RunAsync("pg_dump", connectionString, ["--format=custom", $"--file={temporary}", "--no-password"], ct);
            // The dump holds everything, password hashes included: for its owner's eyes only.
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temporary, file, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        logger.LogInformation("Backed up database {Database} to {File} ({Bytes:N0} bytes)",
            new NpgsqlConnectionStringBuilder(connectionString).Database, file, new FileInfo(file).Length);
    }

    /// <summary>
    /// Replaces the database's contents with the dump's, in one transaction (all or nothing). Refused while anyone else
    /// (the service) is connected to it. Objects are owned by the restoring user, whatever they were in the dump.
    /// </summary>
    public static async Task RestoreAsync(string connectionString, string file, ILogger logger, CancellationToken ct)
    {
        if (!File.Exists(file))
            throw new IOException($"{file} does not exist.");
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new InvalidOperationException("The connection string names no database.");
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var others = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
            var count = (long)(await others.ExecuteScalarAsync(ct))!;
            if (count > 0)
                throw new InvalidOperationException(
                    $"{count} other session(s) are connected to database {database}: stop the service before restoring into it.");
        }
        await RunAsync("pg_restore", connectionString,
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--no-password", $"--dbname={database}", file], ct);
        logger.LogInformation("Restored database {Database} from {File}", database, file);
    }

    /// <summary>Runs a PostgreSQL client program with the connection in libpq's variables (the password never on the command line).</summary>
    private static async Task RunAsync(string tool, string connectionString, IEnumerable<string> arguments, CancellationToken ct)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(LocalPostgres.FindTool(tool)) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["PGHOST"] = connection.Host;
        start.Environment["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = connection.Username;
        start.Environment["PGPASSWORD"] = connection.Password;
        start.Environment["PGDATABASE"] = connection.Database;
        start.Environment["PGSSLMODE"] = connection.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        };
        if (!string.IsNullOrEmpty(connection.Passfile))
            start.Environment["PGPASSFILE"] = connection.Passfile;
        start.Environment["PGAPPNAME"] = $"tracker-{tool}";

        await LocalPostgres.RunToEndAsync(start, ct);
    }

    private sealed class Signals(List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose() => registrations.ForEach(r => r.Dispose());
    }
}
