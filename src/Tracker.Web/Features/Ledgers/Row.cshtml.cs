using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Ledgers;

/// <summary>A ledger row with its steps, and the step the viewer may take now (with photos), through <see cref="StepLedgerRow"/>.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class RowModel(ReadLedger read, StepLedgerRow step, IOptions<TrackerOptions> options) : TrackerPage
{
    [BindProperty(SupportsGet = true)] public long RowId { get; set; }

    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? ETag { get; set; }

    public LedgerRowDetail Detail { get; private set; } = null!;
    public int MaxFiles => options.Value.Uploads.MaxFiles;

    public async Task OnGetAsync(CancellationToken ct) => Detail = await read.RowAsync(RowId, ct);

    public async Task<IActionResult> OnPostAsync(LedgerStepAction action, CancellationToken ct)
    {
        var ok = await TrySubmitAsync(async () =>
        {
            var photos = await EvidenceForm.ReadFilesAsync(Request.Form.Files, options.Value.Uploads, "step", ct);
            await step.RunAsync(RowId, new LedgerStepInput(action, Note), photos, ETags.TryParse(ETag), ct);
        }, nameof(Note));
        if (ok)
            return RedirectToPage(new { RowId });
        Detail = await read.RowAsync(RowId, ct);
        return Page();
    }
}
