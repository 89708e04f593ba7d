using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Admin;

/// <summary>
/// A user's page for admins: their name, phone, roles and unit (<see cref="EditUser"/>), a lock (<see cref="LockUser"/>),
/// a one-time link to set a new password (<see cref="IssueResetLink"/>), shown on the answer to its POST and nowhere
/// else, and signing them out everywhere (<see cref="EndSessions"/>).
/// </summary>
[Authorize(Policy = Policies.Administer)]
public sealed class UserModel(TrackerDbContext db, ReadUsers read, TimeProvider time) : TrackerPage
{
    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "";
    [BindProperty] public UserFields Input { get; set; } = new();

    /// <summary>What was just done, to confirm: created, saved, locked, unlocked, signed-out.</summary>
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    public UserDto Current { get; private set; } = null!;
    public UnitChoices Units { get; private set; } = new([], []);
    public bool Locked { get; private set; }

    /// <summary>The reset link, on the answer to the POST that made it only: it is kept nowhere.</summary>
    public string? ResetUrl { get; private set; }
    public DateTimeOffset? ResetExpires { get; private set; }
    [BindProperty(SupportsGet = true)] public int? Ended { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Input = UserFields.From(Current);
    }

    public async Task<IActionResult> OnPostAsync([FromServices] EditUser edit, CancellationToken ct)
    {
        var user = await read.OneAsync(Id, ct);
        // The email is the sign-in name and is not changed here.
        Input.Email = user.Email;
        if (ModelState.IsValid && await TrySubmitAsync(() => edit.RunAsync(Id, Input.ToInput(null), ct), prefix: "Input"))
            return Redirect($"/admin/users/{Id}?done=saved");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostLockAsync(bool locked, [FromServices] LockUser lockUser, CancellationToken ct)
    {
        if (await TrySubmitAsync(() => lockUser.RunAsync(Id, new LockChange(locked), ct)))
            return Redirect($"/admin/users/{Id}?done={(locked ? "locked" : "unlocked")}");
        await LoadAsync(ct);
        Input = UserFields.From(Current);
        return Page();
    }

    public async Task<IActionResult> OnPostResetLinkAsync([FromServices] IssueResetLink issue, CancellationToken ct)
    {
        var link = await issue.RunAsync(Id, ct);
        ResetUrl = $"{Request.Scheme}://{Request.Host}{link.Path}";
        ResetExpires = link.ExpiresAt;
        // Neither the browser nor a proxy keeps the page that shows it.
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(ct);
        Input = UserFields.From(Current);
        return Page();
    }

    public async Task<IActionResult> OnPostSignOutAsync([FromServices] EndSessions end, CancellationToken ct)
    {
        var ended = await end.EverywhereAsync(Id, ct);
        return Redirect($"/admin/users/{Id}?done=signed-out&ended={ended.Ended}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Current = await read.OneAsync(Id, ct);
        Locked = Current.LockedUntil > time.GetUtcNow();
        Units = await UnitChoices.LoadAsync(db, ct);
    }
}
