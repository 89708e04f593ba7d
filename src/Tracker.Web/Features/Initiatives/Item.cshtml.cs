using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Features.Plans;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Initiatives;

/// <summary>One item for any signed-in reader: its figures, chart, milestones, reports and inspections, and what the viewer may do with it.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class ItemModel(OfficeClock clock, ReadItem read, ReadReports reports, ReadInspections inspections, ReadPlans plans,
    Data.TrackerDbContext db, ChangeItemStatus changeStatus, PublishItem publish) : TrackerPage
{
    public const int ReportsPerPage = 10;

    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public InitiativeDetail Item { get; private set; } = null!;
    public Paged<ReportDto> Reports { get; private set; } = new([], 1, ReportsPerPage, false);
    public IReadOnlyList<Charts.Point> Points { get; private set; } = [];
    public IReadOnlyList<InspectionDto> Inspections { get; private set; } = [];
    public PlanHistory Plan { get; private set; } = null!;

    /// <summary>The item's parts rolled up (by weight, over those the viewer may read), when it has parts.</summary>
    public RolledProgress? Parts { get; private set; }

    /// <summary>The lead department's official may ask to move a fixed plan while nothing awaits a decision.</summary>
    public bool CanRequestChange { get; private set; }

    public ChangeRequestDto? PendingChange => Plan.Requests.FirstOrDefault(r => r.Status == ChangeRequestStatus.Pending);
    public DateOnly Today { get; private set; }
    public bool CanReport { get; private set; }
    /// <summary>The lead department's official edits the item (its fixed plan only by a change request).</summary>
    public bool CanEdit { get; private set; }
    public bool Supervises { get; private set; }
    public bool IsDeputy => Viewer.Is(Roles.Deputy);

    /// <summary>The lead department or a supervisor over the item: the statuses it may move to, as the item's rules allow.</summary>
    public bool CanChangeStatus { get; private set; }

    /// <summary>A status change through <see cref="ChangeItemStatus"/>, against the version the page showed.</summary>
    public async Task<IActionResult> OnPostStatusAsync(InitiativeStatus? status, uint version, CancellationToken ct)
    {
        if (await TrySubmitAsync(() => changeStatus.RunAsync(Id, new StatusChange(status), version, ct)))
        {
            TempData["Done"] = "status-changed";
            return Redirect($"/items/{Id}");
        }
        await OnGetAsync(ct);
        return Page();
    }

    /// <summary>A supervisor over the item puts a livelihood or voted item in the public view (公示), or takes it out, through <see cref="PublishItem"/>.</summary>
    public async Task<IActionResult> OnPostPublishAsync(bool published, CancellationToken ct)
    {
        if (await TrySubmitAsync(() => publish.RunAsync(Id, new Publication(published), ct)))
        {
            TempData["Done"] = published ? "published" : "unpublished";
            return Redirect($"/items/{Id}");
        }
        await OnGetAsync(ct);
        return Page();
    }

    /// <summary>A supervisor over a livelihood or voted item publishes it, or takes it out of the public view.</summary>
    public bool CanPublish => Supervises && (Item.IsVoted || Item.Kind == InitiativeKind.Livelihood);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Today = clock.Today;
        (Item, var path) = await read.WithPathAsync(Id, ct);
        Reports = await reports.ListAsync(Id, PageNumber, ReportsPerPage, ct);
        Points = await reports.HistoryAsync(Id, ct);
        Inspections = await inspections.RunAsync(Id, ct);
        Plan = await plans.HistoryAsync(Id, ct);
        Parts = (await Programmes.ItemTrees.RollAsync(db, Viewer, [Id], ct)).GetValueOrDefault(Id);

        // From the detail already read: who reports on it, and whether it takes reports in its status.
        CanReport = Viewer.CanReport(Item.LeadDepartment.Id, Item.CoDepartments.Select(c => c.Id)) && Initiative.IsActive(Item.Status);
        Supervises = Viewer.Supervises(path);
        CanEdit = Viewer.Is(Roles.Official) && Viewer.DepartmentId == Item.LeadDepartment.Id;
        CanChangeStatus = (CanEdit || Supervises) && Item.AllowedTransitions.Count > 0;
        CanRequestChange = Viewer.Is(Roles.Official) && Viewer.DepartmentId == Item.LeadDepartment.Id && Plan.PlanFixed
            && Item.Status is not (InitiativeStatus.Completed or InitiativeStatus.Cancelled) && PendingChange is null;
    }

    public string TargetName(int targetId) =>
        Item.Targets.FirstOrDefault(t => t.Id == targetId) is { } t ? $"{t.Metric}" : $"#{targetId}";

    public string TargetUnit(int targetId) => Item.Targets.FirstOrDefault(t => t.Id == targetId)?.Unit ?? "";

    public string MilestoneName(int milestoneId) => Item.Milestones.FirstOrDefault(m => m.Id == milestoneId)?.Name ?? $"#{milestoneId}";
}
