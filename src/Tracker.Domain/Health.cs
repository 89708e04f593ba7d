using System.Linq.Expressions;

namespace Tracker.Domain;

/// <summary>Thresholds of the health rules, configurable per office.</summary>
public sealed record HealthPolicy
{
    /// <summary>Progress this far (as a share) behind the straight line makes an item lagging (amber).</summary>
    public decimal AmberLagMargin { get; init; } = 0.10m;

    /// <summary>Progress this far behind the straight line makes an item red.</summary>
    public decimal RedLagMargin { get; init; } = 0.25m;
}

/// <summary>"Today" in the office's time zone with the cut-offs the rules compare against.</summary>
public sealed class HealthContext(DateOnly today, HealthPolicy policy)
{
    public DateOnly Today { get; } = today;
    public int TodayNumber { get; } = today.DayNumber;

    // Silent when the last report is older than one reporting interval: a daily item reported
    // yesterday is fine today, one reported the day before yesterday is silent.
    public DateOnly DailyCutoff { get; } = today.AddDays(-1);
    public DateOnly WeeklyCutoff { get; } = today.AddDays(-7);
    public DateOnly MonthlyCutoff { get; } = today.AddMonths(-1);

    public decimal AmberLagMargin { get; } = policy.AmberLagMargin;
    public decimal RedLagMargin { get; } = policy.RedLagMargin;
}

/// <summary>The health of one initiative on one day.</summary>
public sealed record Health(
    HealthColour Colour,
    bool Overdue,
    int DaysOverdue,
    bool MilestoneOverdue,
    bool Silent,
    int? DaysSinceLastReport,
    bool Lagging,
    bool LaggingRed,
    decimal Progress,
    decimal ExpectedProgress,
    bool NotReported);

/// <summary>
/// The health rules, written once as expression trees: compiled for evaluating one item in memory,
/// and handed to EF Core so that list filters (colour, overdue, silent) run as SQL over the same rule.
/// </summary>
public static class HealthRules
{
    public static readonly Expression<Func<Initiative, HealthContext, bool>> Active =
        (i, c) => i.Status == InitiativeStatus.Planned || i.Status == InitiativeStatus.InProgress;

    /// <summary>Deadline passed and not completed: the deadline day itself is still on time.</summary>
    public static readonly Expression<Func<Initiative, HealthContext, bool>> Overdue =
        And(Active, (i, c) => i.Deadline < c.Today);

    public static readonly Expression<Func<Initiative, HealthContext, bool>> MilestoneOverdue =
        And(Active, (i, c) => i.NextMilestoneDue < c.Today);

    /// <summary>No report within the reporting interval; before the first report the clock runs from the planned start.</summary>
    public static readonly Expression<Func<Initiative, HealthContext, bool>> Silent =
        And(Active, (i, c) => (i.LastReportedOn ?? i.PlannedStart) <
            (i.ReportingInterval == ReportingInterval.Daily ? c.DailyCutoff
                : i.ReportingInterval == ReportingInterval.Weekly ? c.WeeklyCutoff
                : c.MonthlyCutoff));

    /// <summary>The straight line from planned start (0) to deadline (1); mirrors <see cref="ProgressMath.Expected"/>.</summary>
    public static readonly Expression<Func<Initiative, HealthContext, decimal>> Expected =
        (i, c) => c.TodayNumber <= i.PlannedStart.DayNumber ? 0m
            : i.Deadline.DayNumber <= c.TodayNumber ? 1m
            : (decimal)(c.TodayNumber - i.PlannedStart.DayNumber) / (decimal)(i.Deadline.DayNumber - i.PlannedStart.DayNumber);

    public static readonly Expression<Func<Initiative, HealthContext, bool>> Lagging =
        And(Active, LagAbove(c => c.AmberLagMargin));

    /// <summary>Behind the straight line by more than the red margin (a red item that may not be overdue yet).</summary>
    public static readonly Expression<Func<Initiative, HealthContext, bool>> LaggingRed =
        And(Active, LagAbove(c => c.RedLagMargin));

    public static readonly Expression<Func<Initiative, HealthContext, bool>> Red = Or(Overdue, LaggingRed);

    public static readonly Expression<Func<Initiative, HealthContext, bool>> Amber =
        And(Not(Red), Or(MilestoneOverdue, Or(Silent, Lagging)));

