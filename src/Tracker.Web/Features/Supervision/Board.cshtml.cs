using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Supervision;

/// <summary>The supervisor's board: what is overdue, lagging, silent or past a milestone, through <see cref="ReadBoard"/>.</summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class BoardModel(TrackerDbContext db, OfficeClock clock, ReadBoard board) : TrackerPage
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public int? JurisdictionId { get; set; }
    [BindProperty(SupportsGet = true)] public int? DepartmentId { get; set; }
    [BindProperty(SupportsGet = true)] public InitiativeKind? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }
    [BindProperty(SupportsGet = true)] public bool Queued { get; set; }

    public Paged<BoardItem> Board { get; private set; } = new([], 1, PageSize, false);
    public List<BoardGroup> Jurisdictions { get; private set; } = [];
    public int Red { get; private set; }
    public int Amber { get; private set; }
    public int Green { get; private set; }
    public List<SelectListItem> JurisdictionOptions { get; private set; } = [];
    public List<SelectListItem> DepartmentOptions { get; private set; } = [];
    public IReadOnlyList<int> Years { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var viewer = Viewer;
        PageNumber = Math.Clamp(PageNumber ?? 1, 1, 10_000);
        var today = clock.Today;
        Years = [.. Enumerable.Range(today.Year - 2, 4).Reverse()];

        // The supervisor's jurisdiction and everything below it (admins: all), tree order.
        var jurisdictions = db.Jurisdictions.AsNoTracking();
        if (!viewer.Is(Roles.Admin))
        {
            var path = viewer.JurisdictionPath ?? "-";
            jurisdictions = jurisdictions.Where(j => j.Path.StartsWith(path));
        }
        JurisdictionOptions = await Infrastructure.Web.JurisdictionOptions.ListAsync(jurisdictions, JurisdictionId, ct);
        var placeIds = JurisdictionOptions.Select(o => int.Parse(o.Value)).ToList();
        DepartmentOptions = [.. await db.Departments.AsNoTracking().Where(d => placeIds.Contains(d.JurisdictionId))
            .OrderBy(d => d.Jurisdiction!.Path).ThenBy(d => d.Name)
            .Select(d => new SelectListItem(d.Name, d.Id.ToString(), d.Id == DepartmentId)).ToListAsync(ct)];
        if (JurisdictionId is { } chosen && !placeIds.Contains(chosen))
            JurisdictionId = null;

        var query = new BoardQuery(JurisdictionId, DepartmentId, Kind, Year, PageNumber, PageSize);
        Board = await board.RunAsync(query, ct);
        Jurisdictions = await board.GroupsAsync(JurisdictionId, byDepartment: false, ct);
        (Red, Amber, Green) = await board.ColoursAsync(query, ct);
    }

    /// <summary>Queues the daily sweep now, as <c>POST /api/reminders/sweep</c> does.</summary>
    public IActionResult OnPostSweep([FromServices] QueueSweep sweep)
    {
        sweep.Run();
        return RedirectToPage(new { Queued = true });
    }

    /// <summary>The query string of this board's filters on another page.</summary>
    public object Route(int page) => new { JurisdictionId, DepartmentId, Kind, Year, p = page };

}
