namespace Tracker.Domain;

public enum ReminderReason
{
    DueSoon,
    Overdue,
    MilestoneOverdue,
    Silent,
    Lagging,
}

public enum ReminderStatus
{
    /// <summary>Not yet superseded or resolved: still pressing.</summary>
    Open,
    /// <summary>A newer reminder for the same item and reason replaced it.</summary>
    Superseded,
    /// <summary>The condition cleared: a report caught up, or the item was completed.</summary>
    Resolved,
}

/// <summary>
/// The escalation ladder (催办 → 督办). Level 1 reminds the responsible person; level 2 adds the
/// leader in charge and the department's head; level 3 raises a supervision notice (督办单).
/// </summary>
public sealed record EscalationPolicy
{
    /// <summary>Remind this many days before the deadline.</summary>
    public int[] DueSoonDays { get; init; } = [7, 3, 1];

    /// <summary>Overdue by this many days: level 2.</summary>
    public int Level2AfterOverdueDays { get; init; } = 7;

    /// <summary>Overdue by this many days: level 3, a supervision notice.</summary>
    public int Level3AfterOverdueDays { get; init; } = 15;

    /// <summary>Red for lagging this many weeks running: level 3.</summary>
    public int Level3AfterRedLaggingWeeks { get; init; } = 4;

    /// <summary>Days a department has to answer a supervision notice.</summary>
    public int NoticeAnswerDays { get; init; } = 5;
}

/// <summary>A reminder an initiative calls for on a given day.</summary>
public sealed record ReminderDue(ReminderReason Reason, int Level, int Days);

/// <summary>
/// What the escalation ladder reads of an item and its health on one day: enough to evaluate an item the
/// sweep read as a few columns, with the health flags worked out in SQL from <see cref="HealthRules"/>.
/// </summary>
public readonly record struct EscalationFacts(
    InitiativeStatus Status, DateOnly Deadline, DateOnly PlannedStart, DateOnly? NextMilestoneDue,
    bool Overdue, bool MilestoneOverdue, bool Silent, int? DaysSinceLastReport, bool Lagging, bool LaggingRed)
{
    public static EscalationFacts Of(Initiative item, Health health) => new(
        item.Status, item.Deadline, item.PlannedStart, item.NextMilestoneDue,
        health.Overdue, health.MilestoneOverdue, health.Silent, health.DaysSinceLastReport, health.Lagging, health.LaggingRed);
}

public static class Escalation
{
    public const int NoticeLevel = 3;

    /// <summary>The reasons whose reminders an item no longer deserves, e.g. after a report or its completion.</summary>
    public static IReadOnlyList<ReminderReason> Cleared(Initiative item, Health health)
    {
        if (!Initiative.IsActive(item.Status))
            return Enum.GetValues<ReminderReason>();
        var cleared = new List<ReminderReason>();
        if (!health.Overdue) cleared.Add(ReminderReason.Overdue);
        if (!health.MilestoneOverdue) cleared.Add(ReminderReason.MilestoneOverdue);
        if (!health.Silent) cleared.Add(ReminderReason.Silent);
        if (!health.Lagging) cleared.Add(ReminderReason.Lagging);
        return cleared;
    }

    /// <summary>
    /// What an item calls for today, from its health. Days are counted with <paramref name="calendar"/>
    /// (calendar days by default, working days when the office counts those). <paramref name="laggingRedSince"/>
    /// is the first day of the item's current run of red lagging, if any.
    /// </summary>
    public static IReadOnlyList<ReminderDue> Evaluate(
        Initiative item, Health health, DateOnly today, EscalationPolicy policy, WorkingCalendar calendar, DateOnly? laggingRedSince) =>
        Evaluate(EscalationFacts.Of(item, health), today, policy, calendar, laggingRedSince);

    /// <inheritdoc cref="Evaluate(Initiative, Health, DateOnly, EscalationPolicy, WorkingCalendar, DateOnly?)"/>
    public static IReadOnlyList<ReminderDue> Evaluate(
        EscalationFacts item, DateOnly today, EscalationPolicy policy, WorkingCalendar calendar, DateOnly? laggingRedSince)
    {
        var due = new List<ReminderDue>();
        if (!Initiative.IsActive(item.Status))
            return due;

        if (item.Overdue)
        {
            var days = calendar.DaysBetween(item.Deadline, today);
            var level = days >= policy.Level3AfterOverdueDays ? 3 : days >= policy.Level2AfterOverdueDays ? 2 : 1;
            due.Add(new(ReminderReason.Overdue, level, days));
        }
        else if (calendar.DaysBetween(today, item.Deadline) is var left && policy.DueSoonDays.Contains(left))
        {
            due.Add(new(ReminderReason.DueSoon, 1, left));
        }

        if (item.MilestoneOverdue && item.NextMilestoneDue is { } milestone)
            due.Add(new(ReminderReason.MilestoneOverdue, 1, calendar.DaysBetween(milestone, today)));

        if (item.Silent)
            due.Add(new(ReminderReason.Silent, 1, item.DaysSinceLastReport ?? calendar.DaysBetween(item.PlannedStart, today)));

        if (item.Lagging && !item.Overdue)
        {
            var redDays = item.LaggingRed && laggingRedSince is { } since ? today.DayNumber - since.DayNumber : 0;
            var level = item.LaggingRed && redDays >= policy.Level3AfterRedLaggingWeeks * 7 ? 3 : 1;
            due.Add(new(ReminderReason.Lagging, level, redDays));
        }
        return due;
    }
}
