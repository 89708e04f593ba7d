using System.Globalization;

namespace Tracker.Domain;

public enum NoticeStatus
{
    /// <summary>Sent to the department; waiting for its rectification plan.</summary>
    Raised,
    /// <summary>The department answered with a plan; waiting for a supervisor.</summary>
    Answered,
    /// <summary>A supervisor sent the plan back; the department answers again.</summary>
    Returned,
    /// <summary>A supervisor accepted the plan; closed once the rectification is verified.</summary>
    Accepted,
    Closed,
}

/// <summary>
/// A supervision notice (督办单) from the supervisors to a department about one initiative, kept as a
/// closed loop: raised → answered → accepted or returned → closed. Every step is kept.
/// </summary>
public sealed class SupervisionNotice
{
    public long Id { get; set; }
    public long InitiativeId { get; set; }
    public int DepartmentId { get; set; }
    public required string Reason { get; set; }
    public DateOnly RaisedOn { get; set; }
    public DateOnly AnswerDue { get; set; }
    public NoticeStatus Status { get; private set; } = NoticeStatus.Raised;

    /// <summary>Escalated once, when left unanswered past its answer date.</summary>
    public bool Escalated { get; private set; }

    public List<NoticeStep> Steps { get; set; } = [];

    public static bool IsOpen(NoticeStatus status) => status != NoticeStatus.Closed;

    public bool AwaitsAnswer => Status is NoticeStatus.Raised or NoticeStatus.Returned;

    /// <summary>Who the steps of a notice say raised or escalated it: the sweep (and a supervisor's raise, as it stands).</summary>
    public const string SystemBy = "system";

    public const string EscalatedAction = "Escalated";

    // The texts the sweep writes, as composite formats: the sweep also hands them to SQL's format() so that
    // notices raised set-based read exactly as those raised here. {0} code, {1} title, {2} days.
    public const string OverdueReasonFormat = "{0} {1}：已逾期 {2} 天";
    public const string LaggingReasonFormat = "{0} {1}：进度严重滞后已持续 {2} 天";
    public const string FollowUpReasonFormat = "{0} {1}：代表跟踪事项逾期 {2} 天未答复";
    public const string LedgerReasonFormat = "{0} {1}：台账问题逾期 {2} 天未整改";

    /// <summary>The text of an escalation step; {0} is the answer date, yyyy-MM-dd.</summary>
    public const string UnansweredFormat = "No answer by {0}.";

    /// <summary>The reason a notice the sweep raises gives: an overdue item, a deputies' follow-up left unanswered, or an item red for lagging too long.</summary>
    public static string ReasonFormat(ReminderReason reason) => reason switch
    {
        ReminderReason.Overdue => OverdueReasonFormat,
        ReminderReason.FollowUpOverdue => FollowUpReasonFormat,
        ReminderReason.LedgerRowsOverdue => LedgerReasonFormat,
        _ => LaggingReasonFormat,
    };

    public static string SweepReason(ReminderReason reason, string code, string title, int days) =>
        string.Format(CultureInfo.InvariantCulture, ReasonFormat(reason), code, title, days);

    public static string UnansweredText(DateOnly answerDue) =>
        string.Format(CultureInfo.InvariantCulture, UnansweredFormat, answerDue.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public static SupervisionNotice Raise(long initiativeId, int departmentId, string reason, DateOnly today, DateOnly answerDue, DateTimeOffset now) =>
        new()
        {
            InitiativeId = initiativeId,
            DepartmentId = departmentId,
            Reason = reason,
            RaisedOn = today,
            AnswerDue = answerDue,
            Steps = [new NoticeStep { At = now, Action = NoticeStatus.Raised.ToString(), By = SystemBy, Text = reason }],
        };

    public void Answer(string by, string plan, DateTimeOffset now)
    {
        if (!AwaitsAnswer)
            throw new DomainException(ErrorCodes.NoticeState, $"A notice that is {Status} does not take an answer.");
        Step(NoticeStatus.Answered, by, plan, now);
    }

    public void Review(string by, bool accept, string comment, DateOnly newAnswerDue, DateTimeOffset now)
    {
        if (Status != NoticeStatus.Answered)
            throw new DomainException(ErrorCodes.NoticeState, $"Only an answered notice is reviewed; this one is {Status}.");
        Step(accept ? NoticeStatus.Accepted : NoticeStatus.Returned, by, comment, now);
        if (!accept)
            AnswerDue = newAnswerDue;
    }

    public void Close(string by, string comment, DateTimeOffset now)
    {
        if (Status == NoticeStatus.Closed)
            throw new DomainException(ErrorCodes.NoticeState, "The notice is closed already.");
        Step(NoticeStatus.Closed, by, comment, now);
    }

    /// <summary>Left unanswered past its date: escalates once (the sweep then tells the leader in charge).</summary>
    public bool EscalateIfUnanswered(DateOnly today, DateTimeOffset now)
    {
        if (!AwaitsAnswer || Escalated || today <= AnswerDue)
            return false;
        Escalated = true;
        Steps.Add(new NoticeStep { At = now, Action = EscalatedAction, By = SystemBy, Text = UnansweredText(AnswerDue) });
        return true;
    }

    private void Step(NoticeStatus status, string by, string text, DateTimeOffset now)
    {
        Status = status;
        Steps.Add(new NoticeStep { At = now, Action = status.ToString(), By = by, Text = text });
    }
}

public sealed class NoticeStep
{
    public long Id { get; set; }
    public long NoticeId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Action { get; set; }
    public required string By { get; set; }
    public string Text { get; set; } = "";
}

/// <summary>One reminder: an initiative, a reason and a level, once per period (the office day of the sweep).</summary>
public sealed class Reminder
{
    public long Id { get; set; }
    public long InitiativeId { get; set; }
    public ReminderReason Reason { get; set; }
    public int Level { get; set; }
    public DateOnly Period { get; set; }
    public int Days { get; set; }
    public ReminderStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
}
