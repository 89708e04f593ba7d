using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tracker.Web.Features.Access;

namespace Tracker.Web.Features.Account;

[AllowAnonymous]
public sealed class LogoutModel(EndSessions end) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await end.OwnAsync(HttpContext.RequestAborted);
        return Redirect("/account/login");
    }
}
