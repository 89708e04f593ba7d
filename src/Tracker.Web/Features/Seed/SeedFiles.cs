using Tracker.Domain;

namespace Tracker.Web.Features.Seed;

// The shapes of the files in seed/; seed/README.md documents them field by field.
// Dates are day offsets from the seeding day, so the data is fresh whenever it is loaded.

/// <summary>
/// A jurisdiction; <c>Bulletins</c>: the recurring bulletins it issues (Daily, Weekly, Monthly); <c>Dispatch</c>: the
/// weekly dispatch round it runs.
/// </summary>
public sealed record SeedJurisdiction(string Code, string Name, JurisdictionLevel Level, string? Parent, BulletinKind[]? Bulletins = null,
    SeedDispatch? Dispatch = null);

/// <summary>A weekly dispatch round (调度): its items' kind, what they report, and the weekday and office time it falls due.</summary>
public sealed record SeedDispatch(string Title, InitiativeKind? Kind, string Instructions, DayOfWeek DueDay, TimeOnly DueTime);

public sealed record SeedDepartment(string Code, string Name, string Jurisdiction, SeedPerson? Head);

/// <summary>A department's head (told of overdue items from escalation level 2).</summary>
public sealed record SeedPerson(string Name, string Email);

public sealed record SeedContact(string Name, string? Title, string? Phone, string? Email)
{
    public Contact ToContact() => new() { Name = Name, Title = Title, Phone = Phone, Email = Email };
}

public sealed record SeedTarget(string Metric, string Unit, decimal Baseline, decimal Target, decimal? Weight);

public sealed record SeedMilestone(string Name, int Planned, int? Achieved);

/// <summary>A report; <c>Investment</c>: a key project's completed investment in the report's month (yuan).</summary>
public sealed record SeedReport(
    int DaysAgo, string By, Phase Phase, string Narrative, string? Problems, string? NextSteps, Dictionary<string, decimal> Values,
    decimal? Investment = null);

/// <summary>A key project's facts; amounts in yuan, <c>PlannedProduction</c> a day offset like the others.</summary>
public sealed record SeedKeyProject(
    KeyProjectLevel Level, ConstructionType Construction, string Industry, bool StrategicEmerging, string OwnerEnterprise,
    decimal TotalInvestment, decimal PlannedInvestment, int? PlannedProduction);

/// <summary>seed/programmes.json: the reports' sets, and the items they add (the 80 key projects, the kindergartens…).</summary>
public sealed record SeedProgrammes(SeedProgramme[] Programmes, SeedInitiative[] Items)
{
    public const string FileName = "programmes.json";
}

/// <summary>A programme of the seeding year; <c>Owner</c> a department's code; <c>Members</c> items' codes.</summary>
public sealed record SeedProgramme(string Code, string Jurisdiction, string Name, string Description, string? Owner, string[] Members);

public sealed record SeedInitiative(
    string Code,
    string Title,
    string? Description,
    InitiativeKind Kind,
    string Jurisdiction,
    string LeadDepartment,
    string[]? CoDepartments,
    SeedContact LeaderInCharge,
    SeedContact ResponsiblePerson,
    decimal? Budget,
    int PlannedStart,
    int Deadline,
    ReportingInterval ReportingInterval,
    InitiativeStatus Status,
    Phase Phase,
    SeedTarget[] Targets,
    SeedMilestone[]? Milestones,
    SeedReport[]? Reports,
    HealthColour? ExpectedColour,
    string? Parent = null,
    decimal? Weight = null,
    SeedKeyProject? KeyProject = null);

public static class SeedFolder
{
    /// <summary>The seed files copied beside the binaries, else the repository's seed/ folder.</summary>
    public static string Locate(IHostEnvironment environment)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "seed");
        if (File.Exists(Path.Combine(beside, "initiatives.json")))
            return beside;
        for (var dir = new DirectoryInfo(environment.ContentRootPath); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "seed", "initiatives.json")))
                return Path.Combine(dir.FullName, "seed");
        throw new DirectoryNotFoundException("The seed folder (seed/initiatives.json) was not found.");
    }
}
