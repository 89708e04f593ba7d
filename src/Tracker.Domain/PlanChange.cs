namespace Tracker.Domain;

public enum ChangeRequestStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>A milestone as the plan dates it; whether it is achieved is for the reports to say.</summary>
public sealed record MilestoneDate(int? Id, string Name, DateOnly PlannedOn);

/// <summary>
/// The yardstick of an item: the dates, targets and milestones' dates that health, reminders and escalation count
/// against. Once the plan is fixed (<see cref="Initiative.PlanFixed"/>), only an approved <see cref="ChangeRequest"/> moves it.
/// </summary>
public sealed record PlanTerms(DateOnly PlannedStart, DateOnly Deadline, IReadOnlyList<TargetPlan> Targets, IReadOnlyList<MilestoneDate> Milestones)
{
    public static PlanTerms Of(Initiative item) => new(
        item.PlannedStart, item.Deadline,
        [.. item.Targets.OrderBy(t => t.Id).Select(t => new TargetPlan(t.Id, t.Metric, t.Unit, t.Baseline, t.TargetValue, t.Weight, t.Counts))],
        [.. item.Milestones.OrderBy(m => m.PlannedOn).ThenBy(m => m.Id).Select(m => new MilestoneDate(m.Id, m.Name, m.PlannedOn))]);

    /// <summary>
    /// The parts of the yardstick that differ in <paramref name="proposed"/>: <c>PlannedStart</c>, <c>Deadline</c>,
    /// <c>Targets</c> (one added or removed, or a baseline, target value or weight changed) and <c>Milestones</c> (one
    /// added or removed, or a planned date moved). Renaming a target, its unit or a milestone moves nothing.
    /// </summary>
    public IReadOnlyList<string> Moves(PlanTerms proposed)
    {
        var moved = new List<string>();
        if (proposed.PlannedStart != PlannedStart) moved.Add(nameof(PlannedStart));
        if (proposed.Deadline != Deadline) moved.Add(nameof(Deadline));
        if (!SameKeys(Targets.Select(t => t.Id), proposed.Targets.Select(t => t.Id))
            || proposed.Targets.Any(p => Targets.Single(t => t.Id == p.Id) is var t && (t.Baseline != p.Baseline || t.TargetValue != p.TargetValue || t.Weight != p.Weight)))
            moved.Add(nameof(Targets));
        if (!SameKeys(Milestones.Select(m => m.Id), proposed.Milestones.Select(m => m.Id))
            || proposed.Milestones.Any(p => Milestones.Single(m => m.Id == p.Id).PlannedOn != p.PlannedOn))
            moved.Add(nameof(Milestones));
        return moved;
    }

    // New targets and milestones (no id) are always a move; the same set of ids otherwise.
    private static bool SameKeys(IEnumerable<int?> current, IEnumerable<int?> proposed)
    {
        var p = proposed.ToList();
        return p.All(id => id is not null) && current.Order().SequenceEqual(p.Order());
    }
}

/// <summary>
/// An extension or adjustment request (延期/调整申请): the lead department proposes new plan terms with a reason; a
/// supervisor whose jurisdiction covers the item, never of the requesting department, approves or rejects it.
/// Approval applies the terms to the item as a new <see cref="PlanVersion"/>.
/// </summary>
public sealed class ChangeRequest
{
    public long Id { get; set; }
    public long InitiativeId { get; set; }

    /// <summary>The department that asked: its people may not decide.</summary>
    public int DepartmentId { get; set; }
    public required string RequestedBy { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public required string Reason { get; set; }

    /// <summary>The plan's deadline when the request was made, to show the move ("from … to …").</summary>
    public DateOnly DeadlineBefore { get; set; }
    public DateOnly PlannedStart { get; set; }
    public DateOnly Deadline { get; set; }
    public List<TargetPlan> Targets { get; set; } = [];
    public List<MilestoneDate> Milestones { get; set; } = [];
    public List<Attachment> Evidence { get; set; } = [];

    public ChangeRequestStatus Status { get; private set; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? Comment { get; private set; }

    /// <summary>Concurrency token (PostgreSQL's xmin): two supervisors deciding at once, one wins.</summary>
    public uint Version { get; set; }

    public PlanTerms Terms => new(PlannedStart, Deadline, Targets, Milestones);

    /// <summary>
    /// The latest day a request may have been made on and still remind today: one left undecided for
    /// <paramref name="days"/> counted days (working days when the office counts them) reminds the supervisors of its
    /// item's jurisdiction through the day's digest, every day until it is decided.
    /// </summary>
    public static DateOnly RemindIfMadeBy(DateOnly today, WorkingCalendar calendar, int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var day = today.AddDays(-1);
        while (calendar.DaysBetween(day, today) < days)
            day = day.AddDays(-1);
        return day;
    }

    public void Reject(string by, string comment, DateTimeOffset now) => Decide(ChangeRequestStatus.Rejected, by, comment, now);

    internal void Approve(string by, string comment, DateTimeOffset now) => Decide(ChangeRequestStatus.Approved, by, comment, now);

    internal void EnsurePending()
    {
        if (Status != ChangeRequestStatus.Pending)
            throw new DomainException(ErrorCodes.ChangeDecided, $"This change request was {Status.ToString().ToLowerInvariant()} already.");
    }

    private void Decide(ChangeRequestStatus to, string by, string comment, DateTimeOffset now)
    {
        EnsurePending();
        Status = to;
        DecidedBy = by;
        DecidedAt = now;
        Comment = comment;
    }
}

/// <summary>
/// One version of an item's approved plan, append-only: number 1 is the plan as it was fixed (kept when the first
/// change is approved), each approved change request adds the next with who asked and who decided.
/// </summary>
public sealed class PlanVersion
{
    public long Id { get; set; }
    public long InitiativeId { get; set; }
    public int Number { get; set; }
    public DateOnly PlannedStart { get; set; }
    public DateOnly Deadline { get; set; }
    public List<TargetPlan> Targets { get; set; } = [];
    public List<MilestoneDate> Milestones { get; set; } = [];
    public long? ChangeRequestId { get; set; }
    public string? RequestedBy { get; set; }
    public string? Reason { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }

    internal static PlanVersion Of(long initiativeId, int number, PlanTerms terms, DateTimeOffset at) => new()
    {
        InitiativeId = initiativeId,
        Number = number,
        PlannedStart = terms.PlannedStart,
        Deadline = terms.Deadline,
        Targets = [.. terms.Targets],
        Milestones = [.. terms.Milestones],
        RecordedAt = at,
    };
}
