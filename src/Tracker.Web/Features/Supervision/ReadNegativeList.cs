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
/// Departments come a page at a time, each with at most <see cref="ItemsPerDepartment"/> items (its count says how many
/// there are), so that a province's list is read in bounded pieces.
/// </summary>
public sealed class ReadNegativeList(TrackerDbContext db, Viewer viewer, OfficeClock clock, KeptHealth kept) : IUseCase
{
    public const int DepartmentsPerPage = 20;
    public const int ItemsPerDepartment = 50;

    public async Task<Paged<NegativeDepartment>> RunAsync(int? page, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        await kept.EnsureTodayAsync(ct);
        var items = db.Initiatives.AsNoTracking().Where(viewer.CanRead());
        var today = clock.Today;

        var offending = items.Where(i => i.HealthColour == HealthColour.Red
            || db.Notices.Any(n => n.InitiativeId == i.Id && n.Escalated && n.Status != NoticeStatus.Closed)
            || db.FollowUps.Any(f => f.InitiativeId == i.Id && f.Answer == null && f.DueOn < today));

        var departments = await offending.GroupBy(i => i.LeadDepartmentId).Select(g => new { Id = g.Key, Count = g.Count() })
            .Join(db.Departments, g => g.Id, d => d.Id, (g, d) => new { g.Id, g.Count, d.Name, Jurisdiction = d.Jurisdiction!.Name })
            .OrderByDescending(d => d.Count).ThenBy(d => d.Name).ThenBy(d => d.Id)
            .ToPagedAsync(PageRequest.Of(page, DepartmentsPerPage, DepartmentsPerPage, DepartmentsPerPage), ct);

        // The first items of every department of the page in one query (a lateral join), not one query per department.
        var ids = departments.Items.Select(d => d.Id).ToList();
        var rows = await db.Departments.Where(d => ids.Contains(d.Id))
            .SelectMany(d => offending.Where(i => i.LeadDepartmentId == d.Id)
                .OrderBy(i => i.Deadline).ThenBy(i => i.Code).Take(ItemsPerDepartment))
            .Select(i => new
            {
                Item = new { i.Id, i.Code, i.Title, i.LeadDepartmentId, i.HealthColour, i.Overdue, i.LaggingRed, i.DaysOverdue },
                Escalated = db.Notices.Any(n => n.InitiativeId == i.Id && n.Escalated && n.Status != NoticeStatus.Closed),
                FollowUps = db.FollowUps.Count(f => f.InitiativeId == i.Id && f.Answer == null && f.DueOn < today),
            })
            .ToListAsync(ct);
        var listed = departments.Items.Select(d => new NegativeDepartment(d.Id, d.Name, d.Jurisdiction, d.Count, [.. rows
            .Where(o => o.Item.LeadDepartmentId == d.Id)
            .Select(o =>
            {
                var h = o.Item;
                var reasons = new List<NegativeReason>();
                if (h.HealthColour == HealthColour.Red && h.Overdue) reasons.Add(NegativeReason.Overdue);
                if (h.HealthColour == HealthColour.Red && h.LaggingRed) reasons.Add(NegativeReason.LaggingRed);
                if (o.Escalated) reasons.Add(NegativeReason.EscalatedNotice);
                if (o.FollowUps > 0) reasons.Add(NegativeReason.OverdueFollowUp);
                return new NegativeItem(o.Item.Id, o.Item.Code, o.Item.Title, reasons, h.DaysOverdue, o.FollowUps);
            })
            .OrderByDescending(i => i.DaysOverdue).ThenBy(i => i.Code, StringComparer.Ordinal)])).ToList();
        return new Paged<NegativeDepartment>(listed, departments.Page, departments.PageSize, departments.HasMore);
    }
}
