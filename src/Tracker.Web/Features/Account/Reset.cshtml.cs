using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Account;

/// <summary>
/// The page of an admin's one-time link (<c>/account/reset?user=…&amp;token=…</c>): the person sets a new password through
/// <see cref="ResetPassword"/>. A spent or expired link says so and asks for a new one.
/// </summary>
[AllowAnonymous]
public sealed class ResetModel(ResetPassword reset, IStringLocalizer<SharedResource> s) : TrackerPage
{
    [BindProperty(SupportsGet = true, Name = "user")] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Confirm { get; set; }

    public bool LinkWorks { get; private set; }
    public bool Done { get; private set; }

    public async Task OnGetAsync()
    {
        // The token is in the address: it is not sent on to another page, nor kept by a cache.
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Response.Headers.CacheControl = "no-store";
        LinkWorks = await reset.IsValidAsync(UserId, Token);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Response.Headers.CacheControl = "no-store";
        LinkWorks = true;
        if (string.IsNullOrEmpty(Password))
            ModelState.AddModelError(nameof(Password), s["请输入密码。"]);
        else if (Password != Confirm)
            ModelState.AddModelError(nameof(Confirm), s["两次输入的密码不一致。"]);
        Done = ModelState.IsValid && await TrySubmitAsync(() => reset.RunAsync(new PasswordReset(UserId, Token, Password), ct));
        // A spent link is said once, in place of the form.
        if (ModelState.TryGetValue(nameof(Token), out var token) && token.Errors.Count > 0)
            LinkWorks = false;
        Password = Confirm = null;
        return Page();
    }
}
