using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Supervision;

/// <summary>Why an item puts its lead department on the negative list.</summary>
public enum NegativeReason
{
    /// <summary>Red because its deadline has passed unfinished.</summary>
    Overdue,

    /// <summary>Red because its progress is behind the straight line by more than the red margin.</summary>
    LaggingRed,

    /// <summary>A supervision notice on it was left unanswered past its date and escalated, and is still open.</summary>
    EscalatedNotice,

    /// <summary>A deputies' follow-up request on it is unanswered past its date.</summary>
    OverdueFollowUp,
}

/// <summary>How a reason reads, in Chinese: the page's key for its own language, and the export's words.</summary>
public static class NegativeReasons
{
    public static string Text(NegativeReason reason) => reason switch
    {
        NegativeReason.Overdue => "逾期未完成",
        NegativeReason.LaggingRed => "进度严重滞后",
        NegativeReason.EscalatedNotice => "督办单逾期未答复",
        _ => "代表跟踪事项逾期未答复",
    };
}

public sealed record NegativeItem(long Id, string Code, string Title, IReadOnlyList<NegativeReason> Reasons, int DaysOverdue, int OverdueFollowUps);

/// <summary>A listed department: how many of its items offend, and the first of them, most overdue first.</summary>
public sealed record NegativeDepartment(int Id, string Name, string Jurisdiction, int ItemCount, IReadOnlyList<NegativeItem> Items);

/// <summary>
/// The negative list (负面清单), published in bulletins to name the units whose work is slow or below expectation.
/// The rule: among the items the viewer reads, a lead department is listed when at least one of
/// its items is red by the health rules (<see cref="HealthRules.Red"/>: overdue, or behind the straight line by more
/// than the red margin), or carries a supervision notice that was escalated for want of an answer and is not yet
/// closed, or has a deputies' follow-up request left unanswered past its due date. Each listed department shows
/// exactly those offending items, each with every reason that applies and its days overdue; departments are ordered
/// by their number of offending items, then by name. The page and <c>GET /api/board/negative-list</c> both read it here.
/// The departments are those of the viewer's jurisdiction and below; their red items come from the kept roll-up
/// (<see cref="DepartmentFlags"/>), the others that offend from the notices and follow-ups, so a page costs the
/// departments it shows, not the items of the scope.
/// Departments come a page at a time, each with at most <see cref="ItemsPerDepartment"/> items (its count says how many
/// there are), so that a province's list is read in bounded pieces.
/// </summary>
public sealed class ReadNegativeList([FromKeyedServices(ReplicaReads.Key)] TrackerDbContext db, Viewer viewer, OfficeClock clock, KeptHealth kept) : IUseCase
{
    public const int DepartmentsPerPage = 20;
    public const int ItemsPerDepartment = 50;

