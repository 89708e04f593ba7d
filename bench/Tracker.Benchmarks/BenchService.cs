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

    public static async Task<string> CreateDatabaseAsync(string adminConnectionString, string database, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(ct);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await create.ExecuteNonQueryAsync(ct);
        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database }.ConnectionString;
    }
}
