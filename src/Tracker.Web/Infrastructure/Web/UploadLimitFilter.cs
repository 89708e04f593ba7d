using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Tracker.Web.Infrastructure.Web;

/// <summary>
/// An upload form's request over the limit is answered 413 before anything reads it. Left to the body's own
/// limit, the anti-forgery check would be first to read the form, fail, and answer a misleading 400.
/// </summary>
internal sealed class UploadLimitFilter(long limit) : IAuthorizationFilter, IOrderedFilter
{
    public int Order => int.MinValue;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        if (context.HttpContext.Request.ContentLength > limit)
            context.Result = new StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
    }
}
