using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;

namespace Tracker.Web.Features.Programmes;

/// <summary>A set's roll-up: its figures (<see cref="RollUp.Figures"/>) and its key projects' investment of the year by month (<see cref="Investment.Curve"/>).</summary>
public sealed record SetRollUp(RollUpFigures Figures, IReadOnlyList<InvestmentPoint> Investment);

/// <summary>
/// The figures of a set of items a reader may read — a programme's members, a jurisdiction's items of a year — in three
/// grouped queries whatever the set's size (a few dozen rows each); the rules are the domain's.
/// </summary>
internal static class SetFigures
{
    /// <summary>
    /// The roll-up of <c>items</c>, already narrowed to what the reader may read, out of <c>members</c> in all when the
    /// set holds more: the difference is counted as hidden, never in a figure.
    /// </summary>
    public static async Task<SetRollUp> ReadAsync(TrackerDbContext db, IQueryable<Initiative> items, int? members, int year, DateOnly today, CancellationToken ct)
    {
        var groups = await items
            .GroupBy(i => new { i.Status, i.Phase, i.HealthColour, Reported = i.LastReportedAt != null, Due = i.PlannedStart <= today })
            .Select(g => new
            {
                g.Key.Status,
                g.Key.Phase,
                g.Key.HealthColour,
                g.Key.Reported,
                g.Key.Due,
                Progress = g.Average(i => i.Progress),
                Count = g.Count(),
                Planned = g.Sum(i => i.KeyProject == null ? 0m : i.KeyProject.PlannedInvestment),
                Completed = g.Sum(i => i.KeyProject == null ? 0m : i.KeyProject.CompletedInvestment),
            })
            .ToListAsync(ct);
        var readable = groups.Select(g => new RollUpItem(0, null, 1m, g.Status, g.Phase, g.HealthColour, g.Progress, g.Reported,
            g.Due ? today : DateOnly.MaxValue, g.Planned, g.Completed, Count: g.Count)).ToList();
        var hidden = (members ?? 0) - readable.Sum(g => g.Count);
        var figures = RollUp.Figures(hidden > 0 ? [.. readable, Hidden(hidden)] : readable, today);

        // The plan by month is spread between each project's start and deadline: projects alike in those months are one row.
        var projects = items.Where(i => i.Status != InitiativeStatus.Cancelled && i.KeyProject != null);
        var spreads = await projects
            .GroupBy(i => new { StartYear = i.PlannedStart.Year, StartMonth = i.PlannedStart.Month, EndYear = i.Deadline.Year, EndMonth = i.Deadline.Month })
            .Select(g => new { g.Key.StartYear, g.Key.StartMonth, g.Key.EndYear, g.Key.EndMonth, Planned = g.Sum(i => i.KeyProject!.PlannedInvestment) })
            .ToListAsync(ct);
        DateOnly first = new(year, 1, 1), next = new(year + 1, 1, 1);
        var months = await db.InvestmentMonths.Where(m => m.Month >= first && m.Month < next && projects.Any(i => i.Id == m.InitiativeId))
            .GroupBy(m => m.Month).Select(g => new { Month = g.Key, Completed = g.Sum(m => m.Completed) })
            .ToListAsync(ct);
        var curve = Investment.Curve(year,
            spreads.Select(s => new PlannedSpread(new(s.StartYear, s.StartMonth, 1), new(s.EndYear, s.EndMonth, 1), s.Planned)),
            months.Select(m => (m.Month, m.Completed)));
        return new SetRollUp(figures, curve);
    }

    /// <summary>The members the reader may not read: only counted.</summary>
    private static RollUpItem Hidden(int count) =>
        new(0, null, 0m, InitiativeStatus.Planned, Phase.Preparation, HealthColour.Grey, 0m, false, DateOnly.MaxValue, Readable: false, Count: count);
}
