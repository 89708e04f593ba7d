using FluentValidation;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Access;

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record Me(string Id, string Email, string DisplayName, string? Phone, IReadOnlyList<string> Roles, int? DepartmentId, int? JurisdictionId);

/// <summary>
/// Sign-in with Identity: bearer tokens for API clients, or the cookie for web pages (<c>?useCookies=true</c>).
/// Identity's own endpoint set is not mapped because it includes open self-registration; accounts are made by admins.
/// </summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Sign-in");
        auth.MapPost("/login", Login).Validate<LoginRequest>().ProducesProblem(401);
        auth.MapPost("/refresh", Refresh).ProducesProblem(401);
        auth.MapPost("/logout", Logout).RequireAuthorization();
        auth.MapGet("/me", GetMe).RequireAuthorization().ProducesProblem(401);
        auth.MapPost("/reset-password", ResetPassword).ProducesValidationProblem();
        return app;
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Login(
        LoginRequest login, bool? useCookies, SignInManager<TrackerUser> signIn)
    {
        signIn.AuthenticationScheme = useCookies == true ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(login.Email!.Trim(), login.Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
            return TypedResults.Empty; // the sign-in has written the token or the cookie
        return TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: result.IsLockedOut ? "The account is locked after repeated failures; try again later." : "Wrong email or password.",
            extensions: new Dictionary<string, object?> { ["code"] = result.IsLockedOut ? "locked-out" : result.IsNotAllowed ? "not-allowed" : "failed" });
    }

    /// <summary>Sets a new password with an admin's reset link (its user and token); the link is spent by it.</summary>
    public static async Task<NoContent> ResetPassword(Account.PasswordReset reset, Account.ResetPassword run, CancellationToken ct)
    {
        await run.RunAsync(reset, ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// A refresh token is good once: the answer carries a new one, and the one presented is spent. Presenting a spent
    /// one again ends its session (every token of it) and answers 401.
    /// </summary>
    public static async Task<Results<SignInHttpResult, ChallengeHttpResult>> Refresh(
        RefreshRequest request, SignInManager<TrackerUser> signIn, Sessions sessions, IOptionsMonitor<BearerTokenOptions> bearer, TimeProvider time, CancellationToken ct)
    {
        var ticket = bearer.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || time.GetUtcNow() >= expires
            || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user
            || await sessions.RotateAsync(ticket.Principal, ct) is not { } next)
            return TypedResults.Challenge();
        var principal = await signIn.CreateUserPrincipalAsync(user);
        Sessions.Stamp(principal, next);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    /// <summary>Ends this session: the access and refresh tokens it was signed in with, or the cookie.</summary>
    public static async Task<NoContent> Logout(EndSessions end, CancellationToken ct)
    {
        await end.OwnAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<Me>, UnauthorizedHttpResult>> GetMe(Viewer viewer, UserManager<TrackerUser> users)
    {
        if (await users.FindByIdAsync(viewer.UserId!) is not { } user)
            return TypedResults.Unauthorized();
        return TypedResults.Ok(new Me(user.Id, user.Email!, user.DisplayName, user.PhoneNumber,
            [.. (await users.GetRolesAsync(user)).Order()], user.DepartmentId, user.JurisdictionId));
    }
}

internal sealed class LoginRequestValidator : AbstractValidator<LoginRequest>
{
    public LoginRequestValidator()
    {
        RuleFor(l => l.Email).NotEmpty().MaximumLength(256);
        RuleFor(l => l.Password).NotEmpty().MaximumLength(256);
    }
}
