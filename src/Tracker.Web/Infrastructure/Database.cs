using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Seed;

namespace Tracker.Web.Infrastructure;

/// <summary>
/// The database the service talks to: the configured one, or an embedded PostgreSQL started from the
/// machine's binaries. Resolved after the host is built so that every configuration source
/// (including a test host's settings) has been applied.
/// </summary>
public sealed class TrackerDatabase : IAsyncDisposable
{
    private LocalPostgres? _embedded;
    private string? _connectionString;

    public string ConnectionString => _connectionString
        ?? throw new InvalidOperationException("The database has not been started yet.");

    public bool IsEmbedded => _embedded is not null;

    public async Task StartAsync(IConfiguration configuration, IHostEnvironment environment, ILogger logger, CancellationToken ct)
    {
        var configured = configuration.GetConnectionString("Tracker");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _connectionString = configured;
            return;
        }

        var dataDirectory = LocalDataDirectory(configuration, environment);
        logger.LogInformation("No connection string 'Tracker' configured: starting an embedded PostgreSQL in {Directory}", dataDirectory);
        _embedded = await LocalPostgres.StartAsync(dataDirectory, EmbeddedDatabaseName, ephemeral: false, logger, ct);
        _connectionString = _embedded.ConnectionString;
    }

    /// <summary>The database's name in the embedded cluster.</summary>
    public const string EmbeddedDatabaseName = "tracker";

    /// <summary>Where the embedded cluster lives: <c>Tracker:LocalDataDirectory</c>, else <c>.data/postgres</c> under the content root.</summary>
    public static string LocalDataDirectory(IConfiguration configuration, IHostEnvironment environment) => Path.GetFullPath(
        configuration[$"{TrackerOptions.Section}:{nameof(TrackerOptions.LocalDataDirectory)}"]
        ?? Path.Combine(environment.ContentRootPath, ".data", "postgres"));

    public async ValueTask DisposeAsync()
    {
        if (_embedded is not null)
            await _embedded.DisposeAsync();
    }
}

public static class DatabaseExtensions
{
    public static void AddTrackerDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TrackerDatabase>();
        builder.Services.AddDbContext<TrackerDbContext>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<TrackerDatabase>().ConnectionString, o => o.ExecutionStrategy(d => new ReadRetryingExecutionStrategy(d)))
            .UseSnakeCaseNamingConvention());
        builder.Services.AddHealthChecks().AddDbContextCheck<TrackerDbContext>("database");
        ReplicaReads.AddReplicaReads(builder.Services);
    }

    /// <summary>
    /// Starts the embedded database if needed, migrates and seeds, before the service takes requests. Ctrl-C or SIGTERM
    /// meanwhile stops the application: what is under way is cancelled and this throws <see cref="OperationCanceledException"/>,
    /// after which disposing the application stops the embedded database.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var signals = StopOnSignalsUntilStarted(app.Lifetime);
        try
        {
            await PrepareAsync(app);
        }
        catch
        {
            // The service ends here (the caller disposes it); a test host that failed to start must not keep the handlers.
            signals.Dispose();
            throw;
        }
    }

    private static async Task PrepareAsync(WebApplication app)
    {
        var stopping = app.Lifetime.ApplicationStopping;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tracker.Database");
        var database = app.Services.GetRequiredService<TrackerDatabase>();
        await database.StartAsync(app.Configuration, app.Environment, logger, stopping);

        var options = app.Services.GetRequiredService<IOptions<TrackerOptions>>().Value;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        if (options.Migrate)
        {
            await db.Database.MigrateAsync(stopping);   // each migration is a transaction: a cancelled one leaves nothing half-done
            // A role's settings apply to the sessions opened after them (JitOffForTheServicesRole): none from before.
            NpgsqlConnection.ClearAllPools();
        }

        var demo = scope.ServiceProvider.GetRequiredService<DemoUsers>();
        await demo.EnsureRolesAsync();
        stopping.ThrowIfCancellationRequested();
        if (options.Seed ?? database.IsEmbedded)
        {
            await scope.ServiceProvider.GetRequiredService<Seeder>().SeedAsync(SeedFolder.Locate(app.Environment), stopping);
            if (app.Environment.IsDevelopment())
                await demo.SeedAsync();
        }
        // Before the first request: the kept health of every item as of today (a no-op when the day's refresh ran).
        await scope.ServiceProvider.GetRequiredService<KeptHealth>().EnsureTodayAsync(stopping);
        if (!app.Environment.IsDevelopment() && await demo.WithDemoPasswordAsync() is { Count: > 0 } exposed)
            throw new InvalidOperationException(
                $"Demo accounts still have the published demo password outside Development: {string.Join(", ", exposed)}. Change or delete them.");
        stopping.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// The host handles Ctrl-C and SIGTERM only once it runs; before that the default would end the process at once and
    /// leave the embedded PostgreSQL running (since .NET 10 not even ProcessExit is raised). Until the host has started,
    /// these signals ask the application to stop instead, which cancels the preparation.
    /// </summary>
    private static SignalHandlers StopOnSignalsUntilStarted(IHostApplicationLifetime lifetime)
    {
        var handlers = new SignalHandlers([.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                lifetime.StopApplication();
            }))]);
        // By then the host's own console lifetime has registered its handlers, so no signal falls between the two.
        lifetime.ApplicationStarted.Register(handlers.Dispose);
        return handlers;
    }

    private sealed class SignalHandlers(List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose() => registrations.ForEach(r => r.Dispose());
    }
}
