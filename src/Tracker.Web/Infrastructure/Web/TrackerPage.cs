using FluentValidation;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tracker.Domain;
using Tracker.Web.Features.Access;

namespace Tracker.Web.Infrastructure.Web;

/// <summary>A page that submits through the same handlers as the API and shows their refusals beside the fields.</summary>
public abstract class TrackerPage : PageModel
{
    public Viewer Viewer => Viewer.From(User);

    /// <summary>
    /// Runs a write; a validation failure, a conflict or a bad upload becomes a form error (keyed by
    /// <paramref name="prefix"/> + the failing property) and false, so the page re-displays with what was typed.
    /// </summary>
    protected async Task<bool> TrySubmitAsync(Func<Task> write, string prefix = "")
    {
        try
        {
            await write();
            return true;
        }
        catch (ValidationException e)
        {
            foreach (var failure in e.Errors)
                ModelState.AddModelError(Key(prefix, failure.PropertyName), failure.ErrorMessage);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        catch (BadHttpRequestException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException)
        {
            ModelState.AddModelError("", "The item was changed by someone else; reload it and apply your change again.");
        }
        return false;
    }

    private static string Key(string prefix, string property) =>
        prefix.Length == 0 ? property : property.Length == 0 ? prefix : $"{prefix}.{property}";
}
