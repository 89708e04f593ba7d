namespace Tracker.Domain;

/// <summary>A dispatch round's life: waiting to open, open for answers, closed at its due instant, or called off.</summary>
public enum DispatchStatus
{
    Scheduled,
    Open,
    Closed,
    Cancelled,
}

/// <summary>Where one item of a round stands: answered before the due instant, after it, not yet, or no longer able to.</summary>
public enum DispatchAnswer
{
    Waiting,
    OnTime,
    Late,
    Missed,
}

/// <summary>
/// The rules of a dispatch round (调度): a supervising office asks a set of items to report by a due instant. An answer
/// is an ordinary progress report made after the round opened; one made by the due instant is on time, one made in the
/// week after it is late (补报), and after that the item has missed the round. A report answers the oldest round still
/// waiting on its item, so a department that owes last week's figures pays that debt first.
/// </summary>
public static class DispatchRules
{
    /// <summary>The reminder to those who have not answered goes this long before the due instant.</summary>
    public static readonly TimeSpan ReminderLead = TimeSpan.FromHours(2);

    /// <summary>How long after the due instant a late answer still counts.</summary>
    public static readonly TimeSpan LateWindow = TimeSpan.FromDays(7);

    /// <summary>A weekly round comes back a week later, at the same office hour (China keeps no summer time).</summary>
    public static readonly TimeSpan Recurrence = TimeSpan.FromDays(7);

    public static DateTimeOffset RemindAt(DateTimeOffset due) => due - ReminderLead;

    public static DateTimeOffset LateUntil(DateTimeOffset due) => due + LateWindow;

    /// <summary>The next round of a weekly series: opens and falls due a week after this one.</summary>
    public static (DateTimeOffset Opens, DateTimeOffset Due) Next(DateTimeOffset opens, DateTimeOffset due) => (opens + Recurrence, due + Recurrence);

    public static DispatchAnswer AnswerOf(DateTimeOffset? answeredAt, DateTimeOffset due, DateTimeOffset now) => answeredAt switch
    {
        { } at when at <= due => DispatchAnswer.OnTime,
        not null => DispatchAnswer.Late,
        null when now > LateUntil(due) => DispatchAnswer.Missed,
        _ => DispatchAnswer.Waiting,
    };

    /// <summary>Whether a report made at <paramref name="at"/> answers a round opened at <paramref name="opened"/> and due at <paramref name="due"/>.</summary>
    public static bool Accepts(DateTimeOffset opened, DateTimeOffset due, DateTimeOffset at) => at >= opened && at <= LateUntil(due);
}

/// <summary>
/// A department's (or a round's) answers: the completion rate is the share answered on time, in percent to one
/// decimal, none when there was nothing to answer; late answers are counted beside it, not in it.
/// </summary>
public sealed record DispatchTally(int Items, int OnTime, int Late)
{
    public int Unanswered => Items - OnTime - Late;

    public decimal? CompletionRate => Items == 0 ? null : Math.Round(100m * OnTime / Items, 1, MidpointRounding.AwayFromZero);

    public decimal? AnsweredRate => Items == 0 ? null : Math.Round(100m * (OnTime + Late) / Items, 1, MidpointRounding.AwayFromZero);
}
