namespace Tracker.Domain;

/// <summary>
/// One item as a roll-up reads it: its place in an item tree (<see cref="ParentId"/>), its weight among its siblings,
/// where it stands, and for a key project this year's planned and completed investment. <see cref="Readable"/> is false
/// for an item the viewer may not read: it is left out of every figure, and counted as such. For a set's figures it may
/// stand for <see cref="Count"/> items alike (a database's group): then <see cref="Progress"/> is their mean and the
/// investments their totals.
/// </summary>
public sealed record RollUpItem(
    long Id,
    long? ParentId,
    decimal Weight,
    InitiativeStatus Status,
    Phase Phase,
    HealthColour Colour,
    decimal Progress,
    bool Reported,
    DateOnly PlannedStart,
    decimal? PlannedInvestment = null,
    decimal? CompletedInvestment = null,
    bool Readable = true,
    int Count = 1)
{
    /// <summary>Construction has begun: past preparation (or the first phase of a campaign or a ledger), or the item is done.</summary>
    public bool Started => RollUp.HasStarted(Status, Phase);

    public bool InProduction => Phase is Phase.InOperation;
}

/// <summary>
/// A tree's figures at one item: its own progress, or its children's rolled up by weight; how many below it count, how
/// many of those have not reported, and how many the viewer may not read (left out of the figure, with all below them).
/// </summary>
public sealed record RolledProgress(long Id, decimal Progress, int Descendants, int NotReported, bool FromChildren, int Hidden = 0);

/// <summary>
/// The figures of a set of items (a programme, a jurisdiction) as the reports count them. Cancelled items are counted
/// but left out of every rate and average; items the viewer may not read are left out altogether and counted in
/// <see cref="Hidden"/>, so a reader knows the figures cover less than the whole.
/// </summary>
public sealed record RollUpFigures(
    int Items,
    int Cancelled,
    int Hidden,
    IReadOnlyDictionary<InitiativeStatus, int> ByStatus,
    IReadOnlyDictionary<Phase, int> ByPhase,
    IReadOnlyDictionary<HealthColour, int> ByColour,
    int NotReported,
    int DueToStart,
    int Started,
    int Completed,
    int InProduction,
    decimal? StartRate,
    decimal? CompletionRate,
    decimal? ProductionRate,
    decimal? AverageProgress,
    decimal? WeightedProgress,
    decimal PlannedInvestment,
    decimal CompletedInvestment,
    decimal? InvestmentRate);

/// <summary>A set's average progress at the end of a month.</summary>
public sealed record ProgressPoint(DateOnly Month, decimal AverageProgress);

/// <summary>
/// Roll-up rules (plain C#, no database): a parent's progress from its children by weight at any depth, and a set's
/// counts and rates — 开工率 (started of those due to start by today), 竣工率 (completed), 投产率 (in production),
/// average and weighted progress, and the investment completion rate, which shows over-fulfilment as it is (252 of 200 is
/// 126%) while an item's own progress stops at 100%.
/// </summary>
public static class RollUp
{
    /// <summary>
    /// A set's progress over the year: the average, at the end of each month up to today's, of its items' progress as
    /// their reports left it (<see cref="Initiative.ProgressByMonth"/>), given summed over <paramref name="items"/>
    /// items not cancelled; an item that never reported counts 0.
    /// </summary>
    public static IReadOnlyList<ProgressPoint> Trend(int year, DateOnly today, IReadOnlyList<decimal> sums, int items)
    {
        var months = today.Year > year ? 12 : today.Year < year ? 0 : today.Month;
        return items == 0 ? [] : [.. sums.Take(months).Select((sum, m) => new ProgressPoint(new DateOnly(year, m + 1, 1), Math.Round(sum / items, 4)))];
    }

    /// <summary>Construction has begun: past preparation (or the first phase of a campaign or a ledger), or the item is done.</summary>
    public static bool HasStarted(InitiativeStatus status, Phase phase) =>
        status is InitiativeStatus.Completed || (status is not InitiativeStatus.Cancelled && phase is not (Phase.Preparation or Phase.Identified));

    /// <summary>
    /// Every readable item's progress in a tree: a leaf its own; a parent the weighted mean of its children that are not
    /// cancelled (their own progress rolled up first, at any depth), a child without a report counting 0 and counted as
    /// not reported — never dropped from the mean. A parent whose children are all cancelled or hidden keeps its own.
    /// </summary>
    public static IReadOnlyDictionary<long, RolledProgress> Tree(IEnumerable<RollUpItem> items)
    {
        var all = items.ToDictionary(i => i.Id);
        var children = all.Values.Where(i => i.ParentId is { } p && all.ContainsKey(p)).ToLookup(i => i.ParentId!.Value);
        var done = new Dictionary<long, RolledProgress>();

        void Guard(HashSet<long> path, long id)
        {
            if (!path.Add(id))
                throw new InvalidOperationException($"Item {id} is its own ancestor.");
        }

        int Below(long id, HashSet<long> path)
        {
            Guard(path, id);
            var size = children[id].Sum(c => 1 + Below(c.Id, path));
            path.Remove(id);
            return size;
        }

        RolledProgress Of(RollUpItem item, HashSet<long> path)
        {
            if (done.TryGetValue(item.Id, out var known))
                return known;
            Guard(path, item.Id);
            decimal weighted = 0, weights = 0;
            int descendants = 0, notReported = 0, hidden = 0, counted = 0;
            foreach (var child in children[item.Id])
            {
                if (!child.Readable)
                {
                    hidden += 1 + Below(child.Id, path);
                    continue;
                }
                if (child.Status == InitiativeStatus.Cancelled)
                    continue;
                var rolled = Of(child, path);
                counted++;
                weighted += child.Weight * rolled.Progress;
                weights += child.Weight;
                descendants += 1 + rolled.Descendants;
                hidden += rolled.Hidden;
                notReported += rolled.NotReported + (rolled.FromChildren || child.Reported ? 0 : 1);
            }
            var result = counted == 0
                ? new RolledProgress(item.Id, item.Progress, 0, 0, false, hidden)
                : new RolledProgress(item.Id, weights == 0 ? 0m : Math.Round(weighted / weights, 4), descendants, notReported, true, hidden);
            path.Remove(item.Id);
            return done[item.Id] = result;
        }

        foreach (var item in all.Values.Where(i => i.Readable))
            Of(item, []);
        return done;
    }

