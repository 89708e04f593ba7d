using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Tracker.Web.Features.Public;

/// <summary>Anyone: one published livelihood item with its milestones and photos, through <see cref="ReadPublished"/>.</summary>
[AllowAnonymous]
public sealed class ItemModel(ReadPublished read) : PageModel
{
    public PublicInitiative Item { get; private set; } = null!;

    public async Task OnGetAsync(long id, CancellationToken ct) =>
        Item = await read.GetAsync(id, ct);
}
