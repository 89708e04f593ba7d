using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Identity;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Admin;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Account;

public sealed record PasswordReset(string? UserId, string? Token, string? NewPassword);

/// <summary>
/// A person sets a new password with the link an admin gave them (<see cref="IssueResetLink"/>). The link is the
/// authority, so anyone holding it may; an unknown user and a spent or expired token are refused alike, so the page
/// tells nothing about which accounts exist. Changing the password changes the security stamp: the link is spent, and
/// the person's sessions end (<see cref="TrackerUserManager"/>).
/// </summary>
public sealed class ResetPassword(UserManager<TrackerUser> users) : IUseCase
{
    private static readonly InlineValidator<PasswordReset> Valid = new()
    {
        v => v.RuleFor(r => r.UserId).NotEmpty().MaximumLength(450),
        v => v.RuleFor(r => r.Token).NotEmpty().MaximumLength(2000),
        v => v.RuleFor(r => r.NewPassword).NotEmpty().MaximumLength(200),
    };

    /// <summary>Whether the link still works, to show the form or say it is spent before anything is typed.</summary>
    public async Task<bool> IsValidAsync(string? userId, string? token)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token) || token.Length > 2000 || await users.FindByIdAsync(userId) is not { } user)
            return false;
        return await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<TrackerUser>.ResetPasswordTokenPurpose, token);
    }

    public async Task RunAsync(PasswordReset input, CancellationToken ct)
    {
        await Valid.ValidateAndThrowAsync(input, ct);
        var user = await users.FindByIdAsync(input.UserId!) ?? throw Spent();
        var result = await users.ResetPasswordAsync(user, input.Token!, input.NewPassword!);
        if (result.Succeeded)
            return;
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)))
            throw Spent();
        throw AdminOnly.Refused(result);
    }

    private static ValidationException Spent() =>
        new([new ValidationFailure("Token", "The link no longer works: it was used, or has expired.") { ErrorCode = ErrorCodes.ResetLinkInvalid }]);
}
