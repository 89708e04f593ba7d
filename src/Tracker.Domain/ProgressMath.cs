namespace Tracker.Domain;

public static class ProgressMath
{
    /// <summary>
    /// Share of the way from baseline to target, between 0 and 1. Works for targets that go down too
    /// (211 hazards to 0). Overshooting counts as 100%; no report counts as 0.
    /// </summary>
    public static decimal Completion(decimal baseline, decimal target, decimal? current)
    {
        if (current is not { } value)
            return 0m;
        if (target == baseline)
            return value == target ? 1m : 0m;
        return Math.Clamp((value - baseline) / (target - baseline), 0m, 1m);
    }

    /// <summary>Weighted completion of the targets, each capped at 100%. No targets: 0.</summary>
    public static decimal Overall(IEnumerable<Target> targets)
    {
        decimal weighted = 0, weights = 0;
        foreach (var t in targets)
        {
            weighted += t.Weight * t.Completion;
            weights += t.Weight;
        }
        return weights == 0 ? 0m : Math.Round(weighted / weights, 4);
    }

    /// <summary>Where a straight line from planned start (0) to deadline (1) stands today.</summary>
    public static decimal Expected(DateOnly plannedStart, DateOnly deadline, DateOnly today)
    {
        if (today <= plannedStart)
            return 0m;
        if (today >= deadline)
            return 1m;
        return (decimal)(today.DayNumber - plannedStart.DayNumber) / (deadline.DayNumber - plannedStart.DayNumber);
    }
}
