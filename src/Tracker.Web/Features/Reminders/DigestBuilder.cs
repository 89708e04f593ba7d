using System.Text;
using Tracker.Domain;

namespace Tracker.Web.Features.Reminders;

public sealed record DigestMessage(string Email, string Name, string Subject, string Body, int Items);

/// <summary>
/// Gathers one person's lines of the day into one message. It is fed the lines person by person (sorted by
/// lower-case email, see the sweep's digest query) and holds one person at a time, so a sweep over any number
/// of items keeps no more than one digest in memory.
/// </summary>
internal sealed class DigestBuilder(DateOnly day)
{
    private string? _key;
    private string _name = "";
    private readonly List<string> _lines = [];
    // A line reaches a person once even when it comes by two roles (responsible and head, say).
    private readonly HashSet<string> _seen = [];

    /// <summary>The person's key: their email, trimmed and in lower case; null for no email.</summary>
    public static string? Key(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    /// <summary>Adds a line for a person; returns the previous person's digest when this line starts a new person.</summary>
    public DigestMessage? Add(string? email, string? name, string line)
    {
        if (Key(email) is not { } key)
            return null;
        DigestMessage? finished = null;
        if (key != _key)
        {
            finished = Finish();
            _key = key;
            _name = string.IsNullOrWhiteSpace(name) ? key : name;
        }
        if (_seen.Add(line))
            _lines.Add(line);
        return finished;
    }

    /// <summary>The digest of the person being gathered, if any; the builder is then empty.</summary>
    public DigestMessage? Finish()
    {
        if (_key is null || _lines.Count == 0)
            return null;
        var message = new DigestMessage(
            _key,
            _name,
            $"【督办提醒】{day:yyyy-MM-dd} 您有 {_lines.Count} 项事项需要处理",
            Body(_name, day, _lines),
            _lines.Count);
        _key = null;
        _lines.Clear();
        _seen.Clear();
        return message;
    }

    public static string Line(ReminderReason reason, int level, int days, string code, string title, DateOnly deadline) => reason switch
    {
        ReminderReason.DueSoon when days == 0 => $"[截止当天] {code} {title}（截止 {deadline:yyyy-MM-dd}）",
        ReminderReason.DueSoon => $"[临期 {days}天] {code} {title}（截止 {deadline:yyyy-MM-dd}）",
        ReminderReason.FollowUpOverdue => $"[代表跟踪事项逾期未答复 {days}天 · {level}级] {code} {title}",
        ReminderReason.LedgerRowsOverdue => $"[台账问题逾期未整改 {days}天 · {level}级] {code} {title}",
        ReminderReason.Overdue => $"[逾期 {days}天 · {level}级] {code} {title}（截止 {deadline:yyyy-MM-dd}）",
        ReminderReason.MilestoneOverdue => $"[节点逾期 {days}天] {code} {title}",
        ReminderReason.Silent => $"[未按时报送 {days}天] {code} {title}",
        _ => $"[进度滞后{(level >= Escalation.NoticeLevel ? " · 督办" : "")}] {code} {title}（截止 {deadline:yyyy-MM-dd}）",
    };

    /// <summary>A supervision notice raised today, or escalated today for want of an answer.</summary>
    public static string NoticeLine(string reason, DateOnly answerDue, bool escalated) => escalated
        ? $"【督办单逾期未答复】{reason}"
        : $"【督办单】{reason}，请于 {answerDue:yyyy-MM-dd} 前答复整改方案";

    /// <summary>A department's own ledger rows not rectified by their date on someone's item (the department rectifies them).</summary>
    public static string LedgerRowsLine(string code, string title, int rows, DateOnly oldestDue) =>
        $"【台账逾期】{code} {title}：本单位负责整改的 {rows} 处问题已过整改时限（最早 {oldestDue:yyyy-MM-dd}）";

    /// <summary>A dispatch round still waiting on some of a department's items (for the department's officials).</summary>
    public static string DispatchLine(string round, int waiting, DateTimeOffset dueLocal) =>
        $"【调度未报】{round}：本单位尚有 {waiting} 项未报送，截止 {dueLocal:yyyy-MM-dd HH:mm}";

    /// <summary>A change request (延期/调整申请) left undecided, for the supervisors who decide it.</summary>
    public static string ChangeLine(string code, string title, DateOnly requestedOn, DateOnly proposedDeadline) =>
        $"【调整申请待审批】{code} {title}（{requestedOn:yyyy-MM-dd} 提交，申请截止 {proposedDeadline:yyyy-MM-dd}）";

    private static string Body(string name, DateOnly day, List<string> lines)
    {
        var body = new StringBuilder($"{name}：\n\n截至 {day:yyyy-MM-dd}，以下事项需要您关注：\n\n");
        foreach (var line in lines)
            body.Append("  • ").Append(line).Append('\n');
        return body.Append("\n请登录督查督办系统报送进展或答复督办单。\n").ToString();
    }
}
