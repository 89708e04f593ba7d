using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;

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

public sealed record NegativeDepartment(int Id, string Name, string Jurisdiction, IReadOnlyList<NegativeItem> Items);

/// <summary>
/// The negative list (负面清单), published in bulletins to name the units whose work is slow or below expectation.
/// The rule: among the items the viewer reads, a lead department is listed when at least one of
/// its items is red by the health rules (<see cref="HealthRules.Red"/>: overdue, or behind the straight line by more
/// than the red margin), or carries a supervision notice that was escalated for want of an answer and is not yet
/// closed, or has a deputies' follow-up request left unanswered past its due date. Each listed department shows
/// exactly those offending items, each with every reason that applies and its days overdue; departments are ordered
/// by their number of offending items, then by name. The page and <c>GET /api/board/negative-list</c> both read it here.
/// </summary>
public static class NegativeList
{
    public static async Task<List<NegativeDepartment>> ComputeAsync(TrackerDbContext db, Viewer viewer, HealthContext health, CancellationToken ct)
    {
        var items = db.Initiatives.AsNoTracking().Where(viewer.CanRead());
        var today = health.Today;

        var red = items.Where(HealthRules.Red.On(health)).Select(i => i.Id);
        var escalated = items.Where(i => db.Notices.Any(n => n.InitiativeId == i.Id && n.Escalated && n.Status != NoticeStatus.Closed)).Select(i => i.Id);
        var followUps = items.Where(i => db.FollowUps.Any(f => f.InitiativeId == i.Id && f.Answer == null && f.DueOn < today)).Select(i => i.Id);
        var offending = await items.Where(i => red.Contains(i.Id) || escalated.Contains(i.Id) || followUps.Contains(i.Id))
            .Select(i => new
            {
                Item = i,
                Department = i.LeadDepartment!.Name,
                Jurisdiction = i.LeadDepartment.Jurisdiction!.Name,
                Escalated = db.Notices.Any(n => n.InitiativeId == i.Id && n.Escalated && n.Status != NoticeStatus.Closed),
                FollowUps = db.FollowUps.Count(f => f.InitiativeId == i.Id && f.Answer == null && f.DueOn < today),
            })
            .ToListAsync(ct);

        return [.. offending
            .Select(o =>
            {
                var h = HealthRules.Evaluate(o.Item, health);
                var reasons = new List<NegativeReason>();
                if (h.Colour == HealthColour.Red && h.Overdue) reasons.Add(NegativeReason.Overdue);
                if (h.Colour == HealthColour.Red && h.LaggingRed) reasons.Add(NegativeReason.LaggingRed);
                if (o.Escalated) reasons.Add(NegativeReason.EscalatedNotice);
                if (o.FollowUps > 0) reasons.Add(NegativeReason.OverdueFollowUp);
                return (o.Item.LeadDepartmentId, o.Department, o.Jurisdiction,
                    Item: new NegativeItem(o.Item.Id, o.Item.Code, o.Item.Title, reasons, h.DaysOverdue, o.FollowUps));
            })
            .GroupBy(x => (x.LeadDepartmentId, x.Department, x.Jurisdiction))
            .Select(g => new NegativeDepartment(g.Key.LeadDepartmentId, g.Key.Department, g.Key.Jurisdiction,
                [.. g.Select(x => x.Item).OrderByDescending(i => i.DaysOverdue).ThenBy(i => i.Code, StringComparer.Ordinal)]))
            .OrderByDescending(d => d.Items.Count).ThenBy(d => d.Name, StringComparer.Ordinal)];
    }
}
