using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Dispatch;

/// <summary>One round: what it asks, who has answered (by department, with each one's completion rate), the items not answered on time; its supervisors may call it off (<see cref="CancelDispatchRound"/>).</summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class RoundModel(ReadDispatch read, CancelDispatchRound cancel) : TrackerPage
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }

    public DispatchDetail Round { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Round = await read.OneAsync(Id, ct);

    public async Task<IActionResult> OnPostCancelAsync(CancellationToken ct)
    {
        if (await TrySubmitAsync(() => cancel.RunAsync(Id, ct)))
            return Redirect($"/dispatch/{Id}");
        Round = await read.OneAsync(Id, ct);
        return Page();
    }
}
