using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Bulletins;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Livelihood;

/// <summary>
/// A jurisdiction's deputy supervision groups (代表小组) with their members and items, and the form that forms one from
/// its deputies and assigns it the year's livelihood and voted items, through <see cref="FormGroup"/>, as the API.
/// </summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class GroupsModel(TrackerDbContext db, OfficeClock clock, BulletinAccess access, ScreenProposals screen, ReadGroups read, FormGroup form)
    : TrackerPage
{
    /// <summary>The items the form offers: a city's livelihood items of a year are tens, a province's a few hundred.</summary>
    private const int ItemsOffered = 500;

    [BindProperty(SupportsGet = true)] public int? JurisdictionId { get; set; }
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }

    [BindProperty] public GroupForm Input { get; set; } = new();

    public sealed class GroupForm
    {
        public string? Name { get; set; }
        public string[] MemberUserIds { get; set; } = [];
        public long[] InitiativeIds { get; set; } = [];
    }

    public sealed record Person(string Id, string Name);

    public sealed record ItemRef(long Id, string Code, string Title);

    public string JurisdictionName { get; private set; } = "";
    public IReadOnlyList<GroupDto> Groups { get; private set; } = [];
    public IReadOnlyList<Person> Deputies { get; private set; } = [];

    /// <summary>The year's items the form offers.</summary>
    public IReadOnlyList<ItemRef> Items { get; private set; } = [];

    /// <summary>Every item named by a group shown or offered by the form, by id.</summary>
    public IReadOnlyDictionary<long, ItemRef> ItemsById { get; private set; } = new Dictionary<long, ItemRef>();

    [TempData] public string? Done { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        GroupDto? group = null;
        if (await TrySubmitAsync(async () => group = await form.RunAsync(new GroupInput(JurisdictionId, Input.Name, Input.MemberUserIds, Input.InitiativeIds), ct),
                nameof(Input)))
        {
            Done = group!.Name;
            return RedirectToPage(new { JurisdictionId, Year });
        }
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        JurisdictionId = await access.ChooseAsync(JurisdictionId, ct);
        Year ??= clock.Today.Year;
        (JurisdictionName, var path) = await screen.OpenAsync(JurisdictionId.Value, ct);
        Groups = await read.RunAsync(JurisdictionId, ct);
        Deputies = await VotingApi.DeputiesOf(db, JurisdictionId.Value).OrderBy(u => u.DisplayName).Select(u => new Person(u.Id, u.DisplayName)).ToListAsync(ct);
        var named = Groups.SelectMany(g => g.InitiativeIds).Distinct().ToList();
        var offered = db.Initiatives.Where(Initiative.ForDeputies).Where(o => o.Year == Year && o.JurisdictionPath.StartsWith(path))
            .OrderBy(o => o.Code).Take(ItemsOffered).Select(o => o.Id);
        var rows = await db.Initiatives.AsNoTracking()
            .Where(i => named.Contains(i.Id) || offered.Contains(i.Id))
            .Select(i => new { i.Id, i.Code, i.Title, Offered = i.Year == Year && i.JurisdictionPath.StartsWith(path) })
            .ToListAsync(ct);
        ItemsById = rows.ToDictionary(r => r.Id, r => new ItemRef(r.Id, r.Code, r.Title));
        Items = [.. rows.Where(r => r.Offered).OrderBy(r => r.Code, StringComparer.Ordinal).Select(r => ItemsById[r.Id])];
    }
}
