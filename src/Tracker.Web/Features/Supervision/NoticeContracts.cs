using FluentValidation;
using Tracker.Domain;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Supervision;

public sealed record NoticeDto(
    long Id, long InitiativeId, string InitiativeCode, string InitiativeTitle, NamedRef Department, string Reason,
    DateOnly RaisedOn, DateOnly AnswerDue, NoticeStatus Status, bool Escalated, IReadOnlyList<NoticeStepDto> Steps);

public sealed record NoticeStepDto(DateTimeOffset At, string Action, string By, string Text);

/// <summary>A supervision notice raised by hand: why, and by when the department answers (default: the usual answer days).</summary>
public sealed record NoticeInput(string? Reason, DateOnly? AnswerDue);

/// <summary>The department's rectification plan (整改方案); also a supervisor's comment on closing.</summary>
public sealed record NoticeAnswer(string? Text);

public sealed record NoticeReview(bool Accept, string? Comment);

/// <summary>Which notices a list shows.</summary>
public sealed record NoticeQuery(NoticeStatus? Status, bool? Open, int? Page, int? PageSize);

internal sealed class NoticeInputValidator : AbstractValidator<NoticeInput>
{
    public NoticeInputValidator(OfficeClock clock)
    {
        RuleFor(n => n.Reason).NotEmpty().WithMessage("Give the reason for the notice.").WithErrorCode(ErrorCodes.NoticeReasonRequired).MaximumLength(500);
        RuleFor(n => n.AnswerDue).PlausibleDate();
        RuleFor(n => n.AnswerDue).GreaterThanOrEqualTo(clock.Today).When(n => n.AnswerDue is not null)
            .WithMessage("The answer date cannot be in the past.").WithErrorCode(ErrorCodes.NoticeAnswerDueInPast);
    }
}

internal sealed class NoticeAnswerValidator : AbstractValidator<NoticeAnswer>
{
    public NoticeAnswerValidator() => RuleFor(a => a.Text).NotEmpty().MaximumLength(4000);
}

internal sealed class NoticeReviewValidator : AbstractValidator<NoticeReview>
{
    public NoticeReviewValidator() => RuleFor(r => r.Comment).MaximumLength(4000).NotEmpty().When(r => !r.Accept)
        .WithMessage("Say why the plan goes back.").WithErrorCode(ErrorCodes.ReturnWithoutReason);
}
