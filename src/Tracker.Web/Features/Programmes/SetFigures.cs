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
        // One pass: items alike in status, phase, colour, reporting, due to start and the months of the year their plan
        // starts and ends in (dates outside it taken to its first or last month, as Investment.Curve takes them) are one
        // row, with their progress, amounts, kept twelve months of investment and of progress summed — the key
        // programme_counts keeps. An explicit left join: through the navigation, EF sums each group's amounts in a
        // subquery over the whole set.
        var groups = await items
            .LeftJoin(db.KeyProjects, i => i.Id, k => k.InitiativeId, (i, k) => new
            {
                i.Status,
                i.Phase,
                i.HealthColour,
                Reported = i.LastReportedAt != null,
                i.StartDue,
                First = i.PlannedStart.Year < year ? 1 : i.PlannedStart.Year > year ? 12 : i.PlannedStart.Month,
                Last = i.Deadline.Year > year ? 12 : i.Deadline.Year < year ? 1 : i.Deadline.Month,
                i.Progress,
                Planned = k == null ? 0m : k.PlannedInvestment,
                Completed = k == null ? 0m : k.CompletedInvestment,
                Months = k!.CompletedByMonth,
                i.ProgressByMonth,
            })
            .GroupBy(i => new { i.Status, i.Phase, i.HealthColour, i.Reported, i.StartDue, i.First, i.Last })
            .Select(g => new
            {
                Group = new Group(g.Key.Status, g.Key.Phase, g.Key.HealthColour, g.Key.Reported, g.Key.StartDue, g.Count(), g.Sum(i => i.Progress), g.Sum(i => i.Planned), g.Sum(i => i.Completed),
                new[]
                {
                    g.Sum(i => i.Months[0]), g.Sum(i => i.Months[1]), g.Sum(i => i.Months[2]), g.Sum(i => i.Months[3]),
                    g.Sum(i => i.Months[4]), g.Sum(i => i.Months[5]), g.Sum(i => i.Months[6]), g.Sum(i => i.Months[7]),
                    g.Sum(i => i.Months[8]), g.Sum(i => i.Months[9]), g.Sum(i => i.Months[10]), g.Sum(i => i.Months[11]),
                },
                new[]
                {
                    g.Sum(i => i.ProgressByMonth[0]), g.Sum(i => i.ProgressByMonth[1]), g.Sum(i => i.ProgressByMonth[2]),
                    g.Sum(i => i.ProgressByMonth[3]), g.Sum(i => i.ProgressByMonth[4]), g.Sum(i => i.ProgressByMonth[5]),
                    g.Sum(i => i.ProgressByMonth[6]), g.Sum(i => i.ProgressByMonth[7]), g.Sum(i => i.ProgressByMonth[8]),
                    g.Sum(i => i.ProgressByMonth[9]), g.Sum(i => i.ProgressByMonth[10]), g.Sum(i => i.ProgressByMonth[11]),
                }),
                Spread = new Spread(g.Key.First, g.Key.Last, g.Sum(i => i.Planned)),
            })
            .ToListAsync(ct);
        // Rows alike but for their months are one group, as the kept path reads them.
        var alike = groups.GroupBy(g => (g.Group.Status, g.Group.Phase, g.Group.HealthColour, g.Group.Reported, g.Group.StartDue), g => g.Group)
            .Select(g => g.Aggregate((a, b) => a with
            {
                Count = a.Count + b.Count,
                ProgressSum = a.ProgressSum + b.ProgressSum,
                Planned = a.Planned + b.Planned,
                Completed = a.Completed + b.Completed,
                Invested = [.. a.Invested.Zip(b.Invested, (x, y) => x + y)],
                ProgressAt = [.. a.ProgressAt.Zip(b.ProgressAt, (x, y) => x + y)],
            }));
        return RollUpOf(alike,
            groups.Where(g => g.Group.Status != InitiativeStatus.Cancelled).GroupBy(g => (g.Spread.First, g.Spread.Last))
                .Select(g => new Spread(g.Key.First, g.Key.Last, g.Sum(s => s.Spread.Planned))),
            members, year, today);
    }

    /// <summary>
    /// The same roll-up of a whole programme, for a reader who may read every member, from its kept groups
    /// (<see cref="ProgrammeCount"/>) summed once more by the database: a row per kind of item and one per plan's span of
    /// months, whatever the programme's size — what is read back stays a few dozen rows.
    /// </summary>
    public static async Task<SetRollUp> KeptAsync(TrackerDbContext db, int programmeId, int year, DateOnly today, CancellationToken ct)
    {
        var kept = db.ProgrammeCounts.AsNoTracking().Where(c => c.ProgrammeId == programmeId && c.Items > 0);
        var groups = await kept
            .GroupBy(c => new { c.Status, c.Phase, c.HealthColour, c.Reported, c.StartDue })
            .Select(g => new Group(g.Key.Status, g.Key.Phase, g.Key.HealthColour, g.Key.Reported, g.Key.StartDue,
                g.Sum(c => c.Items), g.Sum(c => c.ProgressSum), g.Sum(c => c.Planned), g.Sum(c => c.Completed),
                new[]
                {
                    g.Sum(c => c.Invested[0]), g.Sum(c => c.Invested[1]), g.Sum(c => c.Invested[2]), g.Sum(c => c.Invested[3]),
                    g.Sum(c => c.Invested[4]), g.Sum(c => c.Invested[5]), g.Sum(c => c.Invested[6]), g.Sum(c => c.Invested[7]),
                    g.Sum(c => c.Invested[8]), g.Sum(c => c.Invested[9]), g.Sum(c => c.Invested[10]), g.Sum(c => c.Invested[11]),
                },
                new[]
                {
                    g.Sum(c => c.ProgressAt[0]), g.Sum(c => c.ProgressAt[1]), g.Sum(c => c.ProgressAt[2]), g.Sum(c => c.ProgressAt[3]),
                    g.Sum(c => c.ProgressAt[4]), g.Sum(c => c.ProgressAt[5]), g.Sum(c => c.ProgressAt[6]), g.Sum(c => c.ProgressAt[7]),
                    g.Sum(c => c.ProgressAt[8]), g.Sum(c => c.ProgressAt[9]), g.Sum(c => c.ProgressAt[10]), g.Sum(c => c.ProgressAt[11]),
                }))
            .ToListAsync(ct);
        var spreads = await kept.Where(c => c.Status != InitiativeStatus.Cancelled)
            .GroupBy(c => new { c.FirstMonth, c.LastMonth })
            .Select(g => new Spread(g.Key.FirstMonth, g.Key.LastMonth, g.Sum(c => c.Planned)))
            .ToListAsync(ct);
        return RollUpOf(groups, spreads, null, year, today);
    }

    /// <summary>Items alike, summed.</summary>
    private sealed record Group(InitiativeStatus Status, Phase Phase, HealthColour HealthColour, bool Reported, bool StartDue,
        int Count, decimal ProgressSum, decimal Planned, decimal Completed, decimal[] Invested, decimal[] ProgressAt);

    /// <summary>The year's planned investment of the items not cancelled whose plan starts and ends in these months.</summary>
    private sealed record Spread(int First, int Last, decimal Planned);

    private static SetRollUp RollUpOf(IEnumerable<Group> rows, IEnumerable<Spread> spreads, int? members, int year, DateOnly today)
    {
        // In one order whichever source, so that the figures' counts by status, phase and colour list alike.
        var groups = rows.OrderBy(g => g.Status).ThenBy(g => g.Phase).ThenBy(g => g.HealthColour).ThenBy(g => g.Reported).ThenBy(g => g.StartDue).ToList();
        var readable = groups.Select(g => new RollUpItem(0, null, 1m, g.Status, g.Phase, g.HealthColour, g.ProgressSum / g.Count, g.Reported,
            g.StartDue ? today : DateOnly.MaxValue, g.Planned, g.Completed, Count: g.Count)).ToList();
        var hidden = (members ?? 0) - readable.Sum(g => g.Count);
        var figures = RollUp.Figures(hidden > 0 ? [.. readable, Hidden(hidden)] : readable, today);

        // The curve and the trend over the items not cancelled (an item that is no key project plans and spends nothing).
        var tracked = groups.Where(g => g.Status != InitiativeStatus.Cancelled).ToList();
        var curve = Investment.Curve(year,
            spreads.OrderBy(s => s.First).ThenBy(s => s.Last).Select(s => new PlannedSpread(new(year, s.First, 1), new(year, s.Last, 1), s.Planned)),
            tracked.SelectMany(g => g.Invested.Select((amount, m) => (new DateOnly(year, m + 1, 1), amount))));
        var trend = RollUp.Trend(year, today, [.. Enumerable.Range(0, 12).Select(m => tracked.Sum(g => g.ProgressAt[m]))], tracked.Sum(g => g.Count));
        return new SetRollUp(figures, curve, trend);
    }

    /// <summary>The members the reader may not read: only counted.</summary>
    private static RollUpItem Hidden(int count) =>
        new(0, null, 0m, InitiativeStatus.Planned, Phase.Preparation, HealthColour.Grey, 0m, false, DateOnly.MaxValue, Readable: false, Count: count);
}
