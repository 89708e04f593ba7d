using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Tracker.Web.Data;
using Tracker.Web.Features.Audit;

namespace Tracker.Web.Features.Access;

/// <summary>The session a token or cookie belongs to, and the refresh generation a refresh token was issued in.</summary>
public sealed record SessionTicket(Guid Id, int Generation);

/// <summary>
/// Opens, checks, rotates and ends <see cref="UserSession"/>s. The sign-in puts the session's id (and, for bearer
/// tokens, the refresh generation) in the principal; every authenticated request checks, by primary key, that the
/// session is still open (<see cref="IsOpenAsync"/>), so ending it stops its cookie or tokens on the very next request.
/// </summary>
public sealed class Sessions(TrackerDbContext db, TimeProvider time, IAuditActor actor)
{
    public const string GenerationClaim = "tracker:refresh_generation";

    public async Task<SessionTicket> StartAsync(string userId, SessionKind kind, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var session = new UserSession { Id = Guid.CreateVersion7(now), UserId = userId, Kind = kind, CreatedAt = now };
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return new SessionTicket(session.Id, 0);
    }

    /// <summary>Puts the session and its refresh generation into <paramref name="principal"/>, replacing any there.</summary>
    public static void Stamp(ClaimsPrincipal principal, SessionTicket ticket)
    {
        var identity = principal.Identities.First();
        foreach (var old in identity.FindAll(c => c.Type is Viewer.SessionClaim or GenerationClaim).ToList())
            identity.RemoveClaim(old);
        identity.AddClaims(ClaimsOf(ticket));
    }

    public static IEnumerable<Claim> ClaimsOf(SessionTicket ticket) =>
    [
        new(Viewer.SessionClaim, ticket.Id.ToString()),
        new(GenerationClaim, ticket.Generation.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>The session a principal was signed in with; null for one without (signed in before sessions existed).</summary>
    public static SessionTicket? Read(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(Viewer.SessionClaim), out var id)
            ? new SessionTicket(id, int.TryParse(principal.FindFirstValue(GenerationClaim), CultureInfo.InvariantCulture, out var g) ? g : -1)
            : null;

    /// <summary>Whether the principal's session is still open: one primary-key lookup. A principal without a session is not.</summary>
    public Task<bool> IsOpenAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (Read(principal) is not { } ticket || userId is null)
            return Task.FromResult(false);
        return db.UserSessions.AnyAsync(s => s.Id == ticket.Id && s.UserId == userId && s.EndedAt == null, ct);
    }

    /// <summary>
    /// Exchanges a refresh token's principal for the session's next generation. A refresh token of an older
    /// generation — one already exchanged — ends the session: its access tokens and its newest refresh token stop too.
    /// Null when nothing may be issued. One UPDATE decides, so two refreshes racing with the same token cannot both win.
    /// </summary>
    public async Task<SessionTicket?> RotateAsync(ClaimsPrincipal refresh, CancellationToken ct)
    {
        var userId = refresh.FindFirstValue(ClaimTypes.NameIdentifier);
        if (Read(refresh) is not { Generation: >= 0 } ticket || userId is null)
            return null;
        var now = time.GetUtcNow();
        var rotated = await db.UserSessions
            .Where(s => s.Id == ticket.Id && s.UserId == userId && s.EndedAt == null && s.RefreshGeneration == ticket.Generation)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RefreshGeneration, s => s.RefreshGeneration + 1).SetProperty(s => s.LastRefreshedAt, (DateTimeOffset?)now), ct);
        if (rotated == 1)
            return ticket with { Generation = ticket.Generation + 1 };
        await End(db.UserSessions.Where(s => s.Id == ticket.Id && s.UserId == userId), SessionEnd.RefreshReused, ct);
        return null;
    }

    /// <summary>Ends the one session of <paramref name="userId"/> named <paramref name="sessionId"/>.</summary>
    public Task<int> EndAsync(string userId, Guid sessionId, SessionEnd why, CancellationToken ct) =>
        End(db.UserSessions.Where(s => s.Id == sessionId && s.UserId == userId), why, ct);

    /// <summary>Ends every open session of <paramref name="userId"/>; answers how many there were.</summary>
    public Task<int> EndAllAsync(string userId, SessionEnd why, CancellationToken ct) =>
        End(db.UserSessions.Where(s => s.UserId == userId), why, ct);

    private Task<int> End(IQueryable<UserSession> sessions, SessionEnd why, CancellationToken ct)
    {
        DateTimeOffset? now = time.GetUtcNow();
        SessionEnd? reason = why;
        var by = actor.UserId;
        return sessions.Where(s => s.EndedAt == null).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.EndedAt, now)
            .SetProperty(s => s.EndedWhy, reason)
            .SetProperty(s => s.EndedBy, by), ct);
    }
}
