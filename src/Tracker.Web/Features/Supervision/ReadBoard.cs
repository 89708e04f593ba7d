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
    DateOnly Deadline, Health Health, int EscalationLevel, IReadOnlyList<ReminderReason> OpenReasons, long? OpenNoticeId, int OverdueFollowUps, int OverdueLedgerRows = 0);

public sealed record BoardGroup(int Id, string Name, int Overdue, int Lagging, int Silent, int MilestoneOverdue, int Red);

/// <summary>The board's scope and filters; <c>Extended</c>: only items whose deadline an approved change has moved.</summary>
public sealed record BoardQuery(int? JurisdictionId, int? DepartmentId, InitiativeKind? Kind, int? Year, int? Page, int? PageSize, bool? Extended = null);

/// <summary>How many items of the board's scope and filters are of each colour.</summary>
public sealed record ColourCounts(int Red, int Amber, int Green);

/// <summary>
/// The supervisors' board (supervisors and admins): what is overdue, lagging, silent or past a milestone, most overdue
/// first, with the escalation level reached; counts per lead department or jurisdiction; counts by colour. Every figure
/// is computed in SQL by the health rules; a page of the board is one query.
/// </summary>
public sealed class ReadBoard([FromKeyedServices(ReplicaReads.Key)] TrackerDbContext db, Viewer viewer, OfficeClock clock, KeptHealth kept, IValidator<BoardQuery> validator) : IUseCase
{
    public async Task<Paged<BoardItem>> RunAsync(BoardQuery query, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        await validator.ValidateAndThrowAsync(query, ct);
        await kept.EnsureTodayAsync(ct);
        var items = await InScopeAsync(query, ct);
        var today = clock.Today;
        // What needs pressing by the kept flags (a partial index in deadline order), then, disjoint from those, the items
        // whose deputies' follow-up request is unanswered past its date or whose ledger has rows not rectified by their
        // date. Each is read in order up to the page's end and the two are merged here: PostgreSQL would not merge a
        // UNION ALL of the two but sort the whole scope.
        var rowOverdue = LedgerRow.OverdueOn(today);
        var flagged = items.Where(i => i.Overdue || i.MilestoneOverdue || i.Silent || i.Lagging);
        var followedUp = PressedOnlyByRows(items, today);
        var request = PageRequest.Of(query.Page, query.PageSize);
        var reach = request.Page * request.Size + 1;
        var heads = (await flagged.OrderBy(i => i.Deadline).ThenBy(i => i.Id).Select(i => new { i.Deadline, i.Id }).Take(reach).ToListAsync(ct))
            .Concat(await followedUp.OrderBy(i => i.Deadline).ThenBy(i => i.Id).Select(i => new { i.Deadline, i.Id }).Take(reach).ToListAsync(ct))
            .OrderBy(i => i.Deadline).ThenBy(i => i.Id).Skip((request.Page - 1) * request.Size).Take(request.Size + 1).ToList();
        var shown = heads.Take(request.Size).Select(h => h.Id).ToList();

        var rows = await db.Initiatives.AsNoTracking().Where(i => shown.Contains(i.Id))
            .Select(i => new
            {
                i.Id,
                i.Code,
                i.Title,
                i.Kind,
                i.JurisdictionId,
                i.LeadDepartmentId,
                i.Deadline,
                Jurisdiction = i.Jurisdiction!.Name,
                Department = i.LeadDepartment!.Name,
                Health = new Health(i.HealthColour, i.Overdue, i.DaysOverdue, i.MilestoneOverdue, i.Silent,
                    i.LastReportedOn == null ? null : today.DayNumber - i.LastReportedOn.Value.DayNumber,
                    i.Lagging, i.LaggingRed, i.Progress, i.ExpectedProgress, i.LastReportedAt == null),
                Notice = db.Notices.Where(n => n.InitiativeId == i.Id && n.Status != NoticeStatus.Closed).Select(n => (long?)n.Id).FirstOrDefault(),
                FollowUps = db.FollowUps.Count(f => f.InitiativeId == i.Id && f.Answer == null && f.DueOn < today),
                LedgerRows = db.LedgerRows.Where(rowOverdue).Count(r => r.InitiativeId == i.Id),
            })
            .ToListAsync(ct);
        var byId = rows.ToDictionary(r => r.Id);
        var open = (await db.Reminders.AsNoTracking().Where(r => shown.Contains(r.InitiativeId) && r.Status == ReminderStatus.Open)
            .Select(r => new { r.InitiativeId, r.Reason, r.Level }).ToListAsync(ct)).ToLookup(r => r.InitiativeId);
        return new Paged<BoardItem>([.. shown.Where(byId.ContainsKey).Select(id => byId[id]).Select(r => new BoardItem(
            r.Id, r.Code, r.Title, r.Kind,
            new NamedRef(r.JurisdictionId, r.Jurisdiction), new NamedRef(r.LeadDepartmentId, r.Department),
            r.Deadline, r.Health,
            open[r.Id].Select(o => o.Level).DefaultIfEmpty(0).Max(), [.. open[r.Id].Select(o => o.Reason).Distinct().Order()], r.Notice, r.FollowUps, r.LedgerRows))],
            request.Page, request.Size, heads.Count > request.Size);
    }

