using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Account;

/// <summary>Signs in with the cookie, under the same lockout rule as the API's sign-in.</summary>
[AllowAnonymous]
public sealed class LoginModel(SignInManager<TrackerUser> signIn, IStringLocalizer<SharedResource> s) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email))
            ModelState.AddModelError(nameof(Email), s["请输入邮箱。"]);
        if (string.IsNullOrEmpty(Password))
            ModelState.AddModelError(nameof(Password), s["请输入密码。"]);
        if (!ModelState.IsValid)
            return Page();

        signIn.AuthenticationScheme = IdentityConstants.ApplicationScheme;
        var result = await signIn.PasswordSignInAsync(Email!.Trim(), Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        ModelState.AddModelError("", result.IsLockedOut ? s["连续多次失败，账户已锁定，请稍后再试。"] : s["邮箱或密码错误。"]);
        Password = null;
        return Page();
    }
}
