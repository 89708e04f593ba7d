using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Plans;

/// <summary>The supervisors' queue of change requests awaiting a decision, oldest first; approve or reject each through <see cref="DecideChange"/>.</summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class ChangesModel(ReadPlans plans) : TrackerPage
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }

    /// <summary>The request just decided, to confirm.</summary>
    [BindProperty(SupportsGet = true)] public long? Done { get; set; }
    [BindProperty(SupportsGet = true)] public bool? Approved { get; set; }

    [BindProperty] public string? Comment { get; set; }

    /// <summary>The request whose decision failed, to show its errors beside it.</summary>
    public long? FailedId { get; private set; }

    public Paged<ChangeRequestDto> Requests { get; private set; } = new([], 1, PageSize, false);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostDecideAsync(long id, bool approve, [FromServices] DecideChange decide, CancellationToken ct)
    {
        if (await TrySubmitAsync(() => decide.RunAsync(id, new ChangeDecision(approve, Comment), null, ct)))
            return RedirectToPage(new { p = PageNumber, Done = id, Approved = approve });
        FailedId = id;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        PageNumber = Math.Clamp(PageNumber ?? 1, 1, 10_000);
        Requests = await plans.PendingAsync(PageNumber, PageSize, ct);
    }
}
