using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Audit;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Admin;

/// <summary>A page of users with the number of users the search matches.</summary>
public sealed record UserPage(IReadOnlyList<UserDto> Items, int Page, int PageSize, bool HasMore, int Total);

public sealed record LockChange(bool? Locked);

/// <summary>Where the person sets a new password: a path of this service, good once and for <see cref="ExpiresAt"/> at most.</summary>
public sealed record ResetLink(string UserId, string Path, DateTimeOffset ExpiresAt);

internal static class AdminOnly
{
    public static void Check(Viewer viewer) =>
        Require.Role(viewer, "Only admins manage users, departments, jurisdictions and the holiday calendar.", Roles.Admin);

    /// <summary>Identity's refusals as field failures, with codes the pages say in their words.</summary>
    public static ValidationException Refused(IdentityResult result) =>
        new(result.Errors.Select(e =>
            e.Code.Contains("Password", StringComparison.Ordinal) ? new ValidationFailure("Password", e.Description) { ErrorCode = ErrorCodes.PasswordWeak }
            : e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal)
                ? new ValidationFailure("Email", e.Description) { ErrorCode = e.Code.StartsWith("Duplicate", StringComparison.Ordinal) ? ErrorCodes.EmailTaken : e.Code }
            : new ValidationFailure("User", e.Description) { ErrorCode = e.Code }));

    /// <summary>A write that leaves no row of its own (a reset link, a calendar year replaced) still lands in the trail.</summary>
    public static AuditEntry Entry(IAuditActor actor, DateTimeOffset at, string action, string type, string id, object? before, object? after) => new()
    {
        At = at,
        UserId = actor.UserId,
        UserName = actor.UserName,
        Action = action,
        EntityType = type,
        EntityId = id,
        Before = before is null ? null : JsonSerializer.Serialize(before),
        After = after is null ? null : JsonSerializer.Serialize(after),
    };
}

/// <summary>Users for admins: a page of them by email with the total the search matches, or one; each with their roles.</summary>
public sealed class ReadUsers(TrackerDbContext db, Viewer viewer) : IUseCase
{
    public const int DefaultPageSize = 50;

    /// <summary>Three queries whatever the page's size: the count, the page, the page's roles.</summary>
    public async Task<UserPage> ListAsync(string? q, int? page, int? pageSize, CancellationToken ct)
    {
        AdminOnly.Check(viewer);
        q = q?.Trim();
        if (q is { Length: > 100 })
            throw new ValidationException([new ValidationFailure("Q", "Search with at most 100 characters.")]);
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrEmpty(q))
        {
            // Emails in any case (Identity keeps them upper-cased too); names as written.
            var upper = q.ToUpperInvariant();
            users = users.Where(u => u.NormalizedEmail!.Contains(upper) || u.DisplayName.Contains(q));
        }
        var total = await users.CountAsync(ct);
        var found = await users.OrderBy(u => u.NormalizedEmail).ThenBy(u => u.Id).ToPagedAsync(PageRequest.Of(page, pageSize, DefaultPageSize, 200), ct);
        var roles = await RolesAsync([.. found.Items.Select(u => u.Id)], ct);
        return new UserPage([.. found.Items.Select(u => ToDto(u, roles[u.Id]))], found.Page, found.PageSize, found.HasMore, total);
    }

    public async Task<UserDto> OneAsync(string id, CancellationToken ct)
    {
        AdminOnly.Check(viewer);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct) ?? throw new NotFoundException($"No user {id}.");
        return ToDto(user, (await RolesAsync([id], ct))[id]);
    }

    private async Task<ILookup<string, string>> RolesAsync(List<string> ids, CancellationToken ct) =>
        (await db.UserRoles.Where(ur => ids.Contains(ur.UserId))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(ct))
        .ToLookup(x => x.UserId, x => x.Name!);

    internal static UserDto ToDto(TrackerUser u, IEnumerable<string> roles) =>
        new(u.Id, u.Email!, u.DisplayName, u.PhoneNumber, [.. roles.Order()], u.DepartmentId, u.JurisdictionId, u.LockoutEnd);
}