    /// <summary>Anything a supervisor chases: overdue, a milestone overdue, silent or lagging.</summary>
    public static readonly Expression<Func<Initiative, HealthContext, bool>> Flagged =
        Or(Overdue, Or(MilestoneOverdue, Or(Silent, Lagging)));

    public static readonly Expression<Func<Initiative, HealthContext, bool>> Grey =
        (i, c) => i.Status == InitiativeStatus.Suspended || i.Status == InitiativeStatus.Cancelled;

    public static readonly Expression<Func<Initiative, HealthContext, bool>> Green =
        And(Not(Grey), And(Not(Red), Not(Amber)));

    /// <summary>The colour: grey when not tracked, else red, amber or green by the rules above.</summary>
    public static readonly Expression<Func<Initiative, HealthContext, HealthColour>> Colour =
        Choose(Grey, HealthColour.Grey, Choose(Red, HealthColour.Red, Choose(Amber, HealthColour.Amber, (i, c) => HealthColour.Green)));

    public static readonly Expression<Func<Initiative, HealthContext, int>> DaysOverdue =
        Choose(Overdue, (i, c) => c.TodayNumber - i.Deadline.DayNumber, (i, c) => 0);

    /// <summary>Counts towards the on-time rate: a cancelled item is nobody's lateness; a completed one, or one past its deadline, is due.</summary>
    public static readonly Expression<Func<Initiative, HealthContext, bool>> Due =
        (i, c) => i.Status != InitiativeStatus.Cancelled && (i.CompletedOn != null || i.Deadline < c.Today);

    /// <summary>Due to start: its planned start has come (<see cref="RollUp"/>'s start rate counts these).</summary>
    public static readonly Expression<Func<Initiative, HealthContext, bool>> StartDue = (i, c) => i.PlannedStart <= c.Today;

    /// <summary>Completed on or before its deadline.</summary>
    public static readonly Expression<Func<Initiative, bool>> OnTime = i => i.CompletedOn != null && i.CompletedOn <= i.Deadline;

    /// <summary>Expected progress as it is kept: four places, half away from zero (as PostgreSQL rounds numeric).</summary>
    public static decimal Round(decimal share) => Math.Round(share, 4, MidpointRounding.AwayFromZero);

    internal static readonly Func<Initiative, HealthContext, bool> IsDue = Due.Compile();
    internal static readonly Func<Initiative, HealthContext, bool> IsStartDue = StartDue.Compile();
    private static readonly Func<Initiative, HealthContext, HealthColour> ColourOf = Colour.Compile();
    private static readonly Func<Initiative, HealthContext, int> DaysOverdueOf = DaysOverdue.Compile();
    private static readonly Func<Initiative, HealthContext, bool> IsOverdue = Overdue.Compile();
    private static readonly Func<Initiative, HealthContext, bool> IsMilestoneOverdue = MilestoneOverdue.Compile();
    private static readonly Func<Initiative, HealthContext, bool> IsSilent = Silent.Compile();
    private static readonly Func<Initiative, HealthContext, bool> IsLagging = Lagging.Compile();
    private static readonly Func<Initiative, HealthContext, bool> IsLaggingRed = LaggingRed.Compile();

    public static Expression<Func<Initiative, HealthContext, bool>> ColourIs(HealthColour colour) => colour switch
    {
        HealthColour.Red => Red,
        HealthColour.Amber => Amber,
        HealthColour.Grey => Grey,
        _ => Green,
    };

    public static Health Evaluate(Initiative i, HealthContext c)
    {
        return new Health(
            ColourOf(i, c),
            IsOverdue(i, c),
            DaysOverdueOf(i, c),
            IsMilestoneOverdue(i, c),
            IsSilent(i, c),
            i.LastReportedOn is { } last ? c.TodayNumber - last.DayNumber : null,
            IsLagging(i, c),
            IsLaggingRed(i, c),
            i.Progress,
            ProgressMath.Expected(i.PlannedStart, i.Deadline, c.Today),
            i.LastReportedAt is null);
    }

