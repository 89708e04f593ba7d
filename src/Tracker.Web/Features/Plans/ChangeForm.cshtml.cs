using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Plans;

/// <summary>
/// The lead department's extension or adjustment request (延期/调整申请) beside the item, made through
/// <see cref="RequestChange"/>: a new deadline or start, new target values, a reason and evidence files.
/// </summary>
[Authorize(Policy = Policies.Report)]
public sealed class ChangeFormModel(TrackerDbContext db, RequestChange change, IOptions<TrackerOptions> options) : TrackerPage
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }

    [BindProperty] public ChangeFields Input { get; set; } = new();

    public sealed class ChangeFields
    {
        public string? Reason { get; set; }
        public DateOnly? PlannedStart { get; set; }
        public DateOnly? Deadline { get; set; }
        public List<decimal?> TargetValues { get; set; } = [];
        public List<DateOnly?> MilestoneDates { get; set; } = [];
    }

    public sealed record TargetRow(int Id, string Metric, string Unit, decimal Baseline, decimal Target, decimal Weight, Tracker.Domain.LedgerCount Counts);

    public sealed record MilestoneRow(int Id, string Name, DateOnly PlannedOn, DateOnly? AchievedOn);

    public string Code { get; private set; } = "";
    public string Title { get; private set; } = "";
    public DateOnly CurrentStart { get; private set; }
    public DateOnly CurrentDeadline { get; private set; }
    public IReadOnlyList<TargetRow> Targets { get; private set; } = [];
    public IReadOnlyList<MilestoneRow> Milestones { get; private set; } = [];
    public int MaxFiles => options.Value.Uploads.MaxFiles;

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Input.PlannedStart = CurrentStart;
        Input.Deadline = CurrentDeadline;
        Input.TargetValues = [.. Targets.Select(t => (decimal?)t.Target)];
        Input.MilestoneDates = [.. Milestones.Select(m => (DateOnly?)m.PlannedOn)];
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var ok = await TrySubmitAsync(async () =>
        {
            var files = await EvidenceForm.ReadFilesAsync(Request.Form.Files, options.Value.Uploads, "request", ct);
            // Only what the form changes is sent: the rest of the plan stays as it is.
            var values = Targets.Select((t, n) => (Row: t, Value: n < Input.TargetValues.Count ? Input.TargetValues[n] : t.Target)).ToList();
            var targets = values.Any(v => v.Value != v.Row.Target)
                ? values.Select(v => new TargetInput(v.Row.Id, v.Row.Metric, v.Row.Unit, v.Row.Baseline, v.Value, v.Row.Weight, v.Row.Counts)).ToArray()
                : null;
            var dates = Milestones.Select((m, n) => (Row: m, On: n < Input.MilestoneDates.Count ? Input.MilestoneDates[n] : m.PlannedOn)).ToList();
            var milestones = dates.Any(d => d.On != d.Row.PlannedOn)
                ? dates.Select(d => new MilestoneInput(d.Row.Id, d.Row.Name, d.On, null)).ToArray()
                : null;
            await change.RunAsync(Id, new ChangeRequestInput(
                Input.Reason,
                Input.PlannedStart == CurrentStart ? null : Input.PlannedStart,
                Input.Deadline == CurrentDeadline ? null : Input.Deadline,
                targets, milestones), files, ct);
        }, nameof(Input));
        if (!ok)
        {
            // The targets' errors are said above the form: the form shows values, not the whole target rows they name.
            foreach (var key in ModelState.Keys.Where(k => k.StartsWith("Input.Targets", StringComparison.Ordinal) || k.StartsWith("Input.Milestones", StringComparison.Ordinal)).ToList())
                foreach (var error in ModelState[key]!.Errors.ToList())
                    ModelState.AddModelError("", error.ErrorMessage);
            return Page();
        }
        TempData["Done"] = "change-requested";
        return Redirect($"/items/{Id}");
    }

    /// <summary>The item, if the viewer may ask to change its plan: 404 when unreadable, 403 unless of its lead department.</summary>
    private async Task LoadAsync(CancellationToken ct)
    {
        await change.RequireRequesterAsync(Id, ct);
        var item = await db.Initiatives.AsNoTracking().Include(i => i.Targets.OrderBy(t => t.Id)).Include(i => i.Milestones.OrderBy(m => m.PlannedOn).ThenBy(m => m.Id))
            .AsSplitQuery().SingleAsync(i => i.Id == Id, ct);
        (Code, Title, CurrentStart, CurrentDeadline) = (item.Code, item.Title, item.PlannedStart, item.Deadline);
        Targets = [.. item.Targets.Select(t => new TargetRow(t.Id, t.Metric, t.Unit, t.Baseline, t.TargetValue, t.Weight, t.Counts))];
        Milestones = [.. item.Milestones.Select(m => new MilestoneRow(m.Id, m.Name, m.PlannedOn, m.AchievedOn))];
    }
}
