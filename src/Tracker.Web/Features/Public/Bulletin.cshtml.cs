using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tracker.Web.Features.Bulletins;

namespace Tracker.Web.Features.Public;

/// <summary>Anyone: a published bulletin's ranking and negative list (通报晾晒), through <see cref="ReadPublicBulletins"/>.</summary>
[AllowAnonymous]
public sealed class BulletinModel(ReadPublicBulletins read) : PageModel
{
    public PublicBulletin Bulletin { get; private set; } = null!;

    public async Task OnGetAsync(long id, CancellationToken ct) => Bulletin = await read.OneAsync(id, ct);
}
