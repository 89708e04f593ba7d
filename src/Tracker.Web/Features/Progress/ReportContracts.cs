using FluentValidation;
using Tracker.Domain;

using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Progress;

public sealed record ReportValueInput(int? TargetId, decimal? Value);

/// <summary>
/// A progress report; <c>Investment</c>, for a key project, is the month's completed investment in yuan (a later report of
/// the same month corrects it). Sent as JSON, or as multipart/form-data with this JSON in a part named
/// <c>report</c> and the evidence files in parts named <c>files</c>.
/// </summary>
public sealed record ReportInput(
    Phase? Phase,
    string? Narrative,
    string? Problems,
    string? NextSteps,
    ReportValueInput[]? Values,
    int[]? MilestonesAchieved,
    decimal? Investment = null);

public sealed record ReportValueDto(int TargetId, decimal Value);

public sealed record AttachmentDto(Guid Id, string FileName, string ContentType, long Size, string Url)
{
    public static AttachmentDto From(Attachment a) => new(a.Id, a.FileName, a.ContentType, a.Size, $"/api/attachments/{a.Id}");
}

public sealed record ReportDto(
    long Id,
    long InitiativeId,
    string ReportedBy,
    DateTimeOffset ReportedAt,
    DateOnly ReportedOn,
    Phase Phase,
    string Narrative,
    string? Problems,
    string? NextSteps,
    decimal ProgressAfter,
    decimal? Investment,
    IReadOnlyList<ReportValueDto> Values,
    IReadOnlyList<int> MilestonesAchieved,
    IReadOnlyList<AttachmentDto> Attachments)
{
    public static ReportDto From(ProgressReport r) => new(
        r.Id, r.InitiativeId, r.ReportedBy, r.ReportedAt, r.ReportedOn, r.Phase, r.Narrative, r.Problems, r.NextSteps,
        r.ProgressAfter,
        r.Investment,
        [.. r.Values.OrderBy(v => v.TargetId).Select(v => new ReportValueDto(v.TargetId, v.Value))],
        r.MilestonesAchieved,
        [.. r.Attachments.OrderBy(a => a.FileName).Select(AttachmentDto.From)]);
}

internal sealed class ReportInputValidator : AbstractValidator<ReportInput>
{
    public ReportInputValidator()
    {
        RuleFor(r => r.Phase).NotNull().IsInEnum();
        RuleFor(r => r.Narrative).NotEmpty().MaximumLength(4000);
        RuleFor(r => r.Problems).MaximumLength(4000);
        RuleFor(r => r.NextSteps).MaximumLength(4000);
        RuleFor(r => r.Investment).GreaterThanOrEqualTo(0).PrecisionScale(18, 2, ignoreTrailingZeros: true);
        RuleFor(r => r.Values).NoNullElements()
            .Must(v => v!.Select(x => x.TargetId).Distinct().Count() == v!.Length)
            .When(r => r.Values is not null)
            .WithMessage("Each target is reported at most once per report.");
        RuleForEach(r => r.Values).ChildRules(v =>
        {
            v.RuleFor(x => x.TargetId).NotNull();
            v.RuleFor(x => x.Value).NotNull().GreaterThanOrEqualTo(0).PrecisionScale(18, 4, ignoreTrailingZeros: true);
        });
    }
}
