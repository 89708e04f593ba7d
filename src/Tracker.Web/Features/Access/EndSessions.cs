using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Access;

public sealed record SessionsEnded(int Ended);

/// <summary>
/// Signing out: the viewer's own session (the API's logout and the pages' sign-out), or every session of a user
/// (an admin's "sign out everywhere"). Either answers at once: the very next request with an ended cookie or token is
/// not signed in. Password changes and locks end sessions by themselves (<see cref="TrackerUserManager"/>).
/// </summary>
public sealed class EndSessions(Viewer viewer, Sessions sessions, SignInManager<TrackerUser> signIn, UserManager<TrackerUser> users) : IUseCase
{
    /// <summary>Ends the session this request is signed in with — its access and refresh tokens, or its cookie — and removes the cookie.
    /// Anyone may; for a visitor not signed in there is nothing to end.</summary>
    public async Task OwnAsync(CancellationToken ct)
    {
        if (viewer is { UserId: { } userId, SessionId: { } session })
            await sessions.EndAsync(userId, session, SessionEnd.SignedOut, ct);
        await signIn.SignOutAsync();
    }

    /// <summary>Admins end every open session of a user; 404 for a user that does not exist.</summary>
    public async Task<SessionsEnded> EverywhereAsync(string userId, CancellationToken ct)
    {
        Require.Role(viewer, "Only admins sign a user out everywhere.", Roles.Admin);
        if (!await users.Users.AnyAsync(u => u.Id == userId, ct))
            throw new NotFoundException($"No user {userId}.");
        return new SessionsEnded(await sessions.EndAllAsync(userId, SessionEnd.SignedOutEverywhere, ct));
    }
}
