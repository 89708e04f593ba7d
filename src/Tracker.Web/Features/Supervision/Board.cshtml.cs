using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Directory;
using Tracker.Web.Features.Lists;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Supervision;

/// <summary>The supervisor's board: what is overdue, lagging, silent or past a milestone, through <see cref="ReadBoard"/>.</summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class BoardModel(OfficeClock clock, ReadBoard board, FindUnits find, ReadSavedFilters savedFilters) : FilteredListPage(savedFilters)
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public int? JurisdictionId { get; set; }
    [BindProperty(SupportsGet = true)] public int? DepartmentId { get; set; }
    [BindProperty(SupportsGet = true)] public string? JurisdictionText { get; set; }
    [BindProperty(SupportsGet = true)] public string? DepartmentText { get; set; }
    [BindProperty(SupportsGet = true)] public InitiativeKind? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty(SupportsGet = true)] public bool Extended { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }
    [BindProperty(SupportsGet = true)] public bool Queued { get; set; }

    public Paged<BoardItem> Board { get; private set; } = new([], 1, PageSize, false);
    public List<BoardGroup> Jurisdictions { get; private set; } = [];
    public int Red { get; private set; }
    public int Amber { get; private set; }
    public int Green { get; private set; }
    public UnitPick JurisdictionPick { get; private set; } = UnitPick.None;
    public UnitPick DepartmentPick { get; private set; } = UnitPick.None;
    public IReadOnlyList<int> Years { get; private set; } = [];

    /// <summary>How many items the filters match, when the board was counted (one count beside the page).</summary>
    public int Total { get; private set; }

    protected override string List => FilterLists.Board;

    public override async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Clamp(PageNumber ?? 1, 1, 10_000);
        var today = clock.Today;
        Years = [.. Enumerable.Range(today.Year - 2, 4).Reverse()];

        // The pickers list a few of the supervisor's jurisdictions and departments (admins: all), narrowed by what was
        // typed and, for departments, by the jurisdiction chosen; a unit out of reach is not chosen.
        JurisdictionPick = await find.PickJurisdictionAsync(JurisdictionId, JurisdictionText, everyone: false, firstByDefault: false, ct);
        DepartmentPick = await find.PickDepartmentAsync(DepartmentId, DepartmentText, JurisdictionPick, ct);
        JurisdictionId = JurisdictionPick.Chosen?.Id;
        DepartmentId = DepartmentPick.Chosen?.Id;

        var query = new BoardQuery(JurisdictionId, DepartmentId, Kind, Year, PageNumber, PageSize, Extended ? true : null);
        Board = await board.RunAsync(query, ct);
        Jurisdictions = await board.GroupsAsync(JurisdictionId, byDepartment: false, ct);
        (Red, Amber, Green) = await board.ColoursAsync(query, ct);
        Total = await board.CountAsync(query, ct);
        await LoadSavedAsync(ct);
    }

    /// <summary>The filters applied, as the saved filters keep them (<see cref="FilterLists.Board"/>'s keys).</summary>
    protected override Dictionary<string, string> Filters() => SavedFiltersView.Of(("JurisdictionId", JurisdictionId), ("DepartmentId", DepartmentId),
        ("JurisdictionText", JurisdictionText), ("DepartmentText", DepartmentText), ("Kind", Kind), ("Year", Year), ("Extended", Extended));

    /// <summary>Queues the daily sweep now, as <c>POST /api/reminders/sweep</c> does.</summary>
    public IActionResult OnPostSweep([FromServices] QueueSweep sweep)
    {
        sweep.Run();
        return RedirectToPage(new { Queued = true });
    }

    /// <summary>The board's export with the filters shown.</summary>
    public string ExportUrl(Infrastructure.SheetFormat format) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/api/board/export",
        new Dictionary<string, string?>
        {
            ["jurisdictionId"] = JurisdictionId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["departmentId"] = DepartmentId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["kind"] = Kind?.ToString(),
            ["year"] = Year?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["extended"] = Extended ? "true" : null,
            ["format"] = format.ToString(),
        }.Where(p => p.Value is not null));

    /// <summary>The query string of this board's filters on another page.</summary>
    public object Route(int page) => new { JurisdictionId, DepartmentId, JurisdictionText, DepartmentText, Kind, Year, Extended, p = page };

}
