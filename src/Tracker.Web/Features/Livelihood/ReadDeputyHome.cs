using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Livelihood;

public sealed record HomeItem(long Id, string Code, string Title, bool VotedFor, bool Supervised, Health Health, ReportDto? LatestReport, IReadOnlyList<FollowUpDto> OpenFollowUps);

/// <summary>A card of the deputy's home page: the item with its targets and its progress over time.</summary>
public sealed record HomeCard(HomeItem Item, IReadOnlyList<TargetDto> Targets, IReadOnlyList<Charts.Point> Points, DateOnly Start, DateOnly Deadline);

/// <summary>
/// A deputy's home: the items they voted for and those their groups supervise (of one year, when given), with
/// progress, colour, latest report and open follow-ups. A fixed number of queries however many items: the ids, the
/// items with their targets, their latest reports, their open follow-ups (and, for the page, their charts).
/// </summary>
public sealed class ReadDeputyHome(TrackerDbContext db, Viewer viewer, OfficeClock clock, HealthPolicy policy) : IUseCase
{
    public async Task<List<HomeItem>> RunAsync(int? year, CancellationToken ct) =>
        [.. (await ReadAsync(year, withCharts: false, ct)).Select(c => c.Item)];

    public Task<List<HomeCard>> CardsAsync(int? year, CancellationToken ct) => ReadAsync(year, withCharts: true, ct);

    private async Task<List<HomeCard>> ReadAsync(int? year, bool withCharts, CancellationToken ct)
    {
        Require.That(viewer.Is(Roles.Deputy), "This is the deputies' home.");
        var voted = await db.BallotChoices.Where(c => c.Choice == VoteChoice.For && db.Ballots.Any(b => b.Id == c.BallotId && b.DeputyUserId == viewer.UserId))
            .Join(db.Candidates, c => c.CandidateId, k => k.Id, (c, k) => k.InitiativeId).Where(i => i != null).Select(i => i!.Value).ToListAsync(ct);
        var supervised = (await db.DeputyGroups.Where(g => g.MemberUserIds.Contains(viewer.UserId!)).Select(g => g.InitiativeIds).ToListAsync(ct)).SelectMany(x => x).ToList();
        var ids = voted.Concat(supervised).Distinct().ToList();
        var health = new HealthContext(clock.Today, policy);
        var items = await db.Initiatives.AsNoTracking().Include(i => i.Targets.OrderBy(t => t.Id))
            .Where(viewer.CanRead()).Where(i => ids.Contains(i.Id) && (year == null || i.Year == year))
            .OrderBy(i => i.Deadline).ThenBy(i => i.Id).AsSplitQuery().ToListAsync(ct);
        var shown = items.Select(i => i.Id).ToList();
        var latest = await ReadReports.LatestAsync(db, shown, ct);
        var openFollowUps = await db.FollowUps.AsNoTracking().Where(f => shown.Contains(f.InitiativeId) && f.Answer == null).ToListAsync(ct);
        var charts = withCharts ? await ReadReports.HistoriesAsync(db, shown, ct) : [];
        return [.. items.Select(i => new HomeCard(
            new HomeItem(i.Id, i.Code, i.Title, voted.Contains(i.Id), supervised.Contains(i.Id), HealthRules.Evaluate(i, health),
                latest.TryGetValue(i.Id, out var report) ? ReportDto.From(report) : null,
                [.. openFollowUps.Where(f => f.InitiativeId == i.Id)
                    .Select(f => new FollowUpDto(f.Id, f.InitiativeId, f.DepartmentId, f.Request, f.DueOn, null, null, f.IsOverdue(health.Today)))]),
            [.. i.Targets.Select(TargetDto.From)], charts.GetValueOrDefault(i.Id) ?? [], i.PlannedStart, i.Deadline))];
    }
}
