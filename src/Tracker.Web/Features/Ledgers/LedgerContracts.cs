using FluentValidation;
using Tracker.Domain;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Ledgers;

/// <summary>
/// A ledger row as it is recorded or imported: by its number (序号) in the item's ledger, a new row or an update of the
/// row with that number. The responsible department is given by id, or by name when imported from a sheet.
/// </summary>
public sealed record LedgerRowInput(
    string? Number, string? Finding, string? Place, string? Category, LedgerSeverity? Severity, string? Source, DateOnly? FoundOn,
    int? DepartmentId, string? ResponsiblePerson, int? FoundByDepartmentId, string? Measures, RectificationMode? Mode, DateOnly? Deadline);

/// <summary>A step of a row: start, rectified (with what was done and after photos), verified (销号) or returned (with why).</summary>
public sealed record LedgerStepInput(LedgerStepAction? Action, string? Note);

/// <summary>The filters of a ledger's list.</summary>
public sealed record LedgerQuery(LedgerRowStatus? Status, string? Category, LedgerSeverity? Severity, int? DepartmentId, bool? Overdue, long? After, int? PageSize);

public sealed record LedgerStepDto(long Id, DateTimeOffset At, LedgerStepAction Action, string By, string Note, IReadOnlyList<AttachmentDto> Photos);

public sealed record LedgerRowDto(
    long Id, long InitiativeId, string Number, string Finding, string Place, string Category, LedgerSeverity Severity, string Source, DateOnly FoundOn,
    NamedRef Department, string ResponsiblePerson, NamedRef? FoundBy, string Measures, RectificationMode Mode, DateOnly? Deadline, DateOnly DueOn,
    LedgerRowStatus Status, DateOnly? RectifiedOn, DateOnly? ClosedOn, bool Overdue, string ETag);

public sealed record LedgerRowDetail(LedgerRowDto Row, IReadOnlyList<LedgerStepDto> Steps, IReadOnlyList<LedgerStepAction> Allowed);

/// <summary>A ledger's counts: by status, overdue, and by category.</summary>
public sealed record LedgerCounts(int Rows, int Open, int Rectifying, int Rectified, int Closed, int Overdue, IReadOnlyList<CategoryCount> Categories);

public sealed record CategoryCount(string Category, int Rows, int Closed);

public sealed record LedgerPage(long InitiativeId, LedgerCounts Counts, Paged<LedgerRowDto> Rows);

internal sealed class LedgerRowInputValidator : AbstractValidator<LedgerRowInput>
{
    public LedgerRowInputValidator()
    {
        RuleFor(r => r.Number).NotEmpty().MaximumLength(20);
        RuleFor(r => r.Finding).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.Place).MaximumLength(200);
        RuleFor(r => r.Category).MaximumLength(50);
        RuleFor(r => r.Severity).NotNull().IsInEnum();
        RuleFor(r => r.Source).MaximumLength(50);
        RuleFor(r => r.FoundOn).NotNull().PlausibleDate();
        RuleFor(r => r.DepartmentId).NotNull();
        RuleFor(r => r.ResponsiblePerson).MaximumLength(100);
        RuleFor(r => r.Measures).MaximumLength(2000);
        RuleFor(r => r.Mode).NotNull().IsInEnum();
        RuleFor(r => r.Deadline).PlausibleDate();
        RuleFor(r => r.Deadline).NotNull().When(r => r.Mode == RectificationMode.ByDeadline)
            .WithErrorCode(ErrorCodes.LedgerDeadline).WithMessage("A row to be rectified by a deadline (限期整改) needs its deadline.");
        RuleFor(r => r.Deadline).GreaterThanOrEqualTo(r => r.FoundOn).When(r => r.Deadline is not null && r.FoundOn is not null)
            .WithErrorCode(ErrorCodes.LedgerDeadline).WithMessage("The deadline cannot be before the day the row was found.");
    }
}

internal sealed class LedgerStepInputValidator : AbstractValidator<LedgerStepInput>
{
    public LedgerStepInputValidator()
    {
        RuleFor(s => s.Action).NotNull().IsInEnum()
            .Must(a => a is LedgerStepAction.Started or LedgerStepAction.Rectified or LedgerStepAction.Verified or LedgerStepAction.Returned)
            .WithMessage("A step is Started, Rectified, Verified or Returned.");
        RuleFor(s => s.Note).MaximumLength(2000);
        RuleFor(s => s.Note).NotEmpty().When(s => s.Action is LedgerStepAction.Rectified or LedgerStepAction.Returned)
            .WithErrorCode(ErrorCodes.LedgerNote).WithMessage("Say what was done, or why the row is returned.");
    }
}

internal sealed class LedgerQueryValidator : AbstractValidator<LedgerQuery>
{
    public LedgerQueryValidator()
    {
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Severity).IsInEnum();
        RuleFor(q => q.Category).MaximumLength(50);
        RuleFor(q => q.PageSize).InclusiveBetween(1, 200);
        RuleFor(q => q.After).GreaterThanOrEqualTo(0);
    }
}
