using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Deputies;

/// <summary>
/// A member of a deputy group records an inspection of an item it supervises: kind, date, findings,
/// up to three follow-up requests for the department, and photos taken on site.
/// </summary>
public sealed class InspectModel(TrackerDbContext db, OfficeClock clock, HealthPolicy policy, IValidator<InspectionInput> validator,
    IOptions<TrackerOptions> options) : TrackerPage
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
                var result = await validator.ValidateAsync(input, ct);
                if (!result.IsValid)
                    throw new ValidationException([.. result.Errors.Select(e => new ValidationFailure(FormKey(e.PropertyName, rows), e.ErrorMessage))]);
                await DeputiesApi.RecordInspectionAsync(id, input, photos, Viewer, db, clock, validator, ct);
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
        var viewer = Viewer;
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        await DeputiesApi.RequireSupervisingGroupAsync(db, viewer, id, ct);
        Item = await InitiativesApi.LoadDetail(db, id, new HealthContext(clock.Today, policy), ct);
        while (Form.FollowUps.Count < FollowUpRows)
            Form.FollowUps.Add(new FollowUpRow());
    }
}
