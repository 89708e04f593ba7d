using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Site;

/// <summary>The page the status-code pages re-execute for a page request that ended in an error status.</summary>
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
[AllowAnonymous]
public sealed class ErrorModel(IStringLocalizer<SharedResource> s) : PageModel
{
    public string Title { get; private set; } = "";
    public string Detail { get; private set; } = "";

    public void OnGet() => Describe();

    // A refused POST (a missing anti-forgery token is a 400) re-executes as a POST.
    public void OnPost() => Describe();

    private void Describe()
    {
        // From the route, not bound: binding a POST would read its form, which may be what was refused.
        _ = int.TryParse(RouteData.Values["code"]?.ToString(), out var code);
        // Re-executed by the exception handler: a request the server could not read (too large, say) keeps its status,
        // and a database that is restarting is a 503 to retry shortly, not a failure.
        if (HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error is { } error && Failures.StatusOf(error) is { } status)
        {
            Response.StatusCode = code = status;
            if (status == StatusCodes.Status503ServiceUnavailable)
                Response.Headers.RetryAfter = Failures.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        (Title, Detail) = code switch
        {
            404 => (s["找不到该页面"].Value, s["该页面不存在，或您无权查看。"].Value),
            403 => (s["无权操作"].Value, s["您可以查看此内容，但不能执行此操作。"].Value),
            400 => (s["请求无效"].Value, s["表单已过期或不完整，请返回后刷新页面重试。"].Value),
            413 => (s["上传的内容太大"].Value, s["请减少照片数量或压缩后重试。"].Value),
            503 => (s["系统暂时无法访问"].Value, s["数据库正在重启，请稍候几秒再试。"].Value),
            _ => (s["出错了"].Value, s["请稍后再试。"].Value),
        };
    }
}
