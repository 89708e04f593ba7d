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

    /// <summary>Kept by the database from the item — 0 red, 1 amber, 2 any other colour — so that a programme's list walks an index reddest first.</summary>
    public short ColourRank { get; private set; } = 2;

    /// <summary>The item's code, kept likewise: the list's order within a colour.</summary>
    public string Code { get; private set; } = "";
}

/// <summary>
/// A programme's members alike in everything its figures group by (<see cref="SetFigures"/>), summed: kept by the
/// database in the same statement as every write to the members, their key projects and the programme's list
/// (statement triggers, <c>ProgrammeCountSql</c>), so that a reader of the whole set adds up a few rows instead of
/// thousands of items. Never written by the service.
/// </summary>
public sealed class ProgrammeCount
{
    public int ProgrammeId { get; private set; }
    public Tracker.Domain.InitiativeStatus Status { get; private set; }
    public Tracker.Domain.Phase Phase { get; private set; }
    public Tracker.Domain.HealthColour HealthColour { get; private set; }
    public bool Reported { get; private set; }
    public bool StartDue { get; private set; }

    /// <summary>The month of the programme's year the item's plan starts in (1 when before the year, 12 when after it).</summary>
    public int FirstMonth { get; private set; }

    /// <summary>The month of the programme's year its deadline falls in, taken likewise.</summary>
    public int LastMonth { get; private set; }

    public int Items { get; private set; }
    public decimal ProgressSum { get; private set; }
    public decimal Planned { get; private set; }
    public decimal Completed { get; private set; }

    /// <summary>The key projects' completed investment by month, January first.</summary>
    public decimal[] Invested { get; private set; } = new decimal[12];

    /// <summary>The sum of the members' progress at each month's end, January first.</summary>
    public decimal[] ProgressAt { get; private set; } = new decimal[12];
}
