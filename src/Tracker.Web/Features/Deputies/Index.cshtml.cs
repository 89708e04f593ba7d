using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Deputies;

/// <summary>
/// The deputy's home: the open votes of their congress, then the items they voted for and those their
/// groups supervise, each with its health, targets, progress over time, latest report and open follow-ups.
/// </summary>
public sealed class IndexModel(TrackerDbContext db, OfficeClock clock, HealthPolicy policy) : TrackerPage
{
    /// <summary>At most this many reports are drawn on an item's chart (the latest ones).</summary>

    public sealed record OpenSession(long Id, string Name, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, bool Voted);

    public sealed record Card(HomeItem Item, IReadOnlyList<TargetBar> Targets, IReadOnlyList<Charts.Point> Points, DateOnly Start, DateOnly Deadline);

    public IReadOnlyList<OpenSession> Sessions { get; private set; } = [];
    public IReadOnlyList<Card> Cards { get; private set; } = [];
    public DateOnly Today { get; private set; }

    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    public IReadOnlyList<int> Years { get; private set; } = [];

    /// <summary>What the last form on another page did (e.g. "inspection recorded").</summary>
    [TempData] public string? Done { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Today = clock.Today;
        var viewer = Viewer;
        var now = clock.Now;
        var jurisdiction = viewer.JurisdictionId ?? -1;
        Sessions = await db.Sessions.AsNoTracking()
            .Where(s => s.JurisdictionId == jurisdiction && s.OpensAt <= now && now < s.ClosesAt)
            .OrderBy(s => s.ClosesAt).ThenBy(s => s.Id)
            .Select(s => new OpenSession(s.Id, s.Name, s.OpensAt, s.ClosesAt,
                db.Ballots.Any(b => b.SessionId == s.Id && b.DeputyUserId == viewer.UserId)))
            .ToListAsync(ct);

        // One year's items at a time: a deputy's list would otherwise grow with every term.
        Year ??= Today.Year;
        Years = [.. Enumerable.Range(Today.Year - 3, 5).Reverse()];
        var home = (await DeputiesApi.Home(Year, viewer, db, clock, policy, ct)).Value!;
        var health = new HealthContext(Today, policy);
        var cards = new List<Card>(home.Count);
        foreach (var item in home)
        {
            // A deputy follows at most dozens of items: one detail each, read by the API's own loader.
            var detail = await InitiativesApi.LoadDetail(db, item.Id, health, ct);
            var points = await ProgressApi.ProgressHistoryAsync(db, item.Id, ct);
            cards.Add(new Card(item, [.. detail.Targets.Select(TargetBar.From)], points, detail.PlannedStart, detail.Deadline));
        }
        Cards = cards;
    }
}
