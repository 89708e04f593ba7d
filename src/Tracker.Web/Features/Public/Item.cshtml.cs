using Microsoft.AspNetCore.Mvc.RazorPages;
using Tracker.Web.Data;

namespace Tracker.Web.Features.Public;

/// <summary>Anyone: one published livelihood item with its milestones and photos, through <see cref="PublicApi.Get"/>.</summary>
public sealed class ItemModel(TrackerDbContext db) : PageModel
{
    public PublicInitiative Item { get; private set; } = null!;

    public async Task OnGetAsync(long id, CancellationToken ct) =>
        Item = (await PublicApi.Get(id, db, ct)).Value!;
}
