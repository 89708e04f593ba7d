namespace Tracker.Domain;

/// <summary>Whose list a key project is on (国家/省/市/县重点).</summary>
public enum KeyProjectLevel
{
    National,
    Provincial,
    Municipal,
    County,
}

/// <summary>What the project does this year (建设性质).</summary>
public enum ConstructionType
{
    /// <summary>新开工</summary>
    NewStart,

    /// <summary>续建</summary>
    Continued,

    /// <summary>竣工投产</summary>
    CompletingProduction,

    /// <summary>储备</summary>
    Reserve,

    /// <summary>签约</summary>
    Signed,
}

/// <summary>
/// The facts of a key project (重点项目) beside its item: level, construction type, industry, owner enterprise, total
/// and this year's planned investment, planned start of production, and this year's completed investment as its
/// monthly figures add up (<see cref="InvestmentMonth"/>). Amounts in yuan.
/// </summary>
public sealed class KeyProjectFacts
{
    public long InitiativeId { get; set; }
    public KeyProjectLevel Level { get; set; }
    public ConstructionType Construction { get; set; }
    public string Industry { get; set; } = "";

    /// <summary>战略性新兴产业.</summary>
    public bool StrategicEmerging { get; set; }

    public string OwnerEnterprise { get; set; } = "";
    public decimal TotalInvestment { get; set; }

    /// <summary>This year's planned investment (年度计划投资).</summary>
    public decimal PlannedInvestment { get; set; }

    public DateOnly? PlannedProduction { get; set; }

    /// <summary>This year's completed investment: the sum of the item's monthly figures of its year, kept by each report that carries one.</summary>
    public decimal CompletedInvestment { get; set; }

    /// <summary>
    /// The same figures month by month (January first, twelve of them): kept beside the monthly rows so that a set's
    /// curve sums one row per project rather than twelve.
    /// </summary>
    public decimal[] CompletedByMonth { get; set; } = new decimal[12];
}

/// <summary>
/// A key project's completed investment in one month, as the latest report of that month that carried one gave it
/// (a later report in the same month corrects it, it does not add to it).
/// </summary>
public sealed class InvestmentMonth
{
    public long InitiativeId { get; set; }

    /// <summary>The first day of the month.</summary>
    public DateOnly Month { get; set; }

    public decimal Completed { get; set; }

    /// <summary>The report that gave the figure; none for a figure loaded from elsewhere (last year's sheet, a benchmark).</summary>
    public long? ReportId { get; set; }
}

/// <summary>A key project's planned investment for the S-curve: the year's amount and the dates it is spread between.</summary>
public sealed record PlannedSpread(DateOnly Start, DateOnly End, decimal Planned);

/// <summary>One month of a year's investment: the month's own amounts and the totals to its end.</summary>
public sealed record InvestmentPoint(DateOnly Month, decimal Planned, decimal Completed, decimal CumulativePlanned, decimal CumulativeCompleted);

/// <summary>Investment rules (plain C#): the monthly plan a year's planned amount makes, and the year's curve of plan against what was done.</summary>
public static class Investment
{
    public static DateOnly MonthOf(DateOnly day) => new(day.Year, day.Month, 1);

    /// <summary>
    /// A year's twelve months, planned against completed, month by month and cumulated (the S-curve). A project's
    /// planned amount is spread evenly over the months of the year from its start's month to its end's (a project
    /// starting in September plans nothing before it); one whose dates fall outside the year plans it all in the
    /// nearest month. Completed amounts are taken as given, by month.
    /// </summary>
    public static IReadOnlyList<InvestmentPoint> Curve(int year, IEnumerable<PlannedSpread> planned, IEnumerable<(DateOnly Month, decimal Completed)> completed)
    {
        var plan = new decimal[12];
        foreach (var p in planned)
        {
            var first = Math.Clamp(p.Start.Year < year ? 1 : p.Start.Year > year ? 12 : p.Start.Month, 1, 12);
            var last = Math.Clamp(p.End.Year > year ? 12 : p.End.Year < year ? 1 : p.End.Month, first, 12);
            var share = p.Planned / (last - first + 1);
            for (var m = first; m <= last; m++)
                plan[m - 1] += share;
        }
        var done = new decimal[12];
        foreach (var (month, amount) in completed.Where(c => c.Month.Year == year))
            done[month.Month - 1] += amount;

        var points = new List<InvestmentPoint>(12);
        decimal cumulativePlanned = 0, cumulativeDone = 0;
        for (var m = 0; m < 12; m++)
        {
            cumulativePlanned += plan[m];
            cumulativeDone += done[m];
            points.Add(new(new DateOnly(year, m + 1, 1), Math.Round(plan[m], 2), done[m], Math.Round(cumulativePlanned, 2), cumulativeDone));
        }
        return points;
    }
}
