using Tracker.Domain;

namespace Tracker.Web.Features.Dispatch;

/// <summary>
/// A dispatch round (调度): a supervising office asks the active items of its jurisdiction (narrowed by kind and lead
/// department) to report by <see cref="DueAt"/>. Its items are fixed when it opens (<see cref="DispatchItem"/>); a weekly
/// round opens its successor when it closes.
/// </summary>
public sealed class DispatchRound
{
    public long Id { get; set; }
    public int JurisdictionId { get; set; }
    public required string Title { get; set; }

    /// <summary>What each item must report, in the office's words ("本周形象进度、存在问题").</summary>
    public string Instructions { get; set; } = "";

    public InitiativeKind? Kind { get; set; }
    public int? DepartmentId { get; set; }

    /// <summary>Only a report that carries its targets' figures answers the round.</summary>
    public bool FiguresRequired { get; set; }

    public DateTimeOffset OpensAt { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public bool Weekly { get; set; }
    public DispatchStatus Status { get; set; }

    /// <summary>The round of the same weekly series before this one (each round has at most one successor).</summary>
    public long? PreviousId { get; set; }

    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? OpenedAt { get; set; }
    public DateTimeOffset? RemindedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? CancelledBy { get; set; }
    public uint Version { get; set; }
}

/// <summary>One item asked in a round, with its lead department then, and its answer: the first report that counted.</summary>
public sealed class DispatchItem
{
    public long RoundId { get; set; }
    public long InitiativeId { get; set; }
    public int DepartmentId { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public long? ReportId { get; set; }
}

/// <summary>
/// A department's answers in a round, kept as they come (written at opening, counted up by each answer), so that a
/// round, its list and the bulletins read one row per department, not one per item, whatever the round's size.
/// </summary>
public sealed class DispatchCount
{
    public long RoundId { get; set; }
    public int DepartmentId { get; set; }
    public int Items { get; set; }
    public int OnTime { get; set; }
    public int Late { get; set; }
}
