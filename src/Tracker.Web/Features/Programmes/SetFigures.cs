using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;

namespace Tracker.Web.Features.Programmes;

/// <summary>A set's roll-up: its figures (<see cref="RollUp.Figures"/>) and its key projects' investment of the year by month (<see cref="Investment.Curve"/>).</summary>
public sealed record SetRollUp(RollUpFigures Figures, IReadOnlyList<InvestmentPoint> Investment, IReadOnlyList<ProgressPoint> Progress);

/// <summary>
/// The figures of a set of items a reader may read — a programme's members, a jurisdiction's items of a year — in one
/// grouped query whatever the set's size (a row per kind of item, not per item); the rules are the domain's.
/// </summary>
internal static class SetFigures
{
    /// <summary>
    /// The roll-up of <c>items</c>, already narrowed to what the reader may read, out of <c>members</c> in all when the
    /// set holds more: the difference is counted as hidden, never in a figure.
    /// </summary>
    public static async Task<SetRollUp> ReadAsync(TrackerDbContext db, IQueryable<Initiative> items, int? members, int year, DateOnly today, CancellationToken ct)
    {
        // One pass: items alike in status, phase, colour, reporting, due to start and — key projects — the months of the year
        // their plan starts and ends in (dates outside it taken to its first or last month, as Investment.Curve takes
        // them) are one row, with their progress, amounts, kept twelve months of investment and of progress summed. An explicit left join: through
        // the navigation, EF sums each group's amounts in a subquery over the whole set.
        var groups = await items
            .LeftJoin(db.KeyProjects, i => i.Id, k => k.InitiativeId, (i, k) => new
            {
                i.Status,
                i.Phase,
                i.HealthColour,
                Reported = i.LastReportedAt != null,
                Due = i.PlannedStart <= today,
                i.Progress,
                First = k == null ? 0 : i.PlannedStart.Year < year ? 1 : i.PlannedStart.Year > year ? 12 : i.PlannedStart.Month,
                Last = k == null ? 0 : i.Deadline.Year > year ? 12 : i.Deadline.Year < year ? 1 : i.Deadline.Month,
                Planned = k == null ? 0m : k.PlannedInvestment,
                Completed = k == null ? 0m : k.CompletedInvestment,
                Months = k!.CompletedByMonth,
                i.ProgressByMonth,
            })
            .GroupBy(i => new { i.Status, i.Phase, i.HealthColour, i.Reported, i.Due, i.First, i.Last })
            .Select(g => new
            {
                g.Key.Status,
                g.Key.Phase,
                g.Key.HealthColour,
                g.Key.Reported,
                g.Key.Due,
                g.Key.First,
                g.Key.Last,
                Progress = g.Average(i => i.Progress),
                Count = g.Count(),
                Planned = g.Sum(i => i.Planned),
                Completed = g.Sum(i => i.Completed),
                Invested = new[]
                {
                    g.Sum(i => i.Months[0]), g.Sum(i => i.Months[1]), g.Sum(i => i.Months[2]), g.Sum(i => i.Months[3]),
                    g.Sum(i => i.Months[4]), g.Sum(i => i.Months[5]), g.Sum(i => i.Months[6]), g.Sum(i => i.Months[7]),
                    g.Sum(i => i.Months[8]), g.Sum(i => i.Months[9]), g.Sum(i => i.Months[10]), g.Sum(i => i.Months[11]),
                },
                ProgressAt = new[]
                {
                    g.Sum(i => i.ProgressByMonth[0]), g.Sum(i => i.ProgressByMonth[1]), g.Sum(i => i.ProgressByMonth[2]),
                    g.Sum(i => i.ProgressByMonth[3]), g.Sum(i => i.ProgressByMonth[4]), g.Sum(i => i.ProgressByMonth[5]),
                    g.Sum(i => i.ProgressByMonth[6]), g.Sum(i => i.ProgressByMonth[7]), g.Sum(i => i.ProgressByMonth[8]),
                    g.Sum(i => i.ProgressByMonth[9]), g.Sum(i => i.ProgressByMonth[10]), g.Sum(i => i.ProgressByMonth[11]),
                },
            })
            .ToListAsync(ct);
        var readable = groups.Select(g => new RollUpItem(0, null, 1m, g.Status, g.Phase, g.HealthColour, g.Progress, g.Reported,
            g.Due ? today : DateOnly.MaxValue, g.Planned, g.Completed, Count: g.Count)).ToList();
        var hidden = (members ?? 0) - readable.Sum(g => g.Count);
        var figures = RollUp.Figures(hidden > 0 ? [.. readable, Hidden(hidden)] : readable, today);

        // The curve over the key projects not cancelled.
        var projects = groups.Where(g => g.First != 0 && g.Status != InitiativeStatus.Cancelled).ToList();
        var curve = Investment.Curve(year,
            projects.Select(g => new PlannedSpread(new(year, g.First, 1), new(year, g.Last, 1), g.Planned)),
            projects.SelectMany(g => g.Invested.Select((amount, m) => (new DateOnly(year, m + 1, 1), amount))));
        // Progress over the year, over the items not cancelled.
        var tracked = groups.Where(g => g.Status != InitiativeStatus.Cancelled).ToList();
        var trend = RollUp.Trend(year, today, [.. Enumerable.Range(0, 12).Select(m => tracked.Sum(g => g.ProgressAt[m]))], tracked.Sum(g => g.Count));
        return new SetRollUp(figures, curve, trend);
    }

    /// <summary>The members the reader may not read: only counted.</summary>
    private static RollUpItem Hidden(int count) =>
        new(0, null, 0m, InitiativeStatus.Planned, Phase.Preparation, HealthColour.Grey, 0m, false, DateOnly.MaxValue, Readable: false, Count: count);
}
