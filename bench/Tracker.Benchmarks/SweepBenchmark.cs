using System.Diagnostics;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;

namespace Tracker.Benchmarks;

/// <summary>One timed sweep: wall time, its result (null when it threw) and the SQL it sent.</summary>
public sealed record SweepRun(TimeSpan Elapsed, SweepResult? Result, List<StatementTime> Statements, List<ClientGap> Gaps, string? Error);

/// <summary>The raw SQL baseline: rows inserted on the first run and how long each run took.</summary>
public sealed record RawRun(long Rows, TimeSpan First, TimeSpan Again);

/// <summary>One size's figures. AsIs is the sweep exactly as src/ has it when that failed; First and Second were then measured with <see cref="CandidateBuffer"/>.</summary>
public sealed record SizeResult(
    int Size, GeneratedData Data, TimeSpan Load, SweepRun? AsIs, SweepRun First, SweepRun Second, SweepRun Escalation, RawRun Raw, MemoryPeaks Peaks)
{
    public bool Buffered => AsIs is not null;
}

/// <summary>
/// One size: a fresh database, the service's own container (as Program.cs builds it, without the HTTP
/// pipeline or a Hangfire server), generated data, then the sweep twice and the raw SQL baseline, then the
/// sweep of the day the first sweep's notices go unanswered (they all escalate).
/// </summary>
public sealed class SweepBenchmark(string adminConnectionString, DateTimeOffset now)
{
    public async Task<SizeResult> RunAsync(int size, string database, Action<string> log, CancellationToken ct)
    {
        var connectionString = await CreateDatabaseAsync(database, ct);
        var profiler = new CommandProfiler();
        var buffer = new CandidateBuffer();
        var clock = new FrozenClock(now);
        await using var app = BuildService(connectionString, profiler, buffer, clock);
        await app.PrepareDatabaseAsync();
        // Hangfire creates its schema when its storage is first resolved: do that before the clock starts.
        _ = app.Services.GetRequiredService<JobStorage>();
        var today = app.Services.GetRequiredService<OfficeClock>().Today;

        var load = Stopwatch.StartNew();
        var data = await DataGenerator.LoadAsync(connectionString, size, today, now, ct);
        load.Stop();
        log($"  loaded {data.Initiatives:N0} initiatives ({data.Active:N0} active, {data.Overdue:N0} overdue, {data.DueSoon:N0} due in 7/3/1 days) in {load.Elapsed.TotalSeconds:F1} s");

        // The sweep exactly as it is. If it fails (it rolls back, leaving nothing behind), the measured runs
        // read its candidates before the first write instead, as the fix in docs/benchmarks.md would.
        var (asIs, asIsPeaks) = await MeasuredAsync(() => SweepAsync(app, profiler, ct));
        log($"  sweep as is: {Describe(asIs)}");
        var first = asIs;
        var peaks = asIsPeaks;
        if (asIs.Result is null)
        {
            log("  again with the candidate query buffered (CandidateBuffer)");
            buffer.Enabled = true;
            (first, peaks) = await MeasuredAsync(() => SweepAsync(app, profiler, ct));
            log($"  first sweep: {Describe(first)}");
        }
        var (second, secondPeaks) = await MeasuredAsync(() => SweepAsync(app, profiler, ct));
        log($"  second sweep: {Describe(second)}");

        var raw = await RawBaselineAsync(connectionString, new HealthContext(today, app.Services.GetRequiredService<HealthPolicy>()), ct);
        log($"  raw SQL: {raw.Rows:N0} rows in {raw.First.TotalSeconds:F3} s, again (all exist) {raw.Again.TotalSeconds:F3} s");

        // Past the notices' answer date (5 days): the day's reminders again, and every notice of the first sweep escalates.
        clock.Now = now.AddDays(6);
        var (escalation, escalationPeaks) = await MeasuredAsync(() => SweepAsync(app, profiler, ct));
        log($"  escalation day: {Describe(escalation)}");
        peaks = new MemoryPeaks(
            new[] { peaks.ManagedBytes, secondPeaks.ManagedBytes, escalationPeaks.ManagedBytes }.Max(),
            new[] { peaks.WorkingSetBytes, secondPeaks.WorkingSetBytes, escalationPeaks.WorkingSetBytes }.Max());
        return new SizeResult(size, data, load.Elapsed, asIs.Result is null ? asIs : null, first, second, escalation, raw, peaks);
    }

