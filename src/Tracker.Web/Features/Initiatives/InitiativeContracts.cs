using Tracker.Domain;

namespace Tracker.Web.Features.Initiatives;

public sealed record ContactDto(string? Name, string? Title, string? Phone, string? Email)
{
    public static ContactDto From(Contact c) => new(c.Name, c.Title, c.Phone, c.Email);
    public Contact ToContact() => new() { Name = Name!.Trim(), Title = Title?.Trim(), Phone = Phone?.Trim(), Email = Email?.Trim() };
}

/// <summary>A target to create (no id) or keep and edit (its id). Its reached value only comes from reports.</summary>
/// <summary>A target; <see cref="Counts"/> links it to the item's ledger (closed rows, or rows not closed) instead of reports.</summary>
public sealed record TargetInput(int? Id, string? Metric, string? Unit, decimal? Baseline, decimal? Target, decimal? Weight, LedgerCount? Counts = null);

public sealed record MilestoneInput(int? Id, string? Name, DateOnly? PlannedOn, DateOnly? AchievedOn);

/// <summary>A key project's facts (重点项目): amounts in yuan; this year's completed investment comes from the monthly reports.</summary>
public sealed record KeyProjectInput(
    KeyProjectLevel? Level,
    ConstructionType? Construction,
    string? Industry,
    bool? StrategicEmerging,
    string? OwnerEnterprise,
    decimal? TotalInvestment,
    decimal? PlannedInvestment,
    DateOnly? PlannedProduction);

/// <summary>
/// What a client sends to create or replace an initiative. Status changes go through their own endpoint.
/// <c>ParentId</c> makes it a part of another item (its progress rolls up into the parent's by <c>Weight</c>, default 1);
/// <c>KeyProject</c> gives a key project's facts.
/// </summary>
public sealed record InitiativeInput(
    string? Code,
    string? Title,
    string? Description,
    int? Year,
    InitiativeKind? Kind,
    int? JurisdictionId,
    int? LeadDepartmentId,
    int[]? CoDepartmentIds,
    ContactDto? LeaderInCharge,
    ContactDto? ResponsiblePerson,
    decimal? Budget,
    DateOnly? PlannedStart,
    DateOnly? Deadline,
    ReportingInterval? ReportingInterval,
    Phase? Phase,
    TargetInput[]? Targets,
    MilestoneInput[]? Milestones,
    long? ParentId = null,
    decimal? Weight = null,
    KeyProjectInput? KeyProject = null);

public sealed record StatusChange(InitiativeStatus? Status);

/// <summary>In the public view or not; required (an empty body is a 400, never an unpublish).</summary>
public sealed record Publication(bool? Published);

public sealed record TargetDto(
    int Id, string Metric, string Unit, decimal Baseline, decimal Target, decimal Weight,
    decimal? CurrentValue, decimal Completion, bool Reported, LedgerCount Counts)
{
    public static TargetDto From(Target t) =>
        new(t.Id, t.Metric, t.Unit, t.Baseline, t.TargetValue, t.Weight, t.CurrentValue, t.Completion, t.Reported, t.Counts);
}

public sealed record MilestoneDto(int Id, string Name, DateOnly PlannedOn, DateOnly? AchievedOn, bool Overdue)
{
    public static MilestoneDto From(Milestone m, DateOnly today) =>
        new(m.Id, m.Name, m.PlannedOn, m.AchievedOn, m.AchievedOn is null && m.PlannedOn < today);
}

public sealed record NamedRef(int Id, string Name);

public sealed record InitiativeSummary(
    long Id,
    string Code,
    string Title,
    int Year,
    InitiativeKind Kind,
    NamedRef Jurisdiction,
    NamedRef LeadDepartment,
    InitiativeStatus Status,
    Phase Phase,
    DateOnly PlannedStart,
    DateOnly Deadline,
    DateTimeOffset? LastReportedAt,
    Health Health);

public sealed record InitiativeDetail(
    long Id,
    string Code,
    string Title,
    string Description,
    int Year,
    InitiativeKind Kind,
    NamedRef Jurisdiction,
    NamedRef LeadDepartment,
    IReadOnlyList<NamedRef> CoDepartments,
    ContactDto LeaderInCharge,
    ContactDto ResponsiblePerson,
    decimal? Budget,
    DateOnly PlannedStart,
    DateOnly Deadline,
    ReportingInterval ReportingInterval,
    InitiativeStatus Status,
    bool IsPublished,
    bool IsVoted,
    IReadOnlyList<InitiativeStatus> AllowedTransitions,
    Phase Phase,
    IReadOnlyList<Phase> Phases,
    IReadOnlyList<TargetDto> Targets,
    IReadOnlyList<MilestoneDto> Milestones,
    Health Health,
    Progress.ReportDto? LatestReport,
    string ETag,
    long? ParentId = null,
    decimal Weight = 1,
    KeyProjectDto? KeyProject = null);

/// <summary>A key project's facts, with this year's completed investment as its monthly reports add up (yuan).</summary>
public sealed record KeyProjectDto(KeyProjectLevel Level, ConstructionType Construction, string Industry, bool StrategicEmerging, string OwnerEnterprise,
    decimal TotalInvestment, decimal PlannedInvestment, DateOnly? PlannedProduction, decimal CompletedInvestment)
{
    public decimal? InvestmentRate => RollUp.Achieved(CompletedInvestment, PlannedInvestment);

    public static KeyProjectDto From(KeyProjectFacts k) => new(k.Level, k.Construction, k.Industry, k.StrategicEmerging, k.OwnerEnterprise,
        k.TotalInvestment, k.PlannedInvestment, k.PlannedProduction, k.CompletedInvestment);
}
