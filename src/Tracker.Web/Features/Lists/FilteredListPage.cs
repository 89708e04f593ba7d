using Microsoft.AspNetCore.Mvc;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Lists;

/// <summary>
/// A list page whose filters a person may save under a name (the board, the official's list): saving and deleting go
/// through <see cref="SaveFilter"/> and <see cref="DeleteFilter"/>, as <c>/api/saved-filters</c> does, and the page
/// shows the person's saved ones beside its filters.
/// </summary>
public abstract class FilteredListPage(ReadSavedFilters savedFilters) : TrackerPage
{
    public SavedFiltersView Saved { get; private set; } = new([], new Dictionary<string, string>(), null, null);

    /// <summary>Which list's filters (<see cref="FilterLists"/>).</summary>
    protected abstract string List { get; }

    /// <summary>The filters applied, as the saved filters keep them (the list's own keys).</summary>
    protected abstract Dictionary<string, string> Filters();

    public abstract Task OnGetAsync(CancellationToken ct);

    /// <summary>Reads the person's saved filters of the list, with the one just saved or the name a refused save typed.</summary>
    protected async Task LoadSavedAsync(CancellationToken ct) =>
        Saved = new(await savedFilters.ListAsync(List, ct), Filters(), Saved.Typed, TempData["FilterSaved"] as string);

    public async Task<IActionResult> OnPostSaveFilterAsync(string? filterName, string? filterQuery, [FromServices] SaveFilter save, CancellationToken ct)
    {
        SavedFilterDto? saved = null;
        if (await TrySubmitAsync(async () => saved = await save.RunAsync(new SavedFilterInput(List, filterName, filterQuery), ct), "Filter"))
        {
            TempData["FilterSaved"] = saved!.Name;
            return Redirect(saved.Url);
        }
        Saved = Saved with { Typed = filterName };
        await OnGetAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteFilterAsync(long filterId, [FromServices] DeleteFilter delete, CancellationToken ct)
    {
        await delete.RunAsync(filterId, ct);
        return RedirectToPage(Filters().ToDictionary(p => p.Key, p => (object?)p.Value));
    }
}
