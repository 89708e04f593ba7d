using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Web.Data;

namespace Tracker.Web.Features.Livelihood;

/// <summary>Marks an endpoint (an API route or a page) whose sending — anything but GET and HEAD — counts against the
/// public limit per address, <see cref="PublicSendLimit"/>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class PublicSendLimitAttribute : Attribute;

/// <summary>
/// The public's sends per address in fixed windows of a minute, counted in PostgreSQL so that every instance behind the
/// balancer counts the same sends (an in-memory limiter would give each instance its own allowance). One upsert per send;
/// old windows are deleted by <see cref="PurgeAsync"/>, a recurring job. Behind a proxy the address is the client's only
/// when <c>Tracker:Proxy</c> names the proxy.
/// </summary>
public sealed class PublicSendLimit(TrackerDbContext db, TimeProvider time, IOptions<LivelihoodOptions> options)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Counts one send from <paramref name="address"/>; the time to wait when it is over the limit.</summary>
    public async Task<TimeSpan?> TakeAsync(string address, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var start = new DateTimeOffset(now.Ticks - now.Ticks % Window.Ticks, TimeSpan.Zero);
        // Not composed by EF (no First/Single): an INSERT cannot be wrapped in a subquery.
        var counts = await db.Database.SqlQuery<int>($"""
            INSERT INTO rate_windows (key, window_start, count) VALUES ({"public-send:" + address}, {start}, 1)
            ON CONFLICT (key, window_start) DO UPDATE SET count = rate_windows.count + 1
            RETURNING count AS "Value"
            """).ToListAsync(ct);
        return counts[0] <= options.Value.PublicProposalsPerMinute ? null : start + Window - now;
    }

    /// <summary>Deletes windows that ended an hour ago or more; run again, it deletes nothing more.</summary>
    public Task<int> PurgeAsync(CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"DELETE FROM rate_windows WHERE window_start < {time.GetUtcNow() - TimeSpan.FromHours(1)}", ct);
}
