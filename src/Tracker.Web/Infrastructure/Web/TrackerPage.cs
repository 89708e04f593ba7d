using FluentValidation;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Progress;

namespace Tracker.Web.Infrastructure.Web;

/// <summary>A page that submits through the same use cases as the API and shows their refusals beside the fields, in its language.</summary>
public abstract class TrackerPage : PageModel
{
    public Viewer Viewer => Viewer.From(User);

    /// <summary>
    /// Runs a write; a validation failure, a conflict or a bad upload becomes a form error (keyed by
    /// <paramref name="prefix"/> + the failing property) and false, so the page re-displays with what was typed.
    /// A refusal with a code is said in the page's words (<see cref="ErrorMessages"/>).
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
                ModelState.AddModelError(Key(prefix, failure.PropertyName),
                    ErrorMessages.For(failure.ErrorCode, failure.CustomState as IReadOnlyList<object>) ?? failure.ErrorMessage);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", ErrorMessages.For(e.Code, e.Args) ?? e.Message);
        }
        catch (UploadRefusedException e)
        {
            ModelState.AddModelError("", ErrorMessages.For(e.Code, e.Args) ?? e.Message);
        }
        catch (BadHttpRequestException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException)
        {
            ModelState.AddModelError("", ErrorMessages.For(ErrorCodes.Stale)!);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateException e) when (e.InnerException is Npgsql.PostgresException
        { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, ConstraintName: "ix_initiatives_jurisdiction_id_year_code" })
        {
            // The API says 409; a form says it beside the code.
            ModelState.AddModelError(Key(prefix, "Code"), ErrorMessages.For(ErrorCodes.ItemCode)!);
        }
        return false;
    }

    /// <summary>A time typed on the office's wall clock (a <c>datetime-local</c> field), as an instant.</summary>
    protected static DateTimeOffset? OnWallClock(OfficeClock clock, DateTime? local) =>
        local is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Unspecified), clock.Zone.GetUtcOffset(at)) : null;

    private static string Key(string prefix, string property) =>
        prefix.Length == 0 ? property : property.Length == 0 ? prefix : $"{prefix}.{property}";
}
