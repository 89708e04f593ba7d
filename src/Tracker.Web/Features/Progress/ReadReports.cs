using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Progress;

/// <summary>An item's reports, newest first, a page at a time, and its progress over time for a chart; 404 outside the viewer's scope.</summary>
public sealed class ReadReports(TrackerDbContext db, Viewer viewer) : IUseCase
{
    /// <summary>At most this many reports are drawn on an item's chart (the latest ones).</summary>
    public const int ChartedReports = 100;

    public async Task<Paged<ReportDto>> ListAsync(long id, int? page, int? pageSize, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        return await Of(db, id).ToPagedAsync(PageRequest.Of(page, pageSize), rows => rows.Select(ReportDto.From), ct);
    }

    /// <summary>The overall progress after each of the item's last <see cref="ChartedReports"/> reports, oldest first.</summary>
    public async Task<List<Charts.Point>> HistoryAsync(long id, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        return (await HistoriesAsync(db, [id], ct)).GetValueOrDefault(id) ?? [];
    }

    /// <summary>The same for several items already checked by the caller, in one query: a lateral join that walks each
    /// item's (initiative, reported_at) index. Written in SQL because EF turns the per-item <c>Take</c> into a
    /// <c>ROW_NUMBER()</c> over every report of the table (2.2 s for one item at 3M reports).</summary>
    internal static async Task<Dictionary<long, List<Charts.Point>>> HistoriesAsync(TrackerDbContext db, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<ChartRow>($"""
            SELECT r.initiative_id, r.reported_at, r.id, r.reported_on, r.progress_after
            FROM unnest({ids.ToArray()}) AS i(id)
            CROSS JOIN LATERAL (
                SELECT p.initiative_id, p.reported_at, p.id, p.reported_on, p.progress_after FROM progress_reports p
                WHERE p.initiative_id = i.id ORDER BY p.reported_at DESC, p.id DESC LIMIT {ChartedReports}) r
            """).ToListAsync(ct);
        return rows.GroupBy(r => r.InitiativeId).ToDictionary(g => g.Key,
            g => g.OrderBy(r => r.ReportedAt).ThenBy(r => r.Id).Select(r => new Charts.Point(r.ReportedOn, r.ProgressAfter)).ToList());
    }

    private sealed record ChartRow(long InitiativeId, DateTimeOffset ReportedAt, long Id, DateOnly ReportedOn, decimal ProgressAfter);

    /// <summary>The latest report of each of several items already checked by the caller, with values and files, in a fixed number of queries.</summary>
    internal static async Task<Dictionary<long, ProgressReport>> LatestAsync(TrackerDbContext db, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        // The ids first, each the top of the item's (initiative, reported_at desc) index: handed to the report query as a
        // subquery, PostgreSQL may instead scan every report for the ones it names.
        var latest = await db.Initiatives.Where(i => ids.Contains(i.Id))
            .Select(i => db.ProgressReports.Where(r => r.InitiativeId == i.Id)
                .OrderByDescending(r => r.ReportedAt).ThenByDescending(r => r.Id).Select(r => (long?)r.Id).FirstOrDefault())
            .Where(id => id != null).Select(id => id!.Value).ToListAsync(ct);
        return await db.ProgressReports.AsNoTracking().Include(r => r.Values).Include(r => r.Attachments)
            .Where(r => latest.Contains(r.Id)).AsSplitQuery()
            .ToDictionaryAsync(r => r.InitiativeId, ct);
    }

    internal static IQueryable<ProgressReport> Of(TrackerDbContext db, long initiativeId) =>
        db.ProgressReports.AsNoTracking()
            .Include(r => r.Values).Include(r => r.Attachments)
            .Where(r => r.InitiativeId == initiativeId)
            .OrderByDescending(r => r.ReportedAt).ThenByDescending(r => r.Id)
            .AsSplitQuery();
}
