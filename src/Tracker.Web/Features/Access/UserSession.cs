namespace Tracker.Web.Features.Access;

/// <summary>
/// One sign-in: the cookie, or the access and refresh tokens a bearer sign-in and its refreshes hand out.
/// Every token and cookie names its session; a request is signed in only while the session is open.
/// Ending one is an update: the row stays, with when, why and by whom it ended.
/// </summary>
public sealed class UserSession
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    public SessionKind Kind { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastRefreshedAt { get; set; }

    /// <summary>How many times the refresh token has been exchanged; only a refresh token of this generation is accepted.</summary>
    public int RefreshGeneration { get; set; }

    public DateTimeOffset? EndedAt { get; set; }
    public SessionEnd? EndedWhy { get; set; }

    /// <summary>The user who ended it (themselves, or an admin); null when the service did (a lockout, a reused refresh token).</summary>
    public string? EndedBy { get; set; }
}

public enum SessionKind
{
    Cookie,
    Bearer,
}

public enum SessionEnd
{
    /// <summary>The user signed out (this session only).</summary>
    SignedOut,

    /// <summary>The password was changed or reset.</summary>
    PasswordChanged,

    /// <summary>The account was locked: by repeated failed sign-ins, or by an admin.</summary>
    Locked,

    /// <summary>The security stamp changed for another reason (email or user name, for instance).</summary>
    CredentialsChanged,

    /// <summary>An admin signed the user out everywhere.</summary>
    SignedOutEverywhere,

    /// <summary>A refresh token was presented a second time: it may have been stolen, so the whole session ends.</summary>
    RefreshReused,
}
