using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Lists;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Initiatives;

/// <summary>
/// An official's own items: those their department leads or co-operates on, overdue first, then silent,
/// then the active ones by the nearest deadline. Ordering and counts run in SQL over the health rules. Above them, the
/// dispatch rounds waiting on the department's answers.
/// </summary>
[Authorize(Policy = Policies.Report)]
public sealed class OfficialHomeModel(TrackerDbContext db, OfficeClock clock, KeptHealth kept, Dispatch.ReadDispatch dispatch, ReadSavedFilters savedFilters) : FilteredListPage(savedFilters)
{
    public const int PageSize = 20;

    public sealed record Row(long Id, string Code, string Title, bool Lead, DateOnly Deadline, int DaysToDeadline, DateOnly? LastReportedOn, decimal Progress, bool AcceptsReports, Health Health);

    /// <summary>Which items: overdue, silent or due within 14 days; all when empty.</summary>
    public enum Showing { Overdue, Silent, DueSoon }

    /// <summary>Those the department leads, or those it co-operates on; both when empty.</summary>
    public enum Part { Lead, Coop }

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    [BindProperty(SupportsGet = true)] public Showing? Show { get; set; }
    [BindProperty(SupportsGet = true)] public Part? Role { get; set; }

    /// <summary>How many items the filters match: one count over the department's two index scans.</summary>
    public int Total { get; private set; }


    public Paged<Row> Items { get; private set; } = new([], 1, PageSize, false);
    public int Overdue { get; private set; }
    public int Silent { get; private set; }
    public int DueSoon { get; private set; }
    public DateOnly Today { get; private set; }
    public string? Department { get; private set; }

    /// <summary>The open dispatch rounds still waiting on some of the department's items.</summary>
    public IReadOnlyList<Dispatch.DispatchAsk> Asked { get; private set; } = [];

    protected override string List => FilterLists.Official;

    public override async Task OnGetAsync(CancellationToken ct)
    {
        await kept.EnsureTodayAsync(ct);
        var today = clock.Today;
        Today = today;
        var department = Viewer.DepartmentId ?? -1;
        Department = await db.Departments.Where(d => d.Id == department).Select(d => d.Name).SingleOrDefaultAsync(ct);
        Asked = await dispatch.AskedOfMineAsync(ct);

        // The department's items (an official who is also a supervisor sees only these here), by their kept health:
        // a union of two index scans, bounded by the department's own items whatever the province holds.
        var mine = db.Initiatives.AsNoTracking().Where(Viewer.CanRead()).OfDepartment(db, department);

        var soon = today.AddDays(14);
        var counts = await mine.GroupBy(_ => 1).Select(g => new
        {
            Overdue = g.Count(i => i.Overdue),
            Silent = g.Count(i => i.Silent),
            DueSoon = g.Count(i => (i.Status == InitiativeStatus.Planned || i.Status == InitiativeStatus.InProgress) && i.Deadline >= today && i.Deadline <= soon),
        }).FirstOrDefaultAsync(ct);
        (Overdue, Silent, DueSoon) = (counts?.Overdue ?? 0, counts?.Silent ?? 0, counts?.DueSoon ?? 0);

        var shown = mine;
        if (Role == Part.Lead) shown = shown.Where(i => i.LeadDepartmentId == department);
        if (Role == Part.Coop) shown = shown.Where(i => i.LeadDepartmentId != department);
        if (Show == Showing.Overdue) shown = shown.Where(i => i.Overdue);
        if (Show == Showing.Silent) shown = shown.Where(i => i.Silent);
        if (Show == Showing.DueSoon) shown = shown.Where(i => (i.Status == InitiativeStatus.Planned || i.Status == InitiativeStatus.InProgress) && i.Deadline >= today && i.Deadline <= soon);
        Total = await shown.CountAsync(ct);
        await LoadSavedAsync(ct);

        Items = await shown
            .OrderByDescending(i => i.Overdue)
            .ThenByDescending(i => i.Silent)
            .ThenByDescending(i => i.Status == InitiativeStatus.Planned || i.Status == InitiativeStatus.InProgress)
            .ThenBy(i => i.Deadline).ThenBy(i => i.Id)
            .Select(i => new Row(i.Id, i.Code, i.Title, i.LeadDepartmentId == department, i.Deadline, i.Deadline.DayNumber - today.DayNumber,
                i.LastReportedOn, i.Progress, i.Status == InitiativeStatus.Planned || i.Status == InitiativeStatus.InProgress,
                new Health(i.HealthColour, i.Overdue, i.DaysOverdue, i.MilestoneOverdue, i.Silent,
                    i.LastReportedOn == null ? null : today.DayNumber - i.LastReportedOn.Value.DayNumber,
                    i.Lagging, i.LaggingRed, i.Progress, i.ExpectedProgress, i.LastReportedAt == null)))
            .ToPagedAsync(PageRequest.Of(PageNumber, PageSize, PageSize, PageSize), ct);
    }

    /// <summary>The filters applied, as the saved filters keep them (<see cref="FilterLists.Official"/>'s keys).</summary>
    protected override Dictionary<string, string> Filters() => SavedFiltersView.Of(("Show", Show), ("Role", Role));
}
