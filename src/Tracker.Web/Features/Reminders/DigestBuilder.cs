using System.Text;
using Tracker.Domain;

namespace Tracker.Web.Features.Reminders;

public sealed record DigestMessage(string Email, string Name, string Subject, string Body, int Items);

/// <summary>Gathers the day's lines per person (keyed by lower-case email) into one message each.</summary>
internal sealed class DigestBuilder
{
    // Lines in the order they came, and a set to keep a department's line from repeating for one person.
    private readonly Dictionary<string, (string Name, List<string> Lines, HashSet<string> Seen)> _people = [];
    private readonly Dictionary<int, List<string>> _departments = [];

    public void Add(string? email, string? name, string line)
    {
        if (string.IsNullOrWhiteSpace(email))
            return;
        var key = email.Trim().ToLowerInvariant();
        if (!_people.TryGetValue(key, out var person))
            _people[key] = person = (string.IsNullOrWhiteSpace(name) ? key : name, [], []);
        if (person.Seen.Add(line))
            person.Lines.Add(line);
    }

    public void AddDepartment(int departmentId, string line)
    {
        if (!_departments.TryGetValue(departmentId, out var lines))
            _departments[departmentId] = lines = [];
        lines.Add(line);
    }

    public void AddFromDepartment(int departmentId, string? email, string name)
    {
        foreach (var line in _departments.GetValueOrDefault(departmentId) ?? [])
            Add(email, name, line);
    }

    public IEnumerable<DigestMessage> Messages(DateOnly day) =>
        _people.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new DigestMessage(
            p.Key,
            p.Value.Name,
            $"【督办提醒】{day:yyyy-MM-dd} 您有 {p.Value.Lines.Count} 项事项需要处理",
            Body(p.Value.Name, day, p.Value.Lines),
            p.Value.Lines.Count));

    public static string Line(ReminderReason reason, int level, int days, string code, string title, DateOnly deadline) => reason switch
    {
        ReminderReason.DueSoon => $"[临期 {days}天] {code} {title}（截止 {deadline:yyyy-MM-dd}）",
        ReminderReason.Overdue => $"[逾期 {days}天 · {level}级] {code} {title}（截止 {deadline:yyyy-MM-dd}）",
        ReminderReason.MilestoneOverdue => $"[节点逾期 {days}天] {code} {title}",
        ReminderReason.Silent => $"[未按时报送 {days}天] {code} {title}",
        _ => $"[进度滞后{(level >= Escalation.NoticeLevel ? " · 督办" : "")}] {code} {title}（截止 {deadline:yyyy-MM-dd}）",
    };

    private static string Body(string name, DateOnly day, List<string> lines)
    {
        var body = new StringBuilder($"{name}：\n\n截至 {day:yyyy-MM-dd}，以下事项需要您关注：\n\n");
        foreach (var line in lines)
            body.Append("  • ").Append(line).Append('\n');
        return body.Append("\n请登录督查督办系统报送进展或答复督办单。\n").ToString();
    }
}
