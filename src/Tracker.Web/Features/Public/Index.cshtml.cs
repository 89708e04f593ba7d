using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tracker.Domain;
using Tracker.Web.Features.Directory;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Public;

/// <summary>Anyone: the year's published livelihood items of a jurisdiction, through <see cref="ReadPublished"/>.</summary>
[AllowAnonymous]
public sealed class IndexModel(OfficeClock clock, ReadPublished read, FindUnits find, Bulletins.ReadPublicBulletins bulletins) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true)] public int? JurisdictionId { get; set; }
    [BindProperty(SupportsGet = true)] public string? JurisdictionText { get; set; }
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }

    public UnitPick Places { get; private set; } = UnitPick.None;
    public IReadOnlyList<int> Years { get; private set; } = [];
    public Paged<PublicInitiative> Items { get; private set; } = new([], 1, PageSize, false);

    /// <summary>The jurisdiction's published negative lists (通报晾晒), newest first.</summary>
    public IReadOnlyList<Bulletins.PublicBulletinSummary> Bulletins { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = clock.Today;
        Years = [.. Enumerable.Range(today.Year - 4, 5).Reverse()];
        if (Year is null || Year < 2000 || Year > 2100)
            Year = today.Year;
        // A few of the province's jurisdictions, narrowed by what was typed; with none chosen, the top one.
        Places = await find.PickJurisdictionAsync(JurisdictionId, JurisdictionText, everyone: true, firstByDefault: true, ct);
        JurisdictionId = Places.Chosen?.Id;
        PageNumber = Math.Clamp(PageNumber ?? 1, 1, 10_000);
        Items = await read.ListAsync(JurisdictionId, Year, PageNumber, PageSize, ct);
        if (JurisdictionId is { } place)
            Bulletins = await bulletins.ListAsync(place, ct);
    }
}
