using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Supervision;

public sealed record BoardItem(
    long Id, string Code, string Title, InitiativeKind Kind, NamedRef Jurisdiction, NamedRef LeadDepartment,
    DateOnly Deadline, Health Health, int EscalationLevel, IReadOnlyList<ReminderReason> OpenReasons, long? OpenNoticeId, int OverdueFollowUps);

public sealed record BoardGroup(int Id, string Name, int Overdue, int Lagging, int Silent, int MilestoneOverdue, int Red);

public sealed record BoardQuery(int? JurisdictionId, int? DepartmentId, InitiativeKind? Kind, int? Year, int? Page, int? PageSize);

/// <summary>How many items of the board's scope and filters are of each colour.</summary>
public sealed record ColourCounts(int Red, int Amber, int Green);

/// <summary>
/// The supervisors' board (supervisors and admins): what is overdue, lagging, silent or past a milestone, most overdue
/// first, with the escalation level reached; counts per lead department or jurisdiction; counts by colour. Every figure
/// is computed in SQL by the health rules; a page of the board is one query.
/// </summary>
public sealed class ReadBoard(TrackerDbContext db, Viewer viewer, OfficeClock clock, HealthPolicy policy, IValidator<BoardQuery> validator) : IUseCase
{
    public async Task<Paged<BoardItem>> RunAsync(BoardQuery query, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        await validator.ValidateAndThrowAsync(query, ct);
        var health = new HealthContext(clock.Today, policy);
        var items = await InScopeAsync(query, ct);
        var today = health.Today;
        // A deputies' follow-up request left unanswered past its date shows up with the overdue items.
        items = items.Where(HealthRules.Flagged.On(health))
            .Union(items.Where(i => db.FollowUps.Any(f => f.InitiativeId == i.Id && f.Answer == null && f.DueOn < today)));

        var page = await items.OrderBy(i => i.Deadline).ThenBy(i => i.Id)
            .Select(i => new
            {
                Item = i,
                Jurisdiction = i.Jurisdiction!.Name,
                Department = i.LeadDepartment!.Name,
                Open = db.Reminders.Where(r => r.InitiativeId == i.Id && r.Status == ReminderStatus.Open).Select(r => new { r.Reason, r.Level }).ToList(),
                Notice = db.Notices.Where(n => n.InitiativeId == i.Id && n.Status != NoticeStatus.Closed).Select(n => (long?)n.Id).FirstOrDefault(),
                FollowUps = db.FollowUps.Count(f => f.InitiativeId == i.Id && f.Answer == null && f.DueOn < today),
            })
            .ToPagedAsync(PageRequest.Of(query.Page, query.PageSize), ct);
        return new Paged<BoardItem>([.. page.Items.Select(r => new BoardItem(
            r.Item.Id, r.Item.Code, r.Item.Title, r.Item.Kind,
            new NamedRef(r.Item.JurisdictionId, r.Jurisdiction), new NamedRef(r.Item.LeadDepartmentId, r.Department),
            r.Item.Deadline, HealthRules.Evaluate(r.Item, health),
            r.Open.Select(o => o.Level).DefaultIfEmpty(0).Max(), [.. r.Open.Select(o => o.Reason).Distinct().Order()], r.Notice, r.FollowUps))],
            page.Page, page.PageSize, page.HasMore);
    }

    /// <summary>Counts of the board's scope and filters by colour, each by the health rule in SQL.</summary>
    public async Task<ColourCounts> ColoursAsync(BoardQuery query, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        var health = new HealthContext(clock.Today, policy);
        var items = await InScopeAsync(query, ct);
        return new ColourCounts(
            await items.CountAsync(HealthRules.Red.On(health), ct),
            await items.CountAsync(HealthRules.Amber.On(health), ct),
            await items.CountAsync(HealthRules.Green.On(health), ct));
    }

    /// <summary>Counts per lead department (or per jurisdiction), each computed in SQL by the health rules.</summary>
    public async Task<List<BoardGroup>> GroupsAsync(int? jurisdictionId, bool byDepartment, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        var health = new HealthContext(clock.Today, policy);
        var items = await ScopeAsync(jurisdictionId, ct);

        async Task<Dictionary<int, int>> Count(System.Linq.Expressions.Expression<Func<Initiative, HealthContext, bool>> rule) =>
            byDepartment
                ? await items.Where(rule.On(health)).GroupBy(i => i.LeadDepartmentId).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.N, ct)
                : await items.Where(rule.On(health)).GroupBy(i => i.JurisdictionId).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.N, ct);

        var overdue = await Count(HealthRules.Overdue);
        var lagging = await Count(HealthRules.Lagging);
        var silent = await Count(HealthRules.Silent);
        var milestone = await Count(HealthRules.MilestoneOverdue);
        var red = await Count(HealthRules.Red);
        var ids = overdue.Keys.Concat(lagging.Keys).Concat(silent.Keys).Concat(milestone.Keys).Concat(red.Keys).Distinct().ToList();
        var names = byDepartment
            ? await db.Departments.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct)
            : await db.Jurisdictions.Where(j => ids.Contains(j.Id)).ToDictionaryAsync(j => j.Id, j => j.Name, ct);
        return [.. ids
            .Select(id => new BoardGroup(id, names[id], overdue.GetValueOrDefault(id), lagging.GetValueOrDefault(id),
                silent.GetValueOrDefault(id), milestone.GetValueOrDefault(id), red.GetValueOrDefault(id)))
            .OrderByDescending(g => g.Red).ThenByDescending(g => g.Overdue).ThenBy(g => g.Name)];
    }

    /// <summary>The items within the board's scope and filters, of which the board shows those that need pressing.</summary>
    private async Task<IQueryable<Initiative>> InScopeAsync(BoardQuery query, CancellationToken ct)
    {
        var items = await ScopeAsync(query.JurisdictionId, ct);
        if (query.DepartmentId is { } department) items = items.Where(i => i.LeadDepartmentId == department);
        if (query.Kind is { } kind) items = items.Where(i => i.Kind == kind);
        if (query.Year is { } year) items = items.Where(i => i.Year == year);
        return items;
    }

    private async Task<IQueryable<Initiative>> ScopeAsync(int? jurisdictionId, CancellationToken ct)
    {
        var items = db.Initiatives.AsNoTracking().Where(viewer.CanRead());
        return jurisdictionId is { } jurisdiction ? await items.WithinAsync(db, jurisdiction, ct) : items;
    }
}

internal sealed class BoardQueryValidator : AbstractValidator<BoardQuery>
{
    public BoardQueryValidator()
    {
        RuleFor(q => q.Page).InclusiveBetween(1, 10_000);
        RuleFor(q => q.PageSize).InclusiveBetween(1, 100);
    }
}