/// <summary>An admin makes an account: its roles, its department or jurisdiction, and a first password.</summary>
public sealed class CreateUser(UserManager<TrackerUser> users, TrackerDbContext db, Viewer viewer, IValidator<UserInput> validator) : IUseCase
{
    private static readonly InlineValidator<UserInput> PasswordGiven = new() { v => v.RuleFor(u => u.Password).NotEmpty() };

    public async Task<UserDto> RunAsync(UserInput input, CancellationToken ct)
    {
        AdminOnly.Check(viewer);
        var failures = (await validator.ValidateAsync(input, ct)).Errors;
        failures.AddRange(PasswordGiven.Validate(input).Errors);
        if (failures.Count > 0)
            throw new ValidationException(failures);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = new TrackerUser { UserName = input.Email!.Trim(), Email = input.Email.Trim(), EmailConfirmed = true };
        EditUser.Apply(input, user);
        if (await users.CreateAsync(user, input.Password!) is { Succeeded: false } created)
            throw AdminOnly.Refused(created);
        var roles = input.Roles!.Distinct().ToList();
        if (await users.AddToRolesAsync(user, roles) is { Succeeded: false } added)
            throw AdminOnly.Refused(added);
        await transaction.CommitAsync(ct);
        return ReadUsers.ToDto(user, roles);
    }
}

/// <summary>
/// An admin changes a user's name, phone, roles and department or jurisdiction; through the API also a lock and a new
/// password. A lock or a password changed ends the user's sessions (<see cref="TrackerUserManager"/>).
/// </summary>
public sealed class EditUser(UserManager<TrackerUser> users, TrackerDbContext db, Viewer viewer, IValidator<UserInput> validator) : IUseCase
{
    public async Task<UserDto> RunAsync(string id, UserInput input, CancellationToken ct)
    {
        AdminOnly.Check(viewer);
        var user = await users.FindByIdAsync(id) ?? throw new NotFoundException($"No user {id}.");
        await validator.ValidateAndThrowAsync(input, ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        Apply(input, user);
        if (input.Locked is { } locked)
        {
            if (locked && id == viewer.UserId)
                throw new ValidationException([new ValidationFailure(nameof(UserInput.Locked), "Admins do not lock themselves out.") { ErrorCode = ErrorCodes.LockSelf }]);
            user.LockoutEnd = locked ? DateTimeOffset.MaxValue : null;
            if (!locked)
                user.AccessFailedCount = 0;
        }
        if (await users.UpdateAsync(user) is { Succeeded: false } updated)
            throw AdminOnly.Refused(updated);
        var current = await users.GetRolesAsync(user);
        var wanted = input.Roles!.Distinct().ToList();
        if (await users.RemoveFromRolesAsync(user, current.Except(wanted)) is { Succeeded: false } removed)
            throw AdminOnly.Refused(removed);
        if (await users.AddToRolesAsync(user, wanted.Except(current)) is { Succeeded: false } added)
            throw AdminOnly.Refused(added);
        if (!string.IsNullOrEmpty(input.Password))
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            if (await users.ResetPasswordAsync(user, token, input.Password) is { Succeeded: false } reset)
                throw AdminOnly.Refused(reset);
        }
        await transaction.CommitAsync(ct);
        return ReadUsers.ToDto(user, wanted);
    }

    // The email is the sign-in name and stays as created.
    internal static void Apply(UserInput input, TrackerUser user)
    {
        user.DisplayName = input.DisplayName!.Trim();
        user.PhoneNumber = string.IsNullOrWhiteSpace(input.Phone) ? null : input.Phone.Trim();
        user.DepartmentId = input.DepartmentId;
        user.JurisdictionId = input.JurisdictionId;
    }
}

/// <summary>An admin locks a user out until unlocked (their sessions end at once), or lifts a lock, theirs or the failed sign-ins'.</summary>
public sealed class LockUser(UserManager<TrackerUser> users, Viewer viewer) : IUseCase
{
    private static readonly InlineValidator<LockChange> Valid = new() { v => v.RuleFor(c => c.Locked).NotNull() };