    public async Task<Paged<NegativeDepartment>> RunAsync(int? page, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        await kept.EnsureTodayAsync(ct);
        var today = clock.Today;
        var request = PageRequest.Of(page, DepartmentsPerPage, DepartmentsPerPage, DepartmentsPerPage);
        var departments = db.DepartmentFlags.AsNoTracking().Readable(viewer);

        // The items that offend without being red, found from the notices and follow-ups (not from the items): few.
        var pressed = db.Notices.Where(n => n.Escalated && n.Status != NoticeStatus.Closed).Select(n => n.InitiativeId)
            .Union(db.FollowUps.Where(f => f.Answer == null && f.DueOn < today).Select(f => f.InitiativeId));
        var extra = await db.Initiatives.Where(i => pressed.Contains(i.Id) && i.HealthColour != HealthColour.Red)
            .Join(departments, i => i.LeadDepartmentId, d => d.DepartmentId, (i, d) => new { i.Id, i.LeadDepartmentId })
            .ToListAsync(ct);
        var extraCount = extra.CountBy(e => e.LeadDepartmentId).ToDictionary();

        // A department's count is its kept red items plus its extra ones. Those without extra items keep the red order
        // of the roll-up's index, so the page is among the first (page end + departments with extra items) in that order.
        var reach = request.Page * request.Size + 1 + extraCount.Count;
        var extraIds = extraCount.Keys.ToList();
        var candidates = await departments.Where(d => d.Red > 0)
            .OrderByDescending(d => d.Red).ThenBy(d => d.DepartmentName).ThenBy(d => d.DepartmentId).Take(reach)
            .Select(d => new { d.DepartmentId, d.DepartmentName, d.Red })
            .Union(departments.Where(d => extraIds.Contains(d.DepartmentId)).Select(d => new { d.DepartmentId, d.DepartmentName, d.Red }))
            .ToListAsync(ct);
        var ranked = candidates
            .Select(d => (d.DepartmentId, d.DepartmentName, Count: d.Red + extraCount.GetValueOrDefault(d.DepartmentId)))
            .OrderByDescending(d => d.Count).ThenBy(d => d.DepartmentName, StringComparer.Ordinal).ThenBy(d => d.DepartmentId)
            .Skip((request.Page - 1) * request.Size).Take(request.Size + 1).ToList();
        var shown = ranked.Take(request.Size).ToList();

        var ids = shown.Select(d => d.DepartmentId).ToArray();
        var jurisdictions = await db.Departments.Where(d => ids.Contains(d.Id)).Select(d => new { d.Id, d.Jurisdiction!.Name }).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        var offending = extra.Select(e => e.Id).ToArray();
        // The first offending items of each department of the page: one lateral walk of its (department, deadline) index each.
        var rows = await db.Database.SqlQuery<OffendingRow>($"""
            SELECT o.* FROM unnest({ids}) AS d(id)
            CROSS JOIN LATERAL (
                SELECT i.id, i.code, i.title, i.lead_department_id, i.health_colour = 'Red' AND i.overdue AS overdue,
                    i.health_colour = 'Red' AND i.lagging_red AS lagging_red, i.days_overdue,
                    EXISTS (SELECT 1 FROM supervision_notices n WHERE n.initiative_id = i.id AND n.escalated AND n.status <> 'Closed') AS escalated,
                    (SELECT count(*)::int FROM follow_ups f WHERE f.initiative_id = i.id AND f.answer IS NULL AND f.due_on < {today}) AS follow_ups
                FROM initiatives i
                WHERE i.lead_department_id = d.id AND (i.health_colour = 'Red' OR i.id = ANY ({offending}))
                ORDER BY i.deadline, i.id LIMIT {ItemsPerDepartment}) AS o
            """).ToListAsync(ct);

        var listed = shown.Select(d => new NegativeDepartment(d.DepartmentId, d.DepartmentName, jurisdictions.GetValueOrDefault(d.DepartmentId, ""), d.Count, [.. rows
            .Where(o => o.LeadDepartmentId == d.DepartmentId)
            .Select(o =>
            {
                var reasons = new List<NegativeReason>();
                if (o.Overdue) reasons.Add(NegativeReason.Overdue);
                if (o.LaggingRed) reasons.Add(NegativeReason.LaggingRed);
                if (o.Escalated) reasons.Add(NegativeReason.EscalatedNotice);
                if (o.FollowUps > 0) reasons.Add(NegativeReason.OverdueFollowUp);
                return new NegativeItem(o.Id, o.Code, o.Title, reasons, o.DaysOverdue, o.FollowUps);
            })
            .OrderByDescending(i => i.DaysOverdue).ThenBy(i => i.Code, StringComparer.Ordinal)])).ToList();
        return new Paged<NegativeDepartment>(listed, request.Page, request.Size, ranked.Count > request.Size);
    }

    private sealed record OffendingRow(long Id, string Code, string Title, int LeadDepartmentId, bool Overdue, bool LaggingRed, int DaysOverdue, bool Escalated, int FollowUps);
}
