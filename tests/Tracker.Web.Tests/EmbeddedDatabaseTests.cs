using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>
/// The embedded PostgreSQL: a password (SCRAM) kept owner-only in its folder, an old trust cluster switched on its
/// next start, and no server left running however the start or the service is interrupted.
/// </summary>
[Trait("Category", "EmbeddedDatabase")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]   // as LocalPostgres
public sealed partial class EmbeddedDatabaseTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"tracker-tests-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);

    private string PasswordFile => Path.Combine(_directory, LocalPostgres.PasswordFileName);
    private string HbaFile => Path.Combine(_directory, "pg_hba.conf");

    [Fact]
    public async Task A_new_cluster_asks_for_a_generated_password_kept_owner_only_in_its_folder_and_read_on_the_next_start()
    {
        string password;
        await using (var server = await LocalPostgres.StartAsync(_directory, "tracker", ephemeral: false, NullLogger()))
        {
            password = new NpgsqlConnectionStringBuilder(server.ConnectionString).Password!;
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PasswordFile));
            Assert.Equal(password, (await File.ReadAllTextAsync(PasswordFile)).Trim());
            Assert.True(password.Length >= 32);
            Assert.DoesNotContain(Rules(), rule => rule.EndsWith("trust", StringComparison.Ordinal));
            Assert.All(Rules(), rule => Assert.EndsWith("scram-sha-256", rule));
            await AssertPasswordRequiredAsync(server.ConnectionString);
        }

        await using var again = await LocalPostgres.StartAsync(_directory, "tracker", ephemeral: false, NullLogger());
        Assert.Equal(password, new NpgsqlConnectionStringBuilder(again.ConnectionString).Password);
        await AssertPasswordRequiredAsync(again.ConnectionString);
    }

    [Fact]
    public async Task A_cluster_made_with_trust_gets_a_password_and_scram_on_its_next_start()
    {
        // A cluster as the embedded server made them before: trust for everyone, no password, no password file.
        await using (var server = await LocalPostgres.StartAsync(_directory, "tracker", ephemeral: false, NullLogger()))
        {
            await using var connection = new NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("ALTER ROLE postgres PASSWORD NULL", connection);
            await command.ExecuteNonQueryAsync();
        }
        await File.WriteAllTextAsync(HbaFile, TrustRule().Replace(await File.ReadAllTextAsync(HbaFile), "trust"));
        File.Delete(PasswordFile);
        Assert.Contains(Rules(), rule => rule.EndsWith("trust", StringComparison.Ordinal));

        var warnings = new List<string>();
        await using var switched = await LocalPostgres.StartAsync(_directory, "tracker", ephemeral: false,
            new CallbackLogger((level, message) => { if (level == LogLevel.Warning) warnings.Add(message); }));

        Assert.Contains(warnings, w => w.Contains("switching it to a password", StringComparison.Ordinal));
        Assert.All(Rules(), rule => Assert.EndsWith("scram-sha-256", rule));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PasswordFile));
        await AssertPasswordRequiredAsync(switched.ConnectionString);
    }

    [Theory]
    [InlineData("Creating a PostgreSQL cluster")]   // during initdb
    [InlineData("Starting PostgreSQL on port")]     // during pg_ctl start
    public async Task Cancelling_the_start_at_any_step_leaves_no_server_running(string cancelAt)
    {
        using var cancel = new CancellationTokenSource();
        int? port = null;
        var logger = new CallbackLogger((_, message) =>
        {
            if (PortInMessage().Match(message) is { Success: true } match)
                port = int.Parse(match.Groups[1].Value);
            if (message.StartsWith(cancelAt, StringComparison.Ordinal))
                cancel.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => LocalPostgres.StartAsync(_directory, "tracker", ephemeral: false, logger, cancel.Token));

        AssertNoServer(port);
        Assert.False(Directory.Exists(_directory + ".initdb"), "a half-made cluster was left behind");
    }

    /// <summary>
    /// The real service, as a process, with its embedded database in a new folder: Ctrl-C during initdb, SIGTERM once
    /// PostgreSQL is up (while the service migrates). Either way the process ends and its PostgreSQL with it.
    /// </summary>
    [Theory]
    [InlineData("INT", "Creating a PostgreSQL cluster")]
    [InlineData("TERM", "PostgreSQL started on port")]
    public async Task Stopping_the_service_while_it_prepares_its_database_stops_its_PostgreSQL(string signal, string when)
    {
        var start = ServiceProcess.StartInfo([], new Dictionary<string, string>
        {
            ["ConnectionStrings__Tracker"] = "",
            ["Tracker__LocalDataDirectory"] = _directory,
            ["Tracker__Seed"] = "false",
            ["Tracker__Reminders__Server"] = "false",
            ["Urls"] = "http://127.0.0.1:0",
        });

        using var service = Process.Start(start)!;
        var output = new List<string>();
        int? port = null, postmaster = null;
        var signalled = new TaskCompletionSource();
        service.ErrorDataReceived += (_, e) => { lock (output) output.Add(e.Data ?? ""); };
        service.OutputDataReceived += (_, e) =>
        {
            lock (output) output.Add(e.Data ?? "");
            if (e.Data is null || !e.Data.Contains(when, StringComparison.Ordinal) || signalled.Task.IsCompleted)
                return;
            if (PortInMessage().Match(e.Data) is { Success: true } match)
            {
                port = int.Parse(match.Groups[1].Value);
                postmaster = int.Parse(File.ReadLines(Path.Combine(_directory, "postmaster.pid")).First());
            }
            Process.Start("kill", ["-s", signal, service.Id.ToString()])!.WaitForExit();
            signalled.SetResult();
        };
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await service.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            service.Kill(entireProcessTree: true);
            throw new TimeoutException($"The service did not stop. Output:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
        }
        service.WaitForExit();   // the last lines of output

        var log = string.Join(Environment.NewLine, output);
        Assert.True(signalled.Task.IsCompleted, $"'{when}' never showed. Output:{Environment.NewLine}{log}");
        Assert.True(service.ExitCode == 0, $"exit code {service.ExitCode}. Output:{Environment.NewLine}{log}");
        Assert.Contains("Stopped while preparing the database.", log);
        AssertNoServer(port);
        if (postmaster is { } pid)
            Assert.False(IsLivePostgres(pid), $"the postmaster {pid} still runs");
    }

    public void Dispose()
    {
        foreach (var path in new[] { _directory, _directory + ".initdb" })
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
    }

    private void AssertNoServer(int? port)
    {
        Assert.False(File.Exists(Path.Combine(_directory, "postmaster.pid")), "postmaster.pid is still there");
        var running = Directory.EnumerateDirectories("/proc")
            .Where(dir => int.TryParse(Path.GetFileName(dir), out _))
            .Select(dir => { try { return File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .Where(command => command.Contains($"-D {_directory} ", StringComparison.Ordinal))
            .ToList();
        Assert.True(running.Count == 0, $"still running: {string.Join("; ", running)}");
        if (port is { } p)
        {
            using var client = new TcpClient();
            Assert.ThrowsAny<SocketException>(() => client.Connect("127.0.0.1", p));
        }
    }

    // "pid (comm) state …": an exited postmaster whose parent (here perhaps a container's init) does not reap it stays a zombie.
    private static bool IsLivePostgres(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return stat[(stat.IndexOf('(') + 1)..close] is "postgres" or "postmaster" && stat[close + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task AssertPasswordRequiredAsync(string connectionString)
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            Assert.Equal(1, await command.ExecuteScalarAsync());
        }
        foreach (var password in new string?[] { null, "not-the-password" })
        {
            var without = new NpgsqlConnectionStringBuilder(connectionString) { Password = password, Pooling = false };
            await using var connection = new NpgsqlConnection(without.ConnectionString);
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());
        }
    }

    /// <summary>The rules of pg_hba.conf, without comments, whitespace collapsed.</summary>
    private List<string> Rules() => [.. File.ReadLines(HbaFile)
        .Select(line => line.Split('#')[0].Trim())
        .Where(line => line.Length > 0)
        .Select(line => string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))];

    private static CallbackLogger NullLogger() => new((_, _) => { });

    [GeneratedRegex(@"scram-sha-256")]
    private static partial Regex TrustRule();

    [GeneratedRegex(@"PostgreSQL (?:started )?on port (\d+)")]
    private static partial Regex PortInMessage();

    private sealed class CallbackLogger(Action<LogLevel, string> log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log(logLevel, formatter(state, exception));
    }
}
