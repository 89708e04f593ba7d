using System.Linq.Expressions;

namespace Tracker.Domain;

/// <summary>Where a ledger row stands: found, being fixed, fixed by its department, verified and closed (销号).</summary>
public enum LedgerRowStatus
{
    Open,
    Rectifying,
    Rectified,
    Closed,
}

/// <summary>一般 / 较大 / 重大.</summary>
public enum LedgerSeverity
{
    General,
    Major,
    Serious,
}

/// <summary>立行立改 (fixed on the spot, due the day it is found unless a deadline is given) or 限期整改 (by a deadline).</summary>
public enum RectificationMode
{
    OnTheSpot,
    ByDeadline,
}

public enum LedgerStepAction
{
    Recorded,
    Started,
    Rectified,
    Verified,
    Returned,
    Updated,
}

/// <summary>What a target linked to its item's ledger counts: the rows verified and closed, or the rows not yet closed ("down to zero").</summary>
public enum LedgerCount
{
    None,
    ClosedRows,
    OpenRows,
}

/// <summary>
/// One hazard, problem or request on an item's ledger (台账), with its own responsible department, measures, deadline
/// and verified closure. It moves open → rectifying → rectified (by its department) → closed (销号, by someone else), and
/// a verifier may return a rectified or closed row (回头看), which reopens it. Each step is kept, append-only.
/// </summary>
public sealed class LedgerRow
{
    public long Id { get; set; }
    public long InitiativeId { get; set; }

    /// <summary>序号: unique in the ledger, the key an import updates by.</summary>
    public required string Number { get; set; }
    public required string Finding { get; set; }
    public string Place { get; set; } = "";
    public string Category { get; set; } = "";
    public LedgerSeverity Severity { get; set; }
    public string Source { get; set; } = "";
    public DateOnly FoundOn { get; set; }

    /// <summary>The department that rectifies the row: its officials move it; they never verify it.</summary>
    public int DepartmentId { get; set; }
    public string ResponsiblePerson { get; set; } = "";

    /// <summary>The department that found the row, if one did (a patrol, an inspection): its officials may verify it.</summary>
    public int? FoundByDepartmentId { get; set; }
    public string Measures { get; set; } = "";
    public RectificationMode Mode { get; set; }

    /// <summary>By when the row must be rectified: given for 限期整改; for 立行立改 the day it was found unless given.</summary>
    public DateOnly? Deadline { get; set; }

    public LedgerRowStatus Status { get; private set; }
    public DateOnly? RectifiedOn { get; private set; }
    public DateOnly? ClosedOn { get; private set; }
    public List<LedgerStep> Steps { get; set; } = [];

    /// <summary>Concurrency token (PostgreSQL's xmin).</summary>
    public uint Version { get; set; }

    /// <summary>The date the row is due: its deadline, or for a row fixed on the spot the day it was found.</summary>
    public DateOnly DueOn => Deadline ?? FoundOn;

    /// <summary>Still to be rectified: open or being rectified (a rectified row awaits its verifier, not its department).</summary>
    public static readonly Expression<Func<LedgerRow, bool>> ToRectify = r => r.Status == LedgerRowStatus.Open || r.Status == LedgerRowStatus.Rectifying;

    /// <summary>Overdue: still to be rectified after its due day. The one rule; queries bind it to a day with <see cref="OverdueOn"/>.</summary>
    private static readonly Expression<Func<LedgerRow, DateOnly, bool>> Overdue =
        (r, today) => (r.Status == LedgerRowStatus.Open || r.Status == LedgerRowStatus.Rectifying) && (r.Deadline ?? r.FoundOn) < today;

    private static readonly Func<LedgerRow, DateOnly, bool> IsOverdueOn = Overdue.Compile();

    public bool IsOverdue(DateOnly today) => IsOverdueOn(this, today);

    /// <summary>The overdue rule on one day, for <c>IQueryable.Where</c>; the day is sent as a parameter.</summary>
    public static Expression<Func<LedgerRow, bool>> OverdueOn(DateOnly today)
    {
        var day = Expression.Property(Expression.Constant(new Day(today)), nameof(Day.Value));
        var body = new Bind(Overdue.Parameters[1], day).Visit(Overdue.Body);
        return Expression.Lambda<Func<LedgerRow, bool>>(body, Overdue.Parameters[0]);
    }

