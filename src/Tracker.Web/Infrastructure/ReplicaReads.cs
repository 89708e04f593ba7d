using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using Tracker.Web.Data;

namespace Tracker.Web.Infrastructure;

public sealed class ReplicaOptions
{
    public const string Section = "Tracker:Replica";

    /// <summary>How far behind the primary a replica's reads may be; further behind, the primary answers them.</summary>
    public int MaxLagSeconds { get; set; } = 30;

    /// <summary>How often each instance stamps the primary's heartbeat and measures the replica against it.</summary>
    public int HeartbeatSeconds { get; set; } = 5;
}

/// <summary>What a read from the replica shows: the primary's time the replica has replayed up to.</summary>
public sealed record ReadAsOf(DateTimeOffset AsOf, TimeSpan Lag);

/// <summary>
/// Reads that may lag — lists, boards, roll-ups, exports, public pages — ask for the keyed context
/// <c>[FromKeyedServices(ReplicaReads.Key)] TrackerDbContext</c>. It is the replica's (<c>ConnectionStrings:Replica</c>)
/// when one is configured, the request is a GET or HEAD, and the replica was within <see cref="ReplicaOptions.MaxLagSeconds"/>
/// of the primary at its last measure; otherwise the request's own primary context. So writes, reads made by a write
/// (a POST's re-rendered page), jobs (no request) and everything outside these use cases stay on the primary.
/// A page whose reads went to the replica says how old they are (<see cref="AsOf"/>, shown by the layout).
/// </summary>
public sealed class ReplicaReads(IConfiguration configuration, IOptions<ReplicaOptions> options, TimeProvider time)
{
    public const string Key = "replica";
    private const string AsOfItem = "tracker.read-as-of";

    /// <summary>An API answer read from the replica says so: the primary's time it has replayed up to.</summary>
    public const string AsOfHeader = "X-Read-As-Of";

    private readonly TaskCompletionSource _firstMeasure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReadAsOf? _measured;
    private long _measuredAt;

    /// <summary>Completes once the heartbeat has measured the replica (or failed to) for the first time.</summary>
    public Task FirstMeasure => _firstMeasure.Task;

    public string? ConnectionString { get; } = configuration.GetConnectionString("Replica") is { Length: > 0 } s ? s : null;

    /// <summary>The last measure, while it is recent enough to trust (three heartbeats).</summary>
    public ReadAsOf? Fresh
    {
        get
        {
            var measured = Volatile.Read(ref _measured);
            var age = time.GetElapsedTime(Interlocked.Read(ref _measuredAt));
            return measured is not null && age <= TimeSpan.FromSeconds(3 * options.Value.HeartbeatSeconds)
                && measured.Lag <= TimeSpan.FromSeconds(options.Value.MaxLagSeconds) ? measured : null;
        }
    }

    internal void Record(ReadAsOf? measured)
    {
        Volatile.Write(ref _measured, measured);
        Interlocked.Exchange(ref _measuredAt, time.GetTimestamp());
        _firstMeasure.TrySetResult();
    }

    /// <summary>How old the request's replica reads are, if it made any.</summary>
    public static ReadAsOf? AsOf(HttpContext context) => context.Items[AsOfItem] as ReadAsOf;

    public static void AddReplicaReads(IServiceCollection services)
    {
        services.AddOptions<ReplicaOptions>().BindConfiguration(ReplicaOptions.Section)
            .Validate(o => o.MaxLagSeconds > 0 && o.HeartbeatSeconds > 0 && o.HeartbeatSeconds < o.MaxLagSeconds,
                "Tracker:Replica: MaxLagSeconds and HeartbeatSeconds must be positive, the heartbeat the shorter.")
            .ValidateOnStart();
        services.AddSingleton<ReplicaReads>();
        services.AddHttpContextAccessor();
        services.AddHostedService<ReplicaHeartbeat>();
        services.AddKeyedScoped(Key, (sp, _) => sp.GetRequiredService<ReplicaReads>().Open(sp));
    }

