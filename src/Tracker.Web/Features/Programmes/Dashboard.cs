using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Bulletins;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Programmes;

/// <summary>
/// A jurisdiction's year at a glance: the roll-up of its items and those below it, its key projects' investment by
/// month, the jurisdictions under it ranked, and its programmes.
/// </summary>
public sealed record DashboardDetail(int JurisdictionId, string Jurisdiction, int Year, RollUpFigures Figures, IReadOnlyList<InvestmentPoint> Investment,
    IReadOnlyList<ProgressPoint> Progress,
    IReadOnlyList<RankedUnit> Ranking, IReadOnlyList<ProgrammeSummary> Programmes);

/// <summary>
/// The jurisdiction dashboard for its supervisors (and admins): a fixed number of grouped queries whatever the number of
/// items. The ranking of the jurisdictions one level down is the department ranking's kept figures (by the lead
/// department's jurisdiction) and their key projects' start and investment, ordered by <see cref="Ranking.Rank"/>.
/// </summary>
public sealed class ReadDashboard([FromKeyedServices(ReplicaReads.Key)] TrackerDbContext db, Viewer viewer, OfficeClock clock, KeptHealth kept, BulletinAccess access, ReadProgrammes programmes) : IUseCase
{
    public async Task<DashboardDetail> RunAsync(int jurisdictionId, int? year, CancellationToken ct)
    {
        var path = await access.RequireJurisdictionAsync(jurisdictionId, ct);
        if (year is < 2000 or > 2100)
            throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("year", "The year is between 2000 and 2100.")]);
        await kept.EnsureTodayAsync(ct);
        var today = clock.Today;
        var y = year ?? today.Year;
        var name = await db.Jurisdictions.Where(j => j.Id == jurisdictionId).Select(j => j.Name).SingleAsync(ct);
        var items = db.Initiatives.AsNoTracking().Where(viewer.CanRead()).Where(i => i.Year == y && i.JurisdictionPath.StartsWith(path));
        var rollUp = await SetFigures.ReadAsync(db, items, null, y, today, ct);
        var ranking = await RankChildrenAsync(jurisdictionId, y, today, ct);
        return new DashboardDetail(jurisdictionId, name, y, rollUp.Figures, rollUp.Investment, rollUp.Progress, ranking, await programmes.ListAsync(jurisdictionId, y, ct));
    }

    private async Task<IReadOnlyList<RankedUnit>> RankChildrenAsync(int jurisdictionId, int year, DateOnly today, CancellationToken ct)
    {
        var children = db.Jurisdictions.Where(j => j.ParentId == jurisdictionId);
        var names = await children.OrderBy(c => c.Id).Select(c => new { c.Id, c.Name }).ToListAsync(ct);
        if (names.Count == 0)
            return [];
        var counts = (await (
                from c in children
                from d in db.DepartmentCounts.Where(d => d.Year == year && d.Path.StartsWith(c.Path))
                group d by c.Id into g
                select new { Id = g.Key, Items = g.Sum(x => x.Items), Due = g.Sum(x => x.Due), OnTime = g.Sum(x => x.OnTime), Progress = g.Sum(x => x.ProgressSum), Red = g.Sum(x => x.Red) })
            .ToListAsync(ct)).ToDictionary(x => x.Id);
        // Key projects by unit and by where they stand: whether one has started is the domain's rule (RollUp.HasStarted).
        var projects = (await (
                from c in children
                from i in db.Initiatives.Where(i => i.Year == year && i.KeyProject != null && i.Status != InitiativeStatus.Cancelled && i.JurisdictionPath.StartsWith(c.Path))
                group i by new { c.Id, i.Status, i.Phase, Due = i.PlannedStart <= today } into g
                select new { g.Key.Id, g.Key.Status, g.Key.Phase, g.Key.Due, Count = g.Count(), Planned = g.Sum(i => i.KeyProject!.PlannedInvestment), Completed = g.Sum(i => i.KeyProject!.CompletedInvestment) })
            .ToListAsync(ct)).ToLookup(x => x.Id);
        return Ranking.Rank(names.Select(n =>
        {
            var c = counts.GetValueOrDefault(n.Id);
            var p = projects[n.Id].ToList();
            var due = p.Where(x => x.Due).ToList();
            return new UnitStanding(n.Id, n.Name, c?.Items ?? 0, c?.Due ?? 0, c?.OnTime ?? 0, c?.Progress ?? 0m, c?.Red ?? 0,
                due.Sum(x => x.Count),
                due.Where(x => RollUp.HasStarted(x.Status, x.Phase)).Sum(x => x.Count),
                p.Sum(x => x.Planned), p.Sum(x => x.Completed));
        }));
    }
}