    /// <summary>Runs a sweep from a collected heap, so that the peaks are the sweep's, not the load's leftovers.</summary>
    private static async Task<(SweepRun Run, MemoryPeaks Peaks)> MeasuredAsync(Func<Task<SweepRun>> sweep)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        using var sampler = MemorySampler.Start();
        var run = await sweep();
        return (run, sampler.Stop());
    }

    private static string Describe(SweepRun run) => run.Result is { } r
        ? $"{run.Elapsed.TotalSeconds:F2} s, {r}"
        : $"FAILED after {run.Elapsed.TotalSeconds:F2} s: {run.Error}";

    private static WebApplication BuildService(string connectionString, CommandProfiler profiler, CandidateBuffer buffer, FrozenClock clock) =>
        BenchService.Build(connectionString, builder =>
        {
            // The day is pinned, so that both sweeps (and the generated data) see the same "today".
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Services.ConfigureDbContext<TrackerDbContext>(o => o.AddInterceptors(profiler, buffer));
        });

    private static async Task<SweepRun> SweepAsync(WebApplication app, CommandProfiler profiler, CancellationToken ct)
    {
        profiler.Reset();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<ReminderSweep>().RunAsync(ct);
            return new SweepRun(stopwatch.Elapsed, result, profiler.Snapshot(), profiler.Gaps(5), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new SweepRun(stopwatch.Elapsed, null, profiler.Snapshot(), profiler.Gaps(5), $"{e.GetType().Name}: {Shorten(e.Message)}");
        }
    }

    private static string Shorten(string message)
    {
        var line = message.Split('\n')[0];
        return line.Length <= 100 ? line : line[..100] + "…";
    }

    /// <summary>
    /// BASELINES.md's "record a reminder for every overdue or silent item": one set-based INSERT … SELECT
    /// with the same rules as the service (HealthRules.Overdue and .Silent), into a copy of the reminders
    /// table with the same indexes and foreign key, so that the sweep's own rows are left alone.
    /// </summary>
    private static async Task<RawRun> RawBaselineAsync(string connectionString, HealthContext health, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using (var create = new NpgsqlCommand("""
            CREATE TABLE bench_raw_reminders (LIKE reminders INCLUDING ALL);
            ALTER TABLE bench_raw_reminders ADD FOREIGN KEY (initiative_id) REFERENCES initiatives (id);
            """, connection))
            await create.ExecuteNonQueryAsync(ct);

        async Task<(long Rows, TimeSpan Elapsed)> InsertAsync()
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO bench_raw_reminders (initiative_id, reason, level, period, days, status, created_at)
                SELECT i.id,
                       CASE WHEN i.deadline < @today THEN 'Overdue' ELSE 'Silent' END,
                       1, @today,
                       CASE WHEN i.deadline < @today THEN @today - i.deadline ELSE @today - coalesce(i.last_reported_on, i.planned_start) END,
                       'Open', @now
                FROM initiatives i
                WHERE i.status IN ('Planned', 'InProgress')
                  AND (i.deadline < @today
                       OR coalesce(i.last_reported_on, i.planned_start) <
                          CASE i.reporting_interval WHEN 'Daily' THEN @daily WHEN 'Weekly' THEN @weekly ELSE @monthly END)
                ON CONFLICT (initiative_id, reason, level, period) DO NOTHING
                """, connection) { CommandTimeout = 600 };
            insert.Parameters.AddWithValue("today", health.Today);
            insert.Parameters.AddWithValue("now", DateTime.UtcNow);
            insert.Parameters.AddWithValue("daily", health.DailyCutoff);
            insert.Parameters.AddWithValue("weekly", health.WeeklyCutoff);
            insert.Parameters.AddWithValue("monthly", health.MonthlyCutoff);
            var stopwatch = Stopwatch.StartNew();
            var rows = await insert.ExecuteNonQueryAsync(ct);
            return (rows, stopwatch.Elapsed);
        }

        var (rows, first) = await InsertAsync();
        var (_, again) = await InsertAsync();
        return new RawRun(rows, first, again);
    }

    private Task<string> CreateDatabaseAsync(string database, CancellationToken ct) => BenchService.CreateDatabaseAsync(adminConnectionString, database, ct);

    /// <summary>A clock standing still at one instant, moved by hand.</summary>
    private sealed class FrozenClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
    }
}
