using Microsoft.EntityFrameworkCore;
using Tracker.Domain;

namespace Tracker.Web.Data;

/// <summary>
/// The daily job that makes sure this year's and next year's partitions of the history tables exist (decision 0020),
/// long before a row needs them: there is no default partition, so a row of a year without one would be refused.
/// Idempotent (the database function creates only what is missing), as Hangfire may run a job more than once.
/// </summary>
public sealed class YearPartitions(TrackerDbContext db, OfficeClock clock)
{
    public const string JobId = "year-partitions";

    /// <summary>Creating a partition locks its parent table; better to fail and be retried than to queue every report behind a long read.</summary>
    private const string LockTimeout = "5s";

    /// <summary>Returns how many partitions it created (none on any run after the first of the year).</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var year = clock.Today.Year;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT set_config('lock_timeout', {LockTimeout}, true)", ct);
            var created = await db.Database.SqlQuery<int>($"""
                SELECT coalesce(sum(tracker_ensure_year_partitions(y)), 0)::int AS "Value" FROM generate_series({year}, {year + 1}) AS y
                """).SingleAsync(ct);
            await transaction.CommitAsync(ct);
            return created;
        });
    }
}
