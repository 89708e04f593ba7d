using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Tracker.Web.Data;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>The service on a PostgreSQL of its own, which the tests stop and start (the shared test server must not be).</summary>
public sealed class RestartableApp : TrackerApp
{
    private LocalPostgres? _server;

    public override async Task InitializeAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"tracker-tests-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        _server = await LocalPostgres.StartAsync(directory, "tracker_restart", ephemeral: true, NullLogger.Instance);
        await using (var db = new TrackerDbContext(new DbContextOptionsBuilder<TrackerDbContext>()
            .UseNpgsql(_server.ConnectionString).UseSnakeCaseNamingConvention().Options))
            await db.Database.MigrateAsync();
        ConnectionString = _server.ConnectionString;
    }

    public Task StopDatabaseAsync() => PgCtlAsync("stop", "-m", "fast");

    /// <summary>Starts it again with the options it last ran with (pg_ctl keeps them in postmaster.opts).</summary>
    public Task StartDatabaseAsync() => PgCtlAsync("restart", "-l", Path.Combine(_server!.DataDirectory, "postgres.log"));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    private async Task PgCtlAsync(params string[] arguments)
    {
        var pgCtl = Path.Combine(PgBin(), "pg_ctl");
        var root = Environment.UserName == "root";
        var start = new ProcessStartInfo(root ? "runuser" : pgCtl) { WorkingDirectory = "/", RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (root ? ["-u", "postgres", "--", pgCtl] : Array.Empty<string>()).Concat(arguments).Concat(["-D", _server!.DataDirectory, "-w"]))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        // "restart" of a stopped server says so and starts it anyway.
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"pg_ctl {string.Join(' ', arguments)}: {await output}{await errors}");
    }

    private static string PgBin() => Environment.GetEnvironmentVariable("TRACKER_PG_BIN") is { Length: > 0 } configured ? configured
        : Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : -1)
            .Select(d => Path.Combine(d, "bin")).First(d => File.Exists(Path.Combine(d, "pg_ctl")));
}

public sealed class DatabaseRestartTests(RestartableApp app) : IClassFixture<RestartableApp>
{
    [Fact]
    public async Task While_postgresql_is_down_requests_answer_503_with_retry_after_and_a_read_during_a_restart_is_retried_to_success()
    {
        var admin = await app.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/initiatives")).StatusCode);

        await app.StopDatabaseAsync();
        var started = false;
        try
        {
            var down = await admin.GetAsync("/api/initiatives");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.True(down.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, "a 503 says when to try again");
            Assert.Equal("The database is restarting or out of reach.", (await app.ReadAsync<ProblemDetails>(down)).Title);

            var page = await app.CreateClient().GetAsync("/public");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.NotNull(page.Headers.RetryAfter);

            // A read sent while the server is down, which comes back a moment later: retried, not failed.
            var read = admin.GetAsync("/api/initiatives");
            await app.StartDatabaseAsync();
            started = true;
            Assert.Equal(HttpStatusCode.OK, (await read).StatusCode);
        }
        finally
        {
            if (!started)
                await app.StartDatabaseAsync();
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/initiatives")).StatusCode);
    }
}
