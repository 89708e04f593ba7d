using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Ledgers;

/// <summary>
/// The import of a ledger sheet (.xlsx or .csv) through <see cref="ImportLedger"/>: all rows or none; a refused sheet
/// lists every error by row and column, to fix in the sheet and upload again.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
[RequestSizeLimit(LedgersApi.ImportLimitBytes)]
public sealed class ImportModel(ImportLedger import, TrackerDbContext db) : TrackerPage
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }

    public string Code { get; private set; } = "";
    public string Title { get; private set; } = "";
    public LedgerImportResult? Result { get; private set; }

    /// <summary>The refused sheet's errors, and the sheet back with them.</summary>
    public SheetErrors Errors { get; private set; } = SheetErrors.None;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("", "请选择要导入的 Excel 或 CSV 文件。");
            return Page();
        }
        try
        {
            await using var stream = file.OpenReadStream();
            Result = await import.RunAsync(Id, stream, ct);
        }
        catch (FluentValidation.ValidationException e)
        {
            Errors = await SheetErrors.OfAsync(e, file, ct);
        }
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await import.RequireImporterAsync(Id, ct);
        var named = await db.Initiatives.Where(i => i.Id == Id).Select(i => new { i.Code, i.Title }).SingleAsync(ct);
        (Code, Title) = (named.Code, named.Title);
    }
}