    /// <summary>
    /// How many items the board lists under these filters (its pages' total): the flagged ones counted on the partial
    /// flagged index, plus the unflagged ones pressed only by an overdue follow-up request or ledger row, found from those
    /// (few) rows rather than from the scope. Two counts whatever the scope holds.
    /// </summary>
    public async Task<int> CountAsync(BoardQuery query, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        await validator.ValidateAndThrowAsync(query, ct);
        var items = await InScopeAsync(query, ct);
        var today = clock.Today;
        var flagged = await items.CountAsync(i => i.Overdue || i.MilestoneOverdue || i.Silent || i.Lagging, ct);
        return flagged + await PressedOnlyByRows(items, today).CountAsync(ct);
    }

    /// <summary>
    /// The unflagged items pressed only by an overdue follow-up request or ledger row, found from those (few) rows: as a
    /// correlated <c>EXISTS</c> per item PostgreSQL walked the whole scope in deadline order when none matched (10–20 s at
    /// 1M items; the cluster benchmark found it).
    /// </summary>
    private IQueryable<Initiative> PressedOnlyByRows(IQueryable<Initiative> items, DateOnly today)
    {
        var pressing = db.FollowUps.Where(f => f.Answer == null && f.DueOn < today).Select(f => f.InitiativeId)
            .Union(db.LedgerRows.Where(LedgerRow.OverdueOn(today)).Select(r => r.InitiativeId));
        return items.Where(i => !(i.Overdue || i.MilestoneOverdue || i.Silent || i.Lagging) && pressing.Contains(i.Id));
    }

    /// <summary>
    /// Counts of the board's scope and filters by colour: from the roll-up per jurisdiction (its jurisdictions, not its
    /// items) when nothing narrows it further, else from the kept counts of the department, kind or year chosen.
    /// </summary>
    public async Task<ColourCounts> ColoursAsync(BoardQuery query, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        await kept.EnsureTodayAsync(ct);
        var within = await WithinAsync(query.JurisdictionId, ct);
        ColourCounts? sums;
        if (query.Extended == true)
        {
            // Items whose deadline moved are not kept apart in the counts: counted from the items (a small share).
            sums = await (await InScopeAsync(query, ct)).GroupBy(_ => 1).Select(g => new ColourCounts(
                g.Count(i => i.HealthColour == HealthColour.Red), g.Count(i => i.HealthColour == HealthColour.Amber), g.Count(i => i.HealthColour == HealthColour.Green)))
                .FirstOrDefaultAsync(ct);
        }
        else if (query is { DepartmentId: null, Kind: null, Year: null })
        {
            sums = await db.JurisdictionFlags.AsNoTracking().Readable(viewer, within)
                .GroupBy(_ => 1).Select(g => new ColourCounts(g.Sum(c => c.Red), g.Sum(c => c.Amber), g.Sum(c => c.Green))).FirstOrDefaultAsync(ct);
        }
        else
        {
            var counts = db.ReadableCounts(viewer);
            if (within is not null) counts = counts.Where(c => c.JurisdictionPath.StartsWith(within));
            if (query.DepartmentId is { } department) counts = counts.Where(c => c.DepartmentId == department);
            if (query.Kind is { } kind) counts = counts.Where(c => c.Kind == kind);
            if (query.Year is { } year) counts = counts.Where(c => c.Year == year);
            sums = await counts.GroupBy(_ => 1).Select(g => new ColourCounts(g.Sum(c => c.Red), g.Sum(c => c.Amber), g.Sum(c => c.Green))).FirstOrDefaultAsync(ct);
        }
        return sums ?? new ColourCounts(0, 0, 0);
    }

