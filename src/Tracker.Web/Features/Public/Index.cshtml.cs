using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Public;

/// <summary>Anyone: the year's published livelihood items of a jurisdiction, through <see cref="ReadPublished"/>.</summary>
[AllowAnonymous]
public sealed class IndexModel(TrackerDbContext db, OfficeClock clock, ReadPublished read) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true)] public int? JurisdictionId { get; set; }
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }

    public List<SelectListItem> Places { get; private set; } = [];
    public IReadOnlyList<int> Years { get; private set; } = [];
    public Paged<PublicInitiative> Items { get; private set; } = new([], 1, PageSize, false);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = clock.Today;
        Years = [.. Enumerable.Range(today.Year - 4, 5).Reverse()];
        if (Year is null || Year < 2000 || Year > 2100)
            Year = today.Year;
        Places = await JurisdictionOptions.ListAsync(db.Jurisdictions, JurisdictionId, ct);
        if (Places.All(p => !p.Selected) && Places.FirstOrDefault() is { } top)
        {
            JurisdictionId = int.Parse(top.Value);
            top.Selected = true;
        }
        PageNumber = Math.Clamp(PageNumber ?? 1, 1, 10_000);
        Items = await read.ListAsync(JurisdictionId, Year, PageNumber, PageSize, ct);
    }
}
