using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Site;

/// <summary>Switches the language for a year (a cookie) and goes back where the user was.</summary>
[AllowAnonymous]
public sealed class CultureModel(TimeProvider time) : PageModel
{
    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        var chosen = PagesSetup.Cultures.FirstOrDefault(c => c.Name == culture) ?? PagesSetup.Cultures[0];
        Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions { Expires = time.GetUtcNow().AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true, Secure = Request.IsHttps });
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
