using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Bulletins;

/// <summary>A bulletin as issued, laid out to print on A4; its supervisors may withdraw it with a reason (<see cref="WithdrawBulletin"/>).</summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class BulletinModel(ReadBulletins read, WithdrawBulletin withdraw, PublishBulletin publish) : TrackerPage
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? TakeDownReason { get; set; }

    public BulletinDetail Bulletin { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Bulletin = await read.OneAsync(Id, ct);

    public async Task<IActionResult> OnPostWithdrawAsync(CancellationToken ct)
    {
        if (await TrySubmitAsync(() => withdraw.RunAsync(Id, new WithdrawalInput(Reason), ct)))
            return Redirect($"/bulletins/{Id}");
        Bulletin = await read.OneAsync(Id, ct);
        return Page();
    }

    /// <summary>Publishes the ranking and negative list on the public pages, or takes them down with a reason.</summary>
    public async Task<IActionResult> OnPostPublishAsync(bool published, CancellationToken ct)
    {
        if (await TrySubmitAsync(() => publish.RunAsync(Id, new PublicationInput(published, published ? null : TakeDownReason), ct), published ? "" : nameof(TakeDownReason)))
            return Redirect($"/bulletins/{Id}");
        Bulletin = await read.OneAsync(Id, ct);
        return Page();
    }
}
