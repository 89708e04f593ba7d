using FluentValidation;
using Tracker.Domain;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Plans;

/// <summary>
/// An extension or adjustment request (延期/调整申请): the new plan terms and why. A field left out keeps the current
/// plan's; <c>Targets</c> and <c>Milestones</c>, when given, are the whole new lists (by id, as in an item's edit;
/// a milestone's achievement is the reports' to record, not the plan's).
/// </summary>
public sealed record ChangeRequestInput(string? Reason, DateOnly? PlannedStart, DateOnly? Deadline, TargetInput[]? Targets, MilestoneInput[]? Milestones);

/// <summary>A supervisor's decision on a change request, with a comment (required to reject).</summary>
public sealed record ChangeDecision(bool? Approve, string? Comment);

public sealed record PlanTermsDto(DateOnly PlannedStart, DateOnly Deadline, IReadOnlyList<TargetPlan> Targets, IReadOnlyList<MilestoneDate> Milestones);

public sealed record ChangeRequestDto(
    long Id, long InitiativeId, string InitiativeCode, string InitiativeTitle, NamedRef Department, string RequestedBy, DateTimeOffset RequestedAt,
    string Reason, DateOnly DeadlineBefore, PlanTermsDto Proposed, IReadOnlyList<string> Moves, ChangeRequestStatus Status,
    string? DecidedBy, DateTimeOffset? DecidedAt, string? Comment, IReadOnlyList<AttachmentDto> Evidence, string ETag);

public sealed record PlanVersionDto(
    int Number, PlanTermsDto Terms, long? ChangeRequestId, string? RequestedBy, string? Reason, string? DecidedBy, DateTimeOffset RecordedAt);

/// <summary>An item's plan history: where its deadline started, how often it was extended, every version kept, every request made.</summary>
public sealed record PlanHistory(
    long InitiativeId, bool PlanFixed, DateOnly Deadline, DateOnly? OriginalDeadline, int Extensions,
    IReadOnlyList<PlanVersionDto> Versions, IReadOnlyList<ChangeRequestDto> Requests);

internal sealed class ChangeRequestInputValidator : AbstractValidator<ChangeRequestInput>
{
    public ChangeRequestInputValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.PlannedStart).PlausibleDate();
        RuleFor(r => r.Deadline).PlausibleDate();
        RuleFor(r => r.Targets).NotEmpty().WithMessage("The plan needs at least one quantified target.").When(r => r.Targets is not null);
        RuleFor(r => r.Targets).NoNullElements()
            .Must(ts => ts!.Select(t => t.Metric?.Trim()).Distinct().Count() == ts!.Length)
            .WithMessage("Two targets cannot share a metric.")
            .When(r => r.Targets is { Length: > 0 });
        RuleFor(r => r.Milestones).NoNullElements();
        RuleForEach(r => r.Targets).SetValidator(new TargetInputValidator());
        RuleForEach(r => r.Milestones).SetValidator(new MilestoneInputValidator());
        RuleForEach(r => r.Milestones).Must(m => m?.AchievedOn is null)
            .WithErrorCode(ErrorCodes.MilestoneByReport)
            .WithMessage("A milestone is marked achieved by a progress report, not by the plan.");
    }
}

internal sealed class ChangeDecisionValidator : AbstractValidator<ChangeDecision>
{
    public ChangeDecisionValidator()
    {
        RuleFor(d => d.Approve).NotNull();
        RuleFor(d => d.Comment).MaximumLength(2000);
        RuleFor(d => d.Comment).NotEmpty().When(d => d.Approve == false).WithMessage("Say why the request is rejected.");
    }
}
