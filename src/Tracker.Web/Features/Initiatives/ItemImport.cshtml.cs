using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Initiatives;

/// <summary>
/// The import of items with their targets (.xlsx or .csv) through <see cref="ImportItems"/>, for the official's own
/// department: all or nothing; a refused sheet lists every error and comes back with them marked.
/// </summary>
[Authorize(Policy = Policies.Report)]
[RequestSizeLimit(Ledgers.LedgersApi.ImportLimitBytes)]
public sealed class ItemImportModel(ImportItems import) : TrackerPage
{
    public ItemImportResult? Result { get; private set; }

    public SheetErrors Errors { get; private set; } = SheetErrors.None;

    public void OnGet() => import.RequireImporter();

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        import.RequireImporter();
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("", "请选择要导入的 Excel 或 CSV 文件。");
            return Page();
        }
        try
        {
            await using var stream = file.OpenReadStream();
            Result = await import.RunAsync(stream, ct);
        }
        catch (FluentValidation.ValidationException e)
        {
            Errors = await SheetErrors.OfAsync(e, file, ct);
        }
        return Page();
    }
}