    /// <summary>The groups most in need of pressing: per lead department (or per jurisdiction), from the kept counts.</summary>
    public const int MaxGroups = 200;

    /// <summary>
    /// The <see cref="MaxGroups"/> departments (of the scope's jurisdictions) or jurisdictions with the most red and
    /// overdue items, over every year: each roll-up walked in that order on its index, so the groups shown are read, not every group.
    /// </summary>
    public async Task<List<BoardGroup>> GroupsAsync(int? jurisdictionId, bool byDepartment, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        await kept.EnsureTodayAsync(ct);
        var within = await WithinAsync(jurisdictionId, ct);
        var groups = byDepartment
            ? await db.DepartmentFlags.AsNoTracking().Readable(viewer, within).Where(f => f.Flagged > 0)
                .OrderByDescending(f => f.Red).ThenByDescending(f => f.Overdue).ThenBy(f => f.DepartmentId).Take(MaxGroups)
                .Select(f => new BoardGroup(f.DepartmentId, f.DepartmentName, f.Overdue, f.Lagging, f.Silent, f.MilestoneOverdue, f.Red)).ToListAsync(ct)
            : await db.JurisdictionFlags.AsNoTracking().Readable(viewer, within).Where(f => f.Flagged > 0)
                .OrderByDescending(f => f.Red).ThenByDescending(f => f.Overdue).ThenBy(f => f.JurisdictionId).Take(MaxGroups)
                .Join(db.Jurisdictions, f => f.JurisdictionId, j => j.Id, (f, j) => new BoardGroup(f.JurisdictionId, j.Name, f.Overdue, f.Lagging, f.Silent, f.MilestoneOverdue, f.Red))
                .ToListAsync(ct);
        return [.. groups.OrderByDescending(g => g.Red).ThenByDescending(g => g.Overdue).ThenBy(g => g.Name)];
    }

    /// <summary>The chosen jurisdiction's path (one that prefixes nothing when there is no such jurisdiction), or null for none chosen.</summary>
    private async Task<string?> WithinAsync(int? jurisdictionId, CancellationToken ct) =>
        jurisdictionId is { } id ? await ItemAccess.PathOfAsync(db, id, ct) : null;

    /// <summary>The items within the board's scope and filters, of which the board shows those that need pressing.</summary>
    private async Task<IQueryable<Initiative>> InScopeAsync(BoardQuery query, CancellationToken ct)
    {
        var items = db.Initiatives.AsNoTracking().Where(viewer.CanRead());
        if (query.JurisdictionId is { } jurisdiction) items = await items.WithinAsync(db, jurisdiction, ct);
        if (query.DepartmentId is { } department) items = items.Where(i => i.LeadDepartmentId == department);
        if (query.Kind is { } kind) items = items.Where(i => i.Kind == kind);
        if (query.Year is { } year) items = items.Where(i => i.Year == year);
        if (query.Extended == true) items = items.Where(i => i.OriginalDeadline != null);
        return items;
    }
}

internal sealed class BoardQueryValidator : AbstractValidator<BoardQuery>
{
    public BoardQueryValidator()
    {
        RuleFor(q => q.Page).InclusiveBetween(1, 100);
        RuleFor(q => q.PageSize).InclusiveBetween(1, 100);
    }
}
