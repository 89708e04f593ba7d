using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Reminders;

/// <summary>
/// The delivery log: each e-mail and webhook notice with its attempts, last error and next try, a page of one state at a
/// time with the totals per state, and "retry now" on one not yet sent (<see cref="RetryDelivery"/>, as the API's).
/// </summary>
[Authorize(Policy = Policies.Administer)]
public sealed class DeliveriesModel(ReadDeliveries read) : TrackerPage
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public DeliveryState? State { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }

    /// <summary>The delivery just retried, and whether this request queued it (false: a retry was queued already).</summary>
    [BindProperty(SupportsGet = true)] public long? Retried { get; set; }
    [BindProperty(SupportsGet = true)] public bool Queued { get; set; }

    /// <summary>The delivery whose retry was refused, to say why beside it.</summary>
    public long? FailedId { get; private set; }

    public DeliveryLog Log { get; private set; } = new(new([], 1, PageSize, false), new Dictionary<DeliveryState, int>());

    public int Total => Log.Totals.Values.Sum();

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostRetryAsync(long id, [FromServices] RetryDelivery retry, CancellationToken ct)
    {
        RetryResult? result = null;
        if (await TrySubmitAsync(async () => result = await retry.RunAsync(id, ct)))
            return RedirectToPage(new { State, p = PageNumber, Retried = id, Queued = result!.Queued });
        FailedId = id;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        PageNumber = Math.Clamp(PageNumber ?? 1, 1, 10_000);
        Log = await read.ListAsync(State, PageNumber, PageSize, ct);
    }
}
