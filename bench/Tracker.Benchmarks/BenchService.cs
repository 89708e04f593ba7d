using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;

namespace Tracker.Benchmarks;

/// <summary>What every benchmark starts from: a fresh database and the service's own container, as Program.cs builds it, without HTTP or a Hangfire server.</summary>
internal static class BenchService
{
    public static WebApplication Build(string connectionString, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Tracker"] = connectionString,
            ["Tracker:Seed"] = "false",
            ["Tracker:Reminders:Server"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            // Failed commands are counted by CommandProfiler; EF also logs the expected miss on a fresh database's migrations history.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Query"] = "None",
        });
        builder.AddTrackerServices();
        builder.AddTrackerDatabase();
        builder.AddTrackerAccess();
        builder.AddTrackerJobs();
        configure?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>A scope whose request is an admin's, for the use cases that check who acts.</summary>
    public static AsyncServiceScope AsAdmin(WebApplication app)
    {
        var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "bench"), new Claim(ClaimTypes.Name, "bench"),
                new Claim(ClaimTypes.Role, Roles.Admin)], "bench")),
        };
        return scope;
    }

    /// <summary>Times one run after a full collection, sampling the memory peaks; <paramref name="bytes"/> 0 takes what the run says it wrote.</summary>
    public static async Task<SheetFigure> MeasureAsync(string what, long rows, long bytes, Func<Task<long>> run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var sampler = MemorySampler.Start();
        var clock = Stopwatch.StartNew();
        var written = await run();
        clock.Stop();
        return new SheetFigure(what, rows, clock.Elapsed, bytes == 0 ? written : bytes, sampler.Stop());
    }

    public static Task<SheetFigure> MeasureAsync(string what, long rows, Func<Task> run) => MeasureAsync(what, rows, 0, async () =>
    {
        await run();
        return 0L;
    });

    public static async Task<string> CreateDatabaseAsync(string adminConnectionString, string database, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(ct);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await create.ExecuteNonQueryAsync(ct);
        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database }.ConnectionString;
    }
}
