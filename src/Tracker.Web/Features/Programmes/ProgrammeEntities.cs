namespace Tracker.Web.Features.Programmes;

/// <summary>
/// A programme (专项/清单): a named, yearly set of one jurisdiction's items — "2020年80个重点项目", "2021年11项重点民心工程" —
/// kept by an office of that jurisdiction. An item may belong to several.
/// </summary>
public sealed class Programme
{
    public int Id { get; set; }
    public int JurisdictionId { get; set; }
    public int Year { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";

    /// <summary>The office that keeps it (发改局 for key projects, say); none when the jurisdiction's supervisors do.</summary>
    public int? OwnerDepartmentId { get; set; }

    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class ProgrammeItem
{
    public int ProgrammeId { get; set; }
    public long InitiativeId { get; set; }
}
