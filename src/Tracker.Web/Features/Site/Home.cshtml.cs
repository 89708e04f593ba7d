using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tracker.Web.Features.Access;

namespace Tracker.Web.Features.Site;

/// <summary>Everyone starts on their own role's page; the public on the published livelihood items.</summary>
[AllowAnonymous]
public sealed class HomeModel : PageModel
{
    public IActionResult OnGet()
    {
        var viewer = Viewer.From(User);
        return Redirect(
            viewer.Is(Roles.Supervisor) || viewer.Is(Roles.Admin) ? "/supervisor"
            : viewer.Is(Roles.Official) ? "/official"
            : viewer.Is(Roles.Deputy) ? "/deputy"
            : "/public");
    }
}
