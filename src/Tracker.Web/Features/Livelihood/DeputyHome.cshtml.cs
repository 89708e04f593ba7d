using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Livelihood;

/// <summary>
/// The deputy's home: the open votes of their congress, then the items they voted for and those their
/// groups supervise, each with its health, targets, progress over time, latest report and open follow-ups.
/// </summary>
[Authorize(Policy = Policies.Represent)]
public sealed class DeputyHomeModel(TrackerDbContext db, OfficeClock clock, ReadDeputyHome home) : TrackerPage
{
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
        Cards = [.. (await home.CardsAsync(Year, ct))
            .Select(c => new Card(c.Item, [.. c.Targets.Select(TargetBar.From)], c.Points, c.Start, c.Deadline))];
    }
}
