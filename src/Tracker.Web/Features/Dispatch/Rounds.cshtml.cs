using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Bulletins;
using Tracker.Web.Features.Directory;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Dispatch;

/// <summary>
/// A jurisdiction's dispatch rounds (调度), newest first with their answers so far, and the form that sets one up —
/// through <see cref="ReadDispatch"/> and <see cref="OpenDispatchRound"/>. Times are the office's wall clock.
/// </summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class RoundsModel(ReadDispatch read, OpenDispatchRound open, FindUnits find, OfficeClock clock, TrackerDbContext db, BulletinAccess access)
    : TrackerPage
{
    [BindProperty(SupportsGet = true)] public int? JurisdictionId { get; set; }
    [BindProperty(SupportsGet = true)] public long? After { get; set; }

    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Instructions { get; set; }
    [BindProperty] public InitiativeKind? Kind { get; set; }
    [BindProperty] public int? DepartmentId { get; set; }
    [BindProperty] public string? DepartmentText { get; set; }
    [BindProperty] public bool FiguresRequired { get; set; }
    [BindProperty] public DateTime? OpensAt { get; set; }
    [BindProperty] public DateTime? DueAt { get; set; }
    [BindProperty] public bool Weekly { get; set; }

    public string Jurisdiction { get; private set; } = "";
    public Paged<DispatchSummary> Rounds { get; private set; } = new([], 1, 20, false);
    public int Total { get; private set; }
    public UnitPick DepartmentPick { get; private set; } = UnitPick.None;

    public async Task OnGetAsync(CancellationToken ct)
    {
        // The office's habit: due on the coming Friday at 17:00, every week.
        var today = clock.Today;
        DueAt ??= today.AddDays(((int)DayOfWeek.Friday - (int)today.DayOfWeek + 7) % 7 is var d && d == 0 ? 7 : d).ToDateTime(new TimeOnly(17, 0));
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await ChooseAsync(ct);
        DispatchDetail? round = null;
        var input = new DispatchInput(JurisdictionId, Title, Instructions, Kind, DepartmentId, FiguresRequired, OnWallClock(clock, OpensAt), OnWallClock(clock, DueAt), Weekly);
        if (await TrySubmitAsync(async () => round = await open.RunAsync(input, ct)))
            return Redirect($"/dispatch/{round!.Id}");
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await ChooseAsync(ct);
        Rounds = await read.ListAsync(new DispatchQuery(JurisdictionId, After, 20), ct);
        Total = await read.CountAsync(JurisdictionId, ct);
        Jurisdiction = await db.Jurisdictions.Where(j => j.Id == JurisdictionId).Select(j => j.Name).SingleAsync(ct);
        var place = await find.PickJurisdictionAsync(JurisdictionId, null, everyone: false, firstByDefault: true, ct);
        DepartmentPick = await find.PickDepartmentAsync(DepartmentId, DepartmentText, place, ct);
    }

    private async Task ChooseAsync(CancellationToken ct) => JurisdictionId = await access.ChooseAsync(JurisdictionId, ct);
}