    public async Task<UserDto> RunAsync(string id, LockChange change, CancellationToken ct)
    {
        AdminOnly.Check(viewer);
        var user = await users.FindByIdAsync(id) ?? throw new NotFoundException($"No user {id}.");
        await Valid.ValidateAndThrowAsync(change, ct);
        if (change.Locked == true && id == viewer.UserId)
            throw new ValidationException([new ValidationFailure("Locked", "Admins do not lock themselves out.") { ErrorCode = ErrorCodes.LockSelf }]);
        user.LockoutEnd = change.Locked == true ? DateTimeOffset.MaxValue : null;
        if (change.Locked == false)
            user.AccessFailedCount = 0;
        if (await users.UpdateAsync(user) is { Succeeded: false } updated)
            throw AdminOnly.Refused(updated);
        return ReadUsers.ToDto(user, await users.GetRolesAsync(user));
    }
}

/// <summary>
/// An admin asks for a link with which the person sets a new password: Identity's reset token, bound to the user's
/// security stamp, so it stops working once the password has changed (or after a day). The link is returned once and
/// kept nowhere; the trail records that one was issued, not the link.
/// </summary>
public sealed class IssueResetLink(UserManager<TrackerUser> users, TrackerDbContext db, Viewer viewer, IAuditActor actor, OfficeClock clock,
    Microsoft.Extensions.Options.IOptions<DataProtectionTokenProviderOptions> tokens) : IUseCase
{
    public async Task<ResetLink> RunAsync(string id, CancellationToken ct)
    {
        AdminOnly.Check(viewer);
        var user = await users.FindByIdAsync(id) ?? throw new NotFoundException($"No user {id}.");
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var expires = clock.Now + tokens.Value.TokenLifespan;
        db.AuditLog.Add(AdminOnly.Entry(actor, clock.Now, "ResetLinkIssued", "User", id, null, new { ExpiresAt = expires }));
        await db.SaveChangesAsync(ct);
        return new ResetLink(id, $"/account/reset?user={Uri.EscapeDataString(id)}&token={Uri.EscapeDataString(token)}", expires);
    }
}

internal sealed class UserInputValidator : AbstractValidator<UserInput>
{
    public UserInputValidator(TrackerDbContext db)
    {
        RuleFor(u => u.Email).NotEmpty().EmailAddress().MaximumLength(256);
        RuleFor(u => u.DisplayName).NotEmpty().MaximumLength(100);
        RuleFor(u => u.Phone).MaximumLength(40).Matches(@"^[0-9+\-() ]{3,40}$").When(u => !string.IsNullOrEmpty(u.Phone))
            .WithErrorCode(ErrorCodes.PhoneFormat).WithMessage("A phone number holds digits, spaces and + - ( ) only.");
        RuleFor(u => u.Roles).NotEmpty()
            .Must(r => r!.All(Roles.All.Contains)).WithMessage($"Roles are among: {string.Join(", ", Roles.All)}.");
        RuleFor(u => u.DepartmentId).NotNull().When(u => u.Roles?.Contains(Roles.Official) == true)
            .WithErrorCode(ErrorCodes.UserDepartment).WithMessage("An official belongs to a department.");
        RuleFor(u => u.JurisdictionId).NotNull().When(u => u.Roles?.Any(r => r is Roles.Deputy or Roles.Supervisor) == true)
            .WithErrorCode(ErrorCodes.UserJurisdiction).WithMessage("Deputies and supervisors belong to a jurisdiction.");
        RuleFor(u => u.DepartmentId).MustAsync((id, ct) => db.Departments.AnyAsync(d => d.Id == id, ct))
            .When(u => u.DepartmentId is not null).WithErrorCode(ErrorCodes.NoSuchUnit).WithMessage("No such department.");
        RuleFor(u => u.JurisdictionId).MustAsync((id, ct) => db.Jurisdictions.AnyAsync(j => j.Id == id, ct))
            .When(u => u.JurisdictionId is not null).WithErrorCode(ErrorCodes.NoSuchUnit).WithMessage("No such jurisdiction.");
    }
}
