using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Tracker.Web.Infrastructure.Web;

/// <summary>
/// What the API turns into 404 and 403 problem documents, pages turn into their status code, which the
/// status-code pages show as a page. Validation and conflicts are handled by the form that caused them.
/// </summary>
internal sealed class PageExceptionFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is NotFoundException or ForbiddenException && !executed.ExceptionHandled)
        {
            executed.Result = new StatusCodeResult(executed.Exception is NotFoundException ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden);
            executed.ExceptionHandled = true;
        }
    }
}