    private sealed record Day(DateOnly Value);

    private sealed class Bind(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }

    /// <summary>The statuses each step may start from.</summary>
    public static IReadOnlyList<LedgerRowStatus> From(LedgerStepAction action) => action switch
    {
        LedgerStepAction.Started => [LedgerRowStatus.Open],
        LedgerStepAction.Rectified => [LedgerRowStatus.Open, LedgerRowStatus.Rectifying],
        LedgerStepAction.Verified => [LedgerRowStatus.Rectified],
        LedgerStepAction.Returned => [LedgerRowStatus.Rectified, LedgerRowStatus.Closed],
        _ => [],
    };

    /// <summary>A new row, open, with its first step.</summary>
    public void Record(string by, DateTimeOffset now)
    {
        CheckDeadline();
        Status = LedgerRowStatus.Open;
        Steps.Add(new LedgerStep { Action = LedgerStepAction.Recorded, By = by, At = now, Note = "" });
    }

    /// <summary>Moves the row one step. Who may take which step is the caller's check (LedgerAccess in the web layer).</summary>
    public void Step(LedgerStepAction action, string by, string note, DateOnly today, DateTimeOffset now)
    {
        if (!From(action).Contains(Status))
            throw new DomainException(ErrorCodes.LedgerState, $"A row that is {Status} cannot be {action}.");
        if (action is LedgerStepAction.Rectified or LedgerStepAction.Returned && string.IsNullOrWhiteSpace(note))
            throw new DomainException(ErrorCodes.LedgerNote,
                action == LedgerStepAction.Rectified ? "Say what was done to rectify the row." : "Say why the row is returned.");
        (Status, RectifiedOn, ClosedOn) = action switch
        {
            LedgerStepAction.Started => (LedgerRowStatus.Rectifying, RectifiedOn, ClosedOn),
            LedgerStepAction.Rectified => (LedgerRowStatus.Rectified, today, ClosedOn),
            LedgerStepAction.Verified => (LedgerRowStatus.Closed, RectifiedOn, today),
            LedgerStepAction.Returned => (LedgerRowStatus.Open, null, null),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not a step a row takes."),
        };
        Steps.Add(new LedgerStep { Action = action, By = by, At = now, Note = note.Trim() });
    }

    /// <summary>An edit of the row's description (an import of the same number, a correction): kept as a step.</summary>
    public void Updated(string by, DateTimeOffset now)
    {
        CheckDeadline();
        Steps.Add(new LedgerStep { Action = LedgerStepAction.Updated, By = by, At = now, Note = "" });
    }

    private void CheckDeadline()
    {
        if (Mode == RectificationMode.ByDeadline && Deadline is null)
            throw new DomainException(ErrorCodes.LedgerDeadline, "A row to be rectified by a deadline (限期整改) needs its deadline.");
        if (Deadline < FoundOn)
            throw new DomainException(ErrorCodes.LedgerDeadline, "The deadline cannot be before the day the row was found.");
    }
}

/// <summary>A step of a ledger row: append-only.</summary>
public sealed class LedgerStep
{
    public long Id { get; set; }
    public long RowId { get; set; }
    public DateTimeOffset At { get; set; }
    public LedgerStepAction Action { get; set; }
    public required string By { get; set; }
    public required string Note { get; set; }
    public List<Attachment> Photos { get; set; } = [];
}

/// <summary>What a ledger adds up to, for the item's linked targets.</summary>
public readonly record struct LedgerTally(int Rows, int Closed)
{
    public int NotClosed => Rows - Closed;
}

/// <summary>One industry field (行业领域: 危化、消防、交通…) of a jurisdiction's list; a jurisdiction's rows use its own and its ancestors' fields.</summary>
public sealed class LedgerCategory
{
    public int JurisdictionId { get; set; }
    public required string Name { get; set; }
    public int Position { get; set; }
}