    /// <summary>A set's figures on <paramref name="today"/>, each item counted once whatever its place in a tree.</summary>
    public static RollUpFigures Figures(IEnumerable<RollUpItem> items, DateOnly today)
    {
        var list = items.ToList();
        var readable = list.Where(i => i.Readable).ToList();
        var counted = readable.Where(i => i.Status != InitiativeStatus.Cancelled).ToList();
        var dueToStart = counted.Where(i => i.PlannedStart <= today).ToList();
        var total = counted.Sum(i => i.Count);
        var started = dueToStart.Where(i => i.Started).Sum(i => i.Count);
        var completed = counted.Where(i => i.Status == InitiativeStatus.Completed).Sum(i => i.Count);
        var inProduction = counted.Where(i => i.InProduction).Sum(i => i.Count);
        var weights = counted.Sum(i => i.Count * i.Weight);
        var planned = counted.Sum(i => i.PlannedInvestment ?? 0m);
        var invested = counted.Sum(i => i.CompletedInvestment ?? 0m);
        return new RollUpFigures(
            readable.Sum(i => i.Count),
            readable.Sum(i => i.Count) - total,
            list.Where(i => !i.Readable).Sum(i => i.Count),
            readable.GroupBy(i => i.Status).ToDictionary(g => g.Key, g => g.Sum(i => i.Count)),
            counted.GroupBy(i => i.Phase).ToDictionary(g => g.Key, g => g.Sum(i => i.Count)),
            counted.GroupBy(i => i.Colour).ToDictionary(g => g.Key, g => g.Sum(i => i.Count)),
            counted.Where(i => !i.Reported).Sum(i => i.Count),
            dueToStart.Sum(i => i.Count),
            started,
            completed,
            inProduction,
            Rate(started, dueToStart.Sum(i => i.Count)),
            Rate(completed, total),
            Rate(inProduction, total),
            total == 0 ? null : Math.Round(counted.Sum(i => i.Count * i.Progress) / total, 4),
            weights == 0 ? null : Math.Round(counted.Sum(i => i.Count * i.Weight * i.Progress) / weights, 4),
            planned,
            invested,
            Achieved(invested, planned));
    }

    /// <summary>A share in percent to one decimal; none when there is nothing to share.</summary>
    public static decimal? Rate(int part, int whole) => whole == 0 ? null : Math.Round(100m * part / whole, 1, MidpointRounding.AwayFromZero);

    /// <summary>What was done of what was planned, in percent to one decimal, not capped: 252 of 200 is 126.</summary>
    public static decimal? Achieved(decimal done, decimal planned) =>
        planned == 0 ? null : Math.Round(100m * done / planned, 1, MidpointRounding.AwayFromZero);
}

/// <summary>
/// A unit (a jurisdiction among its siblings) as a ranking compares it: the department ranking's figures — items, due,
/// on time, the sum of progress, red items — and the key projects' start and investment.
/// </summary>
public sealed record UnitStanding(int Id, string Name, int Items, int Due, int OnTime, decimal ProgressSum, int Red,
    int DueToStart, int Started, decimal PlannedInvestment, decimal CompletedInvestment)
{
    public decimal? OnTimeRate => RollUp.Rate(OnTime, Due);
    public decimal? AverageProgress => Items == 0 ? null : Math.Round(ProgressSum / Items, 4);
    public decimal? StartRate => RollUp.Rate(Started, DueToStart);
    public decimal? InvestmentRate => RollUp.Achieved(CompletedInvestment, PlannedInvestment);
}

public sealed record RankedUnit(int Rank, UnitStanding Unit);

public static class Ranking
{
    /// <summary>
    /// Units ranked as "三个一批" evaluations rank districts: the on-time rate first, then average progress, fewer red
    /// items, the start rate, the investment completion rate; a unit with nothing to compare on comes after one with.
    /// Units equal on every figure share a rank (1, 2, 2, 4).
    /// </summary>
    public static IReadOnlyList<RankedUnit> Rank(IEnumerable<UnitStanding> units)
    {
        static decimal Key(decimal? rate) => rate ?? -1m;
        var ordered = units
            .OrderByDescending(u => Key(u.OnTimeRate)).ThenByDescending(u => Key(u.AverageProgress)).ThenBy(u => u.Red)
            .ThenByDescending(u => Key(u.StartRate)).ThenByDescending(u => Key(u.InvestmentRate)).ThenBy(u => u.Name, StringComparer.Ordinal)
            .ToList();
        var ranked = new List<RankedUnit>(ordered.Count);
        for (var n = 0; n < ordered.Count; n++)
        {
            var u = ordered[n];
            var same = n > 0 && ranked[n - 1].Unit is var p && (p.OnTimeRate, p.AverageProgress, p.Red, p.StartRate, p.InvestmentRate)
                == (u.OnTimeRate, u.AverageProgress, u.Red, u.StartRate, u.InvestmentRate);
            ranked.Add(new(same ? ranked[n - 1].Rank : n + 1, u));
        }
        return ranked;
    }
}
