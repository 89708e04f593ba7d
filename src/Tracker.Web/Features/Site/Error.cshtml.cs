using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Site;

/// <summary>The page the status-code pages re-execute for a page request that ended in an error status.</summary>
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class ErrorModel(IStringLocalizer<SharedResource> s) : PageModel
{
    public string Title { get; private set; } = "";
    public string Detail { get; private set; } = "";

    public void OnGet(int code) => Describe(code);

    // A refused POST (a missing anti-forgery token is a 400) re-executes as a POST.
    public void OnPost(int code) => Describe(code);

    private void Describe(int code)
    {
        (Title, Detail) = code switch
        {
            404 => (s["找不到该页面"].Value, s["该页面不存在，或您无权查看。"].Value),
            403 => (s["无权操作"].Value, s["您可以查看此内容，但不能执行此操作。"].Value),
            400 => (s["请求无效"].Value, s["表单已过期或不完整，请返回后刷新页面重试。"].Value),
            _ => (s["出错了"].Value, s["请稍后再试。"].Value),
        };
    }
}
