using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Bulletins;

/// <summary>
/// A jurisdiction's bulletins (通报): the archive newest first with a kind filter, which recurring bulletins it issues,
/// and a special bulletin issued by hand — through <see cref="ReadBulletins"/>, <see cref="BulletinSettings"/> and
/// <see cref="IssueSpecialBulletin"/>.
/// </summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class ArchiveModel(ReadBulletins read, BulletinSettings settings, IssueSpecialBulletin special, TrackerDbContext db, BulletinAccess access)
    : TrackerPage
{
    [BindProperty(SupportsGet = true)] public int? JurisdictionId { get; set; }
    [BindProperty(SupportsGet = true)] public BulletinKind? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public long? After { get; set; }

    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Text { get; set; }
    [BindProperty] public bool Daily { get; set; }
    [BindProperty] public bool Weekly { get; set; }
    [BindProperty] public bool Monthly { get; set; }

    public string Jurisdiction { get; private set; } = "";
    public Paged<BulletinSummary> Bulletins { get; private set; } = new([], 1, 20, false);
    public int Total { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(readSettings: true, ct);

    public async Task<IActionResult> OnPostSpecialAsync(CancellationToken ct)
    {
        await ChooseAsync(ct);
        BulletinDetail? issued = null;
        if (await TrySubmitAsync(async () => issued = await special.RunAsync(new SpecialBulletinInput(JurisdictionId, Title, Text), ct)))
            return Redirect($"/bulletins/{issued!.Id}");
        await LoadAsync(readSettings: true, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostSettingsAsync(CancellationToken ct)
    {
        await ChooseAsync(ct);
        if (await TrySubmitAsync(() => settings.SetAsync(JurisdictionId!.Value, new BulletinSettingsInput(Daily, Weekly, Monthly), ct)))
            return Redirect($"/supervisor/bulletins?jurisdictionId={JurisdictionId}");
        await LoadAsync(readSettings: false, ct);
        return Page();
    }

    private async Task LoadAsync(bool readSettings, CancellationToken ct)
    {
        await ChooseAsync(ct);
        Bulletins = await read.ListAsync(new BulletinQuery(JurisdictionId, Kind, After, 20), ct);
        Total = await read.CountAsync(JurisdictionId, Kind, ct);
        if (readSettings)
        {
            var on = await settings.ReadAsync(JurisdictionId!.Value, ct);
            (Daily, Weekly, Monthly) = (on.Daily!.Value, on.Weekly!.Value, on.Monthly!.Value);
        }
        Jurisdiction = await db.Jurisdictions.Where(j => j.Id == JurisdictionId).Select(j => j.Name).SingleAsync(ct);
    }

    private async Task ChooseAsync(CancellationToken ct) => JurisdictionId = await access.ChooseAsync(JurisdictionId, ct);
}
