using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Web.Data;

namespace Tracker.Web.Features.Access;

/// <summary>
/// Identity's user manager, with one rule added where every change to a user is saved: a changed password, a lock
/// (repeated failed sign-ins, or an admin's) or another security-stamp change ends all of the user's sessions, in the
/// same transaction as the change. No caller can forget it.
/// </summary>
internal sealed class TrackerUserManager(
    IUserStore<TrackerUser> store,
    IOptions<IdentityOptions> options,
    IPasswordHasher<TrackerUser> hasher,
    IEnumerable<IUserValidator<TrackerUser>> userValidators,
    IEnumerable<IPasswordValidator<TrackerUser>> passwordValidators,
    ILookupNormalizer normalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<TrackerUser>> logger,
    TrackerDbContext db,
    Sessions sessions)
    : UserManager<TrackerUser>(store, options, hasher, userValidators, passwordValidators, normalizer, errors, services, logger)
{
    protected override async Task<IdentityResult> UpdateUserAsync(TrackerUser user)
    {
        if (SessionsEndFor(user) is not { } why)
            return await base.UpdateUserAsync(user);
        await using var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(CancellationToken) : null;
        var result = await base.UpdateUserAsync(user);
        if (!result.Succeeded)
            return result;
        await sessions.EndAllAsync(user.Id, why, CancellationToken);
        if (owned is not null)
            await owned.CommitAsync(CancellationToken);
        return result;
    }

    /// <summary>
    /// What about to be saved ends the user's sessions, from the values as loaded. A lock is a lockout end moved later
    /// (Identity counts lockouts on the system clock, so no comparison with "now" here); an unlock ends nothing.
    /// </summary>
    private SessionEnd? SessionsEndFor(TrackerUser user)
    {
        var entry = db.Entry(user);
        if (entry.State is not (EntityState.Unchanged or EntityState.Modified))
            return null;
        bool Changed(string name) => !Equals(entry.Property(name).OriginalValue, entry.Property(name).CurrentValue);
        if (Changed(nameof(TrackerUser.PasswordHash)))
            return SessionEnd.PasswordChanged;
        var lockedUntil = entry.Property(u => u.LockoutEnd).OriginalValue;
        if (user.LockoutEnd is { } end && (lockedUntil is null || end > lockedUntil))
            return SessionEnd.Locked;
        if (Changed(nameof(TrackerUser.SecurityStamp)))
            return SessionEnd.CredentialsChanged;
        return null;
    }
}
