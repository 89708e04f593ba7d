using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Livelihood;

/// <summary>
/// A member of a deputy group records an inspection of an item it supervises: kind, date, findings,
/// up to three follow-up requests for the department, and photos taken on site.
/// </summary>
[Authorize(Policy = Policies.Represent)]
public sealed class InspectModel(OfficeClock clock, RecordInspection record, IOptions<TrackerOptions> options) : TrackerPage
{
    public const int FollowUpRows = 3;

    public sealed class FollowUpRow
    {
        public string? Request { get; set; }
        public DateOnly? DueOn { get; set; }
        public bool IsBlank => string.IsNullOrWhiteSpace(Request) && DueOn is null;
    }

    public sealed class InspectionForm
    {
        public InspectionKind? Kind { get; set; }
        public DateOnly? On { get; set; }
        public string? Findings { get; set; }
        public List<FollowUpRow> FollowUps { get; set; } = [];
    }

    public InitiativeDetail Item { get; private set; } = null!;
    public int MaxFiles => options.Value.Uploads.MaxFiles;

    [BindProperty] public InspectionForm Form { get; set; } = new();
    [BindProperty(Name = nameof(Photos))] public List<IFormFile>? Photos { get; set; }
    [TempData] public string? Done { get; set; }

    public async Task OnGetAsync(long id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        Form.On = clock.Today;
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        // Only the rows the deputy filled in are requests; the index of each in the input is remembered
        // so that an error on the second request given lands beside the row it came from.
        var rows = Form.FollowUps.Take(FollowUpRows).Select((row, index) => (row, index)).Where(r => !r.row.IsBlank).ToList();
        var input = new InspectionInput(Form.Kind, Form.On, Form.Findings,
            rows.Count == 0 ? null : [.. rows.Select(r => new FollowUpInput(r.row.Request, r.row.DueOn))]);

        List<Attachment> photos = [];
        var saved = await TrySubmitAsync(async () => photos = await EvidenceForm.ReadFilesAsync(Photos ?? [], options.Value.Uploads, "inspection", ct))
            && await TrySubmitAsync(async () =>
            {
                try
                {
                    await record.RunAsync(id, input, photos, ct);
                }
                catch (ValidationException e)
                {
                    // Put each error beside the form row it came from.
                    throw new ValidationException([.. e.Errors.Select(x => new ValidationFailure(FormKey(x.PropertyName, rows), x.ErrorMessage) { ErrorCode = x.ErrorCode })]);
                }
            }, nameof(Form));
        if (saved)
        {
            Done = "视察记录已保存。";
            return Redirect("/deputy");
        }
        return Page();
    }

    /// <summary>"FollowUps[0].Request" of the input is the row the first filled-in request came from.</summary>
    private static string FormKey(string property, List<(FollowUpRow Row, int Index)> rows)
    {
        const string prefix = "FollowUps[";
        if (!property.StartsWith(prefix, StringComparison.Ordinal) || property.IndexOf(']') is var end && end < 0
            || !int.TryParse(property.AsSpan(prefix.Length, end - prefix.Length), out var given) || given >= rows.Count)
            return property;
        return $"{prefix}{rows[given].Index}{property[end..]}";
    }

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        Item = await record.FormAsync(id, ct);
        while (Form.FollowUps.Count < FollowUpRows)
            Form.FollowUps.Add(new FollowUpRow());
    }
}
