using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Initiatives;

/// <summary>
/// An official's form for a new item their department leads (<c>/items/new</c>) or for one of its items
/// (<c>/items/{id}/edit</c>): the fields, targets with units, milestones, co-operating departments, the leader in charge
/// and the person responsible, a key project's facts. It writes through <see cref="CreateItem"/> and <see cref="EditItem"/>,
/// as the API does; an edit is made against the version the form was read at. Blank target and milestone rows are left out.
/// </summary>
[Authorize(Policy = Policies.Report)]
public sealed class ItemFormModel(TrackerDbContext db, OfficeClock clock, ReadItem read, CreateItem create, EditItem edit) : TrackerPage
{
    /// <summary>Empty rows offered under the item's own, for new targets and milestones.</summary>
    public const int BlankRows = 3;

    [BindProperty(SupportsGet = true)] public long? Id { get; set; }
    [BindProperty] public ItemFields Input { get; set; } = new();
    [BindProperty] public uint Version { get; set; }

    public string Jurisdiction { get; private set; } = "";
    public string LeadDepartment { get; private set; } = "";
    public IReadOnlyList<NamedRef> Departments { get; private set; } = [];
    /// <summary>Started, reported on or published: its dates and targets move only by an approved change request.</summary>
    public bool PlanFixed { get; private set; }

    public sealed class ItemFields
    {
        public string? Code { get; set; }
        public string? Title { get; set; }
        public string? Description { get; set; }
        public int? Year { get; set; }
        public InitiativeKind? Kind { get; set; }
        public List<int> CoDepartmentIds { get; set; } = [];
        public ContactFields LeaderInCharge { get; set; } = new();
        public ContactFields ResponsiblePerson { get; set; } = new();
        /// <summary>In 万元, as the offices count it (sent in yuan).</summary>
        public decimal? Budget { get; set; }
        public DateOnly? PlannedStart { get; set; }
        public DateOnly? Deadline { get; set; }
        public ReportingInterval? ReportingInterval { get; set; }
        public Phase? Phase { get; set; }
        public List<TargetFields> Targets { get; set; } = [];
        public List<MilestoneFields> Milestones { get; set; } = [];
        public KeyProjectFields KeyProject { get; set; } = new();
        /// <summary>A part's place in its tree, kept as it is (set through the API or an import).</summary>
        public long? ParentId { get; set; }
        public decimal? Weight { get; set; }
    }

    public sealed class ContactFields
    {
        public string? Name { get; set; }
        public string? Title { get; set; }
        public string? Phone { get; set; }
        public string? Email { get; set; }
    }

    public sealed class TargetFields
    {
        public int? Id { get; set; }
        public string? Metric { get; set; }
        public string? Unit { get; set; }
        public decimal? Baseline { get; set; }
        public decimal? Target { get; set; }
        public decimal? Weight { get; set; }
        public LedgerCount Counts { get; set; }
        public bool IsBlank => Id is null && string.IsNullOrWhiteSpace(Metric) && string.IsNullOrWhiteSpace(Unit) && Target is null;
    }

    public sealed class MilestoneFields
    {
        public int? Id { get; set; }
        public string? Name { get; set; }
        public DateOnly? PlannedOn { get; set; }
        public DateOnly? AchievedOn { get; set; }
        public bool IsBlank => Id is null && string.IsNullOrWhiteSpace(Name) && PlannedOn is null;
    }