    private TrackerDbContext Open(IServiceProvider services)
    {
        var primary = services.GetRequiredService<TrackerDbContext>();
        var context = services.GetRequiredService<IHttpContextAccessor>().HttpContext;
        if (ConnectionString is null || context is null || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            || Fresh is not { } fresh)
            return primary;
        context.Items[AsOfItem] = fresh;
        if (!context.Response.HasStarted)
            context.Response.Headers[AsOfHeader] = fresh.AsOf.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        return new TrackerDbContext(ReplicaOptionsFrom(services.GetRequiredService<DbContextOptions<TrackerDbContext>>()));
    }

    // The primary's options (provider, naming, retries, a test's interceptors) with the replica's connection; the replica
    // refuses writes itself, and the guard says so before one is sent. Made per request, not kept: the primary's options
    // carry the request's service provider.
    private DbContextOptions<TrackerDbContext> ReplicaOptionsFrom(DbContextOptions<TrackerDbContext> primary) =>
        new DbContextOptionsBuilder<TrackerDbContext>(primary)
            .UseNpgsql(ConnectionString)
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .AddInterceptors(ReadOnlyGuard.Instance)
            .Options;

    private sealed class ReadOnlyGuard : SaveChangesInterceptor
    {
        public static readonly ReadOnlyGuard Instance = new();

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
            throw new InvalidOperationException("A replica's context reads only; write through the primary's.");

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default) => throw new InvalidOperationException("A replica's context reads only; write through the primary's.");
    }
}

/// <summary>
/// Each instance stamps a heartbeat on the primary (<c>replica_heartbeat</c>, one row) and reads it back from the
/// replica: what the replica has of it is how far it has replayed, and its age on the replica's clock is the lag (an
/// upper bound: at most one heartbeat more than the true lag). Only when a replica is configured. A failed measure
/// (the replica or the primary down) leaves no fresh measure, so reads go to the primary until the next one succeeds.
/// </summary>
internal sealed class ReplicaHeartbeat(ReplicaReads reads, TrackerDatabase database, IOptions<ReplicaOptions> options, TimeProvider time,
    ILogger<ReplicaHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (reads.ConnectionString is null)
            return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), time);
        do
        {
            try
            {
                reads.Record(await MeasureAsync(stoppingToken));
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                reads.Record(null);
                logger.LogWarning(e, "The replica's lag could not be measured; its reads go to the primary meanwhile.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    // Its own pool, and sessions an operator can tell apart in pg_stat_activity.
    private static string Named(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "tracker-heartbeat" }.ConnectionString;

    private async Task<ReadAsOf?> MeasureAsync(CancellationToken ct)
    {
        await using (var primary = new NpgsqlConnection(Named(database.ConnectionString)))
        {
            await primary.OpenAsync(ct);
            await using var stamp = new NpgsqlCommand(
                "INSERT INTO replica_heartbeat (id, at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET at = greatest(replica_heartbeat.at, excluded.at)", primary);
            await stamp.ExecuteNonQueryAsync(ct);
        }
        await using var replica = new NpgsqlConnection(Named(reads.ConnectionString!));
        await replica.OpenAsync(ct);
        // A "replica" that is not in recovery is a primary (or the same database): it is as fresh as it gets.
        await using var read = new NpgsqlCommand(
            "SELECT pg_is_in_recovery(), (SELECT at FROM replica_heartbeat WHERE id = 1), now()", replica);
        await using var row = await read.ExecuteReaderAsync(ct);
        await row.ReadAsync(ct);
        var (standby, now) = (row.GetBoolean(0), row.GetFieldValue<DateTimeOffset>(2));
        if (!standby)
            return new ReadAsOf(now, TimeSpan.Zero);
        if (row.IsDBNull(1))
            return null;   // the first heartbeat has not reached it yet
        var at = row.GetFieldValue<DateTimeOffset>(1);
        return new ReadAsOf(at, now > at ? now - at : TimeSpan.Zero);
    }
}
