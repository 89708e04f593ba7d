using System.Globalization;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Progress;

/// <summary>
/// The progress form: a new value per target, the phase, narrative, problems, next steps, milestones reached and
/// photos. It submits through <see cref="SubmitReport"/>, as the API does, so the checks and rules are the same.
/// </summary>
[Authorize(Policy = Policies.Report)]
public sealed partial class ReportModel(SubmitReport submit, IValidator<ReportInput> validator, IOptions<TrackerOptions> options,
    IStringLocalizerFactory localizers) : TrackerPage
{
    /// <summary>The form as posted; property names match <see cref="ReportInput"/> so the validator's errors land beside their fields.</summary>
    public sealed class ReportForm
    {
        public Phase? Phase { get; set; }
        public string? Narrative { get; set; }
        public string? Problems { get; set; }
        public string? NextSteps { get; set; }
        /// <summary>One per target, in the item's target order; a value left empty is not reported this time.</summary>
        public List<ValueField> Values { get; set; } = [];
        public List<int> MilestonesAchieved { get; set; } = [];
        /// <summary>A key project's completed investment this month, in 万元 as the offices count it (sent in yuan).</summary>
        public decimal? Investment { get; set; }
    }

    public sealed class ValueField
    {
        public int TargetId { get; set; }
        /// <summary>As typed, so that a value that is not a number is shown back as it was.</summary>
        public string? Value { get; set; }
    }

    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty] public ReportForm Input { get; set; } = new();
    [BindProperty] public List<IFormFile>? Photos { get; set; }

    public InitiativeDetail Item { get; private set; } = null!;
    public UploadOptions Uploads => options.Value.Uploads;

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Input = new ReportForm { Phase = Item.Phase, Values = [.. Item.Targets.Select(t => new ValueField { TargetId = t.Id })] };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        // One row per target of the item, whatever was posted.
        Input.Values = [.. Item.Targets.Select(t => Input.Values.FirstOrDefault(v => v.TargetId == t.Id) ?? new ValueField { TargetId = t.Id })];

        // Figures are checked here first: what is not a number, or is negative, is refused beside its field.
        var localizer = localizers.Create("Features.Progress.Report", typeof(ReportModel).Assembly.GetName().Name!);
        var values = new List<ReportValueInput>();
        var sent = new List<int>();
        for (var i = 0; i < Input.Values.Count; i++)
        {
            var typed = Input.Values[i].Value?.Trim();
            if (string.IsNullOrEmpty(typed))
                continue;
            if (!decimal.TryParse(typed, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
                ModelState.AddModelError($"Input.Values[{i}].Value", localizer["请输入数字。"]);
            else if (value < 0)
                ModelState.AddModelError($"Input.Values[{i}].Value", localizer["不能为负数。"]);
            else
            {
                values.Add(new ReportValueInput(Input.Values[i].TargetId, value));
                sent.Add(i);
            }
        }

        var input = new ReportInput(Input.Phase, Input.Narrative, Input.Problems, Input.NextSteps, [.. values], [.. Input.MilestonesAchieved.Distinct()],
            Input.Investment * 10_000m);
        if (!ModelState.IsValid)
        {
            // Nothing is submitted; the other fields are checked by the same validator, so every error shows at once.
            foreach (var failure in (await validator.ValidateAsync(input, ct)).Errors)
                ModelState.AddModelError(FormKey(failure.PropertyName, sent), failure.ErrorMessage);
            return Page();
        }

        var submitted = await TrySubmitAsync(async () =>
        {
            var files = await EvidenceForm.ReadFilesAsync(Photos ?? [], Uploads, "report", ct);
            await submit.RunAsync(Id, input, files, ct);
        }, prefix: "Input");
        if (!submitted)
        {
            MoveValueErrors(sent);
            return Page();
        }

        TempData["Reported"] = true;
        return Redirect($"/items/{Id}");
    }

    private async Task LoadAsync(CancellationToken ct) => Item = await submit.FormAsync(Id, ct);

    /// <summary>
    /// The form field a validator's property name belongs to: the validator numbers only the values it was sent
    /// (the non-empty ones), so each is put back on the form row it came from; the upload's errors go to the file field.
    /// </summary>
    private static string FormKey(string property, IReadOnlyList<int> sent) =>
        property == "files" ? nameof(Photos)
        : ValueKey().Match(property) is { Success: true } m && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) is var k && k < sent.Count
            ? $"Input.Values[{sent[k]}]{m.Groups[2].Value}"
            : $"Input.{property}";

    /// <summary>After a refused submit (no page check failed, so every error is the handler's): renumbers its keys, prefixed "Input.".</summary>
    private void MoveValueErrors(IReadOnlyList<int> sent)
    {
        var errors = ModelState.Where(e => e.Key.StartsWith("Input.", StringComparison.Ordinal) && e.Value!.Errors.Count > 0)
            .Select(e => (Key: e.Key, Entry: e.Value!, Messages: e.Value!.Errors.Select(x => x.ErrorMessage).ToList())).ToList();
        foreach (var (_, entry, _) in errors)
        {
            entry.Errors.Clear();
            entry.ValidationState = ModelValidationState.Valid;
        }
        foreach (var (key, _, messages) in errors)
            foreach (var message in messages)
                ModelState.AddModelError(FormKey(key["Input.".Length..], sent), message);
    }

    [GeneratedRegex(@"^Values\[(\d+)\](.*)$")]
    private static partial Regex ValueKey();
}