    /// <summary>Binds any of the rules' expressions to one day, ready for <c>Where</c>, <c>Select</c> or <c>SetProperty</c>.</summary>
    public static Expression<Func<Initiative, T>> Bind<T>(this Expression<Func<Initiative, HealthContext, T>> rule, HealthContext context)
    {
        var body = new Replace(rule.Parameters[1], Expression.Constant(context)).Visit(rule.Body);
        return Expression.Lambda<Func<Initiative, T>>(body, rule.Parameters[0]);
    }

    /// <summary>Binds a rule to one day, ready for <c>IQueryable.Where</c>; EF sends the cut-offs as parameters.</summary>
    public static Expression<Func<Initiative, bool>> On(this Expression<Func<Initiative, HealthContext, bool>> rule, HealthContext context) =>
        rule.Bind(context);

    private static Expression<Func<Initiative, HealthContext, T>> Choose<T>(
        Expression<Func<Initiative, HealthContext, bool>> test, T then, Expression<Func<Initiative, HealthContext, T>> otherwise) =>
        Choose(test, Expression.Lambda<Func<Initiative, HealthContext, T>>(Expression.Constant(then, typeof(T)), test.Parameters), otherwise);

    private static Expression<Func<Initiative, HealthContext, T>> Choose<T>(
        Expression<Func<Initiative, HealthContext, bool>> test, Expression<Func<Initiative, HealthContext, T>> then,
        Expression<Func<Initiative, HealthContext, T>> otherwise)
    {
        var (i, c) = (test.Parameters[0], test.Parameters[1]);
        Expression Body(LambdaExpression e) => new Replace(e.Parameters[1], c).Visit(new Replace(e.Parameters[0], i).Visit(e.Body));
        return Expression.Lambda<Func<Initiative, HealthContext, T>>(Expression.Condition(test.Body, Body(then), Body(otherwise)), i, c);
    }

    private static Expression<Func<Initiative, HealthContext, bool>> LagAbove(Expression<Func<HealthContext, decimal>> margin)
    {
        var (i, c) = (Expected.Parameters[0], Expected.Parameters[1]);
        var lag = Expression.Subtract(Expected.Body, Expression.Property(i, nameof(Initiative.Progress)));
        var marginBody = new Replace(margin.Parameters[0], c).Visit(margin.Body);
        return Expression.Lambda<Func<Initiative, HealthContext, bool>>(Expression.GreaterThan(lag, marginBody), i, c);
    }

    private static Expression<Func<Initiative, HealthContext, bool>> And(
        Expression<Func<Initiative, HealthContext, bool>> a, Expression<Func<Initiative, HealthContext, bool>> b) =>
        Combine(a, b, Expression.AndAlso);

    public static Expression<Func<Initiative, HealthContext, bool>> Or(
        Expression<Func<Initiative, HealthContext, bool>> a, Expression<Func<Initiative, HealthContext, bool>> b) =>
        Combine(a, b, Expression.OrElse);

    private static Expression<Func<Initiative, HealthContext, bool>> Not(Expression<Func<Initiative, HealthContext, bool>> a) =>
        Expression.Lambda<Func<Initiative, HealthContext, bool>>(Expression.Not(a.Body), a.Parameters);

    private static Expression<Func<Initiative, HealthContext, bool>> Combine(
        Expression<Func<Initiative, HealthContext, bool>> a,
        Expression<Func<Initiative, HealthContext, bool>> b,
        Func<Expression, Expression, BinaryExpression> op)
    {
        var body = new Replace(b.Parameters[0], a.Parameters[0]).Visit(b.Body);
        body = new Replace(b.Parameters[1], a.Parameters[1]).Visit(body);
        return Expression.Lambda<Func<Initiative, HealthContext, bool>>(op(a.Body, body), a.Parameters);
    }

    private sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}

/// <summary>The office's calendar: what day it is now in the office's time zone.</summary>
public sealed class OfficeClock(TimeProvider time, TimeZoneInfo zone)
{
    public TimeZoneInfo Zone { get; } = zone;
    /// <summary>Now, to the microsecond: what PostgreSQL keeps, so a stored time reads back equal.</summary>
    public DateTimeOffset Now => TruncateToMicroseconds(time.GetUtcNow());
    public DateOnly Today => DayOf(time.GetUtcNow());
    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset t) => t.AddTicks(-(t.Ticks % 10));

    /// <summary>The instant on the office's wall clock.</summary>
    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(Local(instant).DateTime);

    /// <summary>The instant the office's day begins (UTC), for comparing stored times with days.</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