    /// <summary>A key project's facts, amounts in 万元.</summary>
    public sealed class KeyProjectFields
    {
        public KeyProjectLevel? Level { get; set; }
        public ConstructionType? Construction { get; set; }
        public string? Industry { get; set; }
        public bool StrategicEmerging { get; set; }
        public string? OwnerEnterprise { get; set; }
        public decimal? TotalInvestment { get; set; }
        public decimal? PlannedInvestment { get; set; }
        public DateOnly? PlannedProduction { get; set; }
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Id is { } id)
        {
            var item = await read.RunAsync(id, ct);
            Require.That(Viewer.Is(Roles.Official) && Viewer.DepartmentId == item.LeadDepartment.Id, "Only an official of the lead department can edit this initiative.");
            Input = From(item);
            Version = ETags.TryParse(item.ETag) ?? 0;
        }
        else
        {
            Input = new ItemFields { Year = clock.Today.Year, Kind = InitiativeKind.Livelihood, ReportingInterval = ReportingInterval.Monthly, Phase = Domain.Phase.Preparation };
        }
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var department = Viewer.DepartmentId;
        var jurisdiction = await db.Departments.Where(d => d.Id == department).Select(d => (int?)d.JurisdictionId).SingleOrDefaultAsync(ct);
        var input = ToInput(department, jurisdiction);
        var written = 0L;
        var saved = ModelState.IsValid && await TrySubmitAsync(async () =>
            written = Id is { } id ? (await edit.RunAsync(id, input, Version, ct)).Id : (await create.RunAsync(input, ct)).Id, prefix: "Input");
        if (!saved)
        {
            await LoadAsync(ct);
            return Page();
        }
        TempData["Saved"] = true;
        return Redirect($"/items/{written}");
    }

    /// <summary>The office's own jurisdiction and its departments, the co-operating ones to choose from.</summary>
    private async Task LoadAsync(CancellationToken ct)
    {
        var department = Viewer.DepartmentId ?? -1;
        var own = await db.Departments.AsNoTracking().Where(d => d.Id == department)
            .Select(d => new { d.Name, d.JurisdictionId, Jurisdiction = d.Jurisdiction!.Name }).SingleOrDefaultAsync(ct)
            ?? throw new ForbiddenException("Only an official of a department creates or edits its initiatives.");

        (LeadDepartment, Jurisdiction) = (own.Name, own.Jurisdiction);
        // The jurisdiction's departments, and any the item already works with elsewhere (kept unless unticked).
        var chosen = Input.CoDepartmentIds;
        Departments = await db.Departments.AsNoTracking().Where(d => (d.JurisdictionId == own.JurisdictionId || chosen.Contains(d.Id)) && d.Id != department)
            .OrderBy(d => d.Code).Select(d => new NamedRef(d.Id, d.Name)).Take(500).ToListAsync(ct);
        PlanFixed = Id is { } id && await db.Initiatives.Where(i => i.Id == id)
            .Select(i => Initiative.IsPlanFixed(i.Status, i.IsPublished, i.LastReportedAt)).SingleOrDefaultAsync(ct);
        while (Input.Targets.Count(t => t.IsBlank) < BlankRows)
            Input.Targets.Add(new TargetFields());
        while (Input.Milestones.Count(m => m.IsBlank) < BlankRows)
            Input.Milestones.Add(new MilestoneFields());
    }

    private InitiativeInput ToInput(int? department, int? jurisdiction)
    {
        var k = Input.KeyProject;
        return new InitiativeInput(
            Input.Code, Input.Title, Input.Description ?? "", Input.Year, Input.Kind, jurisdiction, department,
            [.. Input.CoDepartmentIds.Distinct()],
            Contact(Input.LeaderInCharge), Contact(Input.ResponsiblePerson),
            Input.Budget * 10_000m, Input.PlannedStart, Input.Deadline, Input.ReportingInterval, Input.Phase,
            [.. Input.Targets.Where(t => !t.IsBlank).Select(t => new TargetInput(t.Id, t.Metric, t.Unit, t.Baseline ?? 0, t.Target, t.Weight ?? 1, t.Counts))],
            [.. Input.Milestones.Where(m => !m.IsBlank).Select(m => new MilestoneInput(m.Id, m.Name, m.PlannedOn, m.AchievedOn))],
            Input.ParentId, Input.Weight,
            Input.Kind == InitiativeKind.KeyProject
                ? new KeyProjectInput(k.Level, k.Construction, k.Industry, k.StrategicEmerging, k.OwnerEnterprise, k.TotalInvestment * 10_000m,
                    k.PlannedInvestment * 10_000m, k.PlannedProduction)
                : null);
    }

    private static ContactDto Contact(ContactFields c) => new(c.Name, c.Title, c.Phone, c.Email);

    private static ContactFields ContactOf(ContactDto c) => new() { Name = c.Name, Title = c.Title, Phone = c.Phone, Email = c.Email };

    private static ItemFields From(InitiativeDetail item) => new()
    {
        Code = item.Code,
        Title = item.Title,
        Description = item.Description,
        Year = item.Year,
        Kind = item.Kind,
        CoDepartmentIds = [.. item.CoDepartments.Select(c => c.Id)],
        LeaderInCharge = ContactOf(item.LeaderInCharge),
        ResponsiblePerson = ContactOf(item.ResponsiblePerson),
        Budget = item.Budget / 10_000m,
        PlannedStart = item.PlannedStart,
        Deadline = item.Deadline,
        ReportingInterval = item.ReportingInterval,
        Phase = item.Phase,
        Targets = [.. item.Targets.Select(t => new TargetFields { Id = t.Id, Metric = t.Metric, Unit = t.Unit, Baseline = t.Baseline, Target = t.Target, Weight = t.Weight, Counts = t.Counts })],
        Milestones = [.. item.Milestones.Select(m => new MilestoneFields { Id = m.Id, Name = m.Name, PlannedOn = m.PlannedOn, AchievedOn = m.AchievedOn })],
        ParentId = item.ParentId,
        Weight = item.Weight,
        KeyProject = item.KeyProject is { } k
            ? new()
            {
                Level = k.Level,
                Construction = k.Construction,
                Industry = k.Industry,
                StrategicEmerging = k.StrategicEmerging,
                OwnerEnterprise = k.OwnerEnterprise,
                TotalInvestment = k.TotalInvestment / 10_000m,
                PlannedInvestment = k.PlannedInvestment / 10_000m,
                PlannedProduction = k.PlannedProduction
            }
            : new(),
    };
}
