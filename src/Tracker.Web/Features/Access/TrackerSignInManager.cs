using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Tracker.Web.Features.Access;

/// <summary>
/// Identity's sign-in, with two changes: every sign-in opens a <see cref="UserSession"/> and names it in the cookie or
/// tokens; and a sign-in costs one password hash whatever the email — unknown, locked, without a password — so that
/// the time of the answer does not tell which accounts exist or are locked.
/// </summary>
internal sealed class TrackerSignInManager(
    UserManager<TrackerUser> users,
    IHttpContextAccessor context,
    IUserClaimsPrincipalFactory<TrackerUser> claims,
    IOptions<IdentityOptions> options,
    ILogger<SignInManager<TrackerUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<TrackerUser> confirmation,
    IPasswordHasher<TrackerUser> hasher,
    Sessions sessions)
    : SignInManager<TrackerUser>(users, context, claims, options, logger, schemes, confirmation)
{
    // Made once with the service's own hasher (same algorithm and iterations as real hashes), never matched.
    private static string? s_dummyHash;

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        if (await UserManager.FindByNameAsync(userName) is { } user)
            return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        HashAnyway(password);
        return SignInResult.Failed;
    }

    public override async Task<SignInResult> CheckPasswordSignInAsync(TrackerUser user, string password, bool lockoutOnFailure)
    {
        // Identity answers these without hashing the password: hash it anyway, against nothing.
        if (user.PasswordHash is null || await IsLockedOut(user) || !await CanSignInAsync(user))
            HashAnyway(password);
        return await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
    }

    public override async Task SignInWithClaimsAsync(TrackerUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var kind = AuthenticationScheme == IdentityConstants.BearerScheme ? SessionKind.Bearer : SessionKind.Cookie;
        var session = await sessions.StartAsync(user.Id, kind, Context.RequestAborted);
        await base.SignInWithClaimsAsync(user, authenticationProperties, [.. additionalClaims, .. Sessions.ClaimsOf(session)]);
    }

    private void HashAnyway(string password)
    {
        var nobody = new TrackerUser();
        s_dummyHash ??= hasher.HashPassword(nobody, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(nobody, s_dummyHash, password);
    }
}
