using Tracker.Domain;

namespace Tracker.Web.Features.Initiatives;

public enum InitiativeSort
{
    Deadline,
    DeadlineDescending,
    /// <summary>Overdue items first, the longest overdue at the top; then the rest by deadline.</summary>
    DaysOverdue,
}

/// <summary>The list's filters, bound from the query string.</summary>
public sealed record InitiativeQuery(
    int? Year,
    InitiativeKind? Kind,
    int? JurisdictionId,
    int? DepartmentId,
    InitiativeStatus? Status,
    Phase? Phase,
    HealthColour? Colour,
    bool? Overdue,
    bool? Silent,
    string? Q,
    InitiativeSort? Sort,
    int? Page,
    int? PageSize,
    string? After = null)
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;

    /// <summary>Numbered pages reach this far; beyond, the <c>after</c> cursor of the previous page reads on at the same cost.</summary>
    public const int MaxPage = 100;
}
