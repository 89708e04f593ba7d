using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Admin;

/// <summary>An admin makes an account through <see cref="CreateUser"/>: email, name, phone, roles, unit and a first password.</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class NewUserModel(TrackerDbContext db, CreateUser create) : TrackerPage
{
    [BindProperty] public UserFields Input { get; set; } = new();
    [BindProperty] public string? Password { get; set; }

    public UnitChoices Units { get; private set; } = new([], []);

    public async Task OnGetAsync(CancellationToken ct) => Units = await UnitChoices.LoadAsync(db, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        UserDto? created = null;
        if (ModelState.IsValid && await TrySubmitAsync(async () => created = await create.RunAsync(Input.ToInput(Password), ct), prefix: "Input"))
            return Redirect($"/admin/users/{created!.Id}?done=created");
        // The password is the use case's field, not the form's prefix: its errors stand beside its own box.
        foreach (var key in ModelState.Keys.Where(k => k == "Input.Password").ToList())
        {
            foreach (var error in ModelState[key]!.Errors)
                ModelState.AddModelError(nameof(Password), error.ErrorMessage);
            ModelState.Remove(key);
        }
        Password = null;
        Units = await UnitChoices.LoadAsync(db, ct);
        return Page();
    }
}
