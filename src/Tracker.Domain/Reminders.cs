namespace Tracker.Domain;

public enum ReminderReason
{
    DueSoon,
    Overdue,
    MilestoneOverdue,
    Silent,
    Lagging,
    /// <summary>A deputies' follow-up request (跟踪事项) left unanswered past its date.</summary>
    FollowUpOverdue,
    /// <summary>Rows of the item's ledger (台账) not rectified by their date.</summary>
    LedgerRowsOverdue,
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
    /// <summary>Remind this many days before the deadline; 0 is the deadline day itself (截止当天).</summary>
    public int[] DueSoonDays { get; init; } = [7, 3, 1, 0];

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
/// <see cref="LastDueSoonOn"/> is the last day before today a due-soon reminder was recorded for the item, and
/// <see cref="OldestFollowUpDue"/> the date of its oldest deputies' follow-up request still unanswered, and
/// <see cref="OldestLedgerRowDue"/> the earliest due date of its ledger rows not yet rectified.
public readonly record struct EscalationFacts(
    InitiativeStatus Status, DateOnly Deadline, DateOnly PlannedStart, DateOnly? NextMilestoneDue,
    bool Overdue, bool MilestoneOverdue, bool Silent, int? DaysSinceLastReport, bool Lagging, bool LaggingRed,
    DateOnly? LastDueSoonOn = null, DateOnly? OldestFollowUpDue = null, DateOnly? OldestLedgerRowDue = null)
{
    public static EscalationFacts Of(Initiative item, Health health, DateOnly? lastDueSoonOn = null, DateOnly? oldestFollowUpDue = null) => new(
        item.Status, item.Deadline, item.PlannedStart, item.NextMilestoneDue,
        health.Overdue, health.MilestoneOverdue, health.Silent, health.DaysSinceLastReport, health.Lagging, health.LaggingRed,
        lastDueSoonOn, oldestFollowUpDue);
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
        Initiative item, Health health, DateOnly today, EscalationPolicy policy, WorkingCalendar calendar, DateOnly? laggingRedSince,
        DateOnly? lastDueSoonOn = null, DateOnly? oldestFollowUpDue = null) =>
        Evaluate(EscalationFacts.Of(item, health, lastDueSoonOn, oldestFollowUpDue), today, policy, calendar, laggingRedSince);

    /// <inheritdoc cref="Evaluate(Initiative, Health, DateOnly, EscalationPolicy, WorkingCalendar, DateOnly?, DateOnly?, DateOnly?)"/>
    public static IReadOnlyList<ReminderDue> Evaluate(
        EscalationFacts item, DateOnly today, EscalationPolicy policy, WorkingCalendar calendar, DateOnly? laggingRedSince)
    {
        var due = new List<ReminderDue>();
        if (!Initiative.IsActive(item.Status))
            return due;

        if (item.Overdue)
        {
            var days = calendar.DaysBetween(item.Deadline, today);
            due.Add(new(ReminderReason.Overdue, OverdueLevel(days, policy), days));
        }
        else if (DueSoon(item.Deadline, today, item.LastDueSoonOn, policy, calendar) is { } left)
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

        if (item.OldestFollowUpDue is { } followUpDue && followUpDue < today)
        {
            var days = calendar.DaysBetween(followUpDue, today);
            if (days > 0)
                due.Add(new(ReminderReason.FollowUpOverdue, OverdueLevel(days, policy), days));
        }

        if (item.OldestLedgerRowDue is { } rowDue && rowDue < today)
        {
            var days = calendar.DaysBetween(rowDue, today);
            if (days > 0)
                due.Add(new(ReminderReason.LedgerRowsOverdue, OverdueLevel(days, policy), days));
        }
        return due;
    }

    /// <summary>The ladder of anything overdue (an item, a deputies' follow-up request): level 1, then 2, then a notice.</summary>
    public static int OverdueLevel(int daysOverdue, EscalationPolicy policy) =>
        daysOverdue >= policy.Level3AfterOverdueDays ? 3 : daysOverdue >= policy.Level2AfterOverdueDays ? 2 : 1;

    /// <summary>
    /// The days left to the deadline when today calls for a due-soon reminder, else null. A threshold is due on its day
    /// and, if no reminder went out that day (no sweep ran: the service was down), on the next day a sweep runs, once:
    /// the nearest threshold passed is sent unless a reminder since that threshold's day already covered it.
    /// <paramref name="lastSentOn"/> is the last day before today a due-soon reminder was recorded for the item.
    /// </summary>
    public static int? DueSoon(DateOnly deadline, DateOnly today, DateOnly? lastSentOn, EscalationPolicy policy, WorkingCalendar calendar)
    {
        if (deadline < today)
            return null;
        var left = calendar.DaysBetween(today, deadline);
        var passed = policy.DueSoonDays.Where(t => t >= left).DefaultIfEmpty(-1).Min();
        if (passed < 0)
            return null;
        // A reminder sent when at most `passed` days were left covers this threshold (a moved deadline starts afresh).
        var covered = lastSentOn is { } sent && sent <= deadline && calendar.DaysBetween(sent, deadline) <= passed;
        return covered ? null : left;
    }
}
