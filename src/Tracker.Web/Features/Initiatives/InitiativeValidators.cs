using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;

using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Initiatives;

internal sealed class ContactValidator : AbstractValidator<ContactDto>
{
    public ContactValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(100);
        RuleFor(c => c.Title).MaximumLength(100);
        RuleFor(c => c.Phone).MaximumLength(40).Matches(@"^[0-9+\-() ]{3,40}$").When(c => !string.IsNullOrEmpty(c.Phone))
            .WithMessage("A phone number holds digits, spaces and + - ( ) only.");
        RuleFor(c => c.Email).MaximumLength(200).EmailAddress().When(c => !string.IsNullOrEmpty(c.Email));
    }
}

internal sealed class TargetInputValidator : AbstractValidator<TargetInput>
{
    public TargetInputValidator()
    {
        RuleFor(x => x.Metric).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Unit).NotEmpty().MaximumLength(32);
        RuleFor(x => x.Baseline).NotNull();
        RuleFor(x => x.Target).NotNull()
            .NotEqual(x => x.Baseline).When(x => x.Baseline is not null)
            .WithMessage("The target must differ from the baseline.");
        RuleFor(x => x.Weight).GreaterThan(0).LessThanOrEqualTo(1000);
    }
}

internal sealed class MilestoneInputValidator : AbstractValidator<MilestoneInput>
{
    public MilestoneInputValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.PlannedOn).NotNull().PlausibleDate();
        RuleFor(x => x.AchievedOn).PlausibleDate();
    }
}

internal sealed class KeyProjectInputValidator : AbstractValidator<KeyProjectInput>
{
    public KeyProjectInputValidator()
    {
        RuleFor(x => x.Level).NotNull().IsInEnum();
        RuleFor(x => x.Construction).NotNull().IsInEnum();
        RuleFor(x => x.Industry).MaximumLength(100);
        RuleFor(x => x.OwnerEnterprise).MaximumLength(200);
        RuleFor(x => x.TotalInvestment).NotNull().GreaterThanOrEqualTo(0).PrecisionScale(18, 2, ignoreTrailingZeros: true);
        RuleFor(x => x.PlannedInvestment).NotNull().GreaterThanOrEqualTo(0).PrecisionScale(18, 2, ignoreTrailingZeros: true);
        RuleFor(x => x.PlannedProduction).PlausibleDate();
    }
}

internal sealed class InitiativeInputValidator : AbstractValidator<InitiativeInput>
{
    public InitiativeInputValidator(TrackerDbContext db)
    {
        RuleFor(i => i.Code).NotEmpty().MaximumLength(64).Matches("^[A-Za-z0-9][A-Za-z0-9._-]*$")
            .WithMessage("A code holds letters, digits, '.', '_' and '-', starting with a letter or digit.");
        RuleFor(i => i.Title).NotEmpty().MaximumLength(300);
        RuleFor(i => i.Description).MaximumLength(4000);
        RuleFor(i => i.Year).NotNull().InclusiveBetween(2000, 2100);
        RuleFor(i => i.Kind).NotNull().IsInEnum();
        RuleFor(i => i.ReportingInterval).NotNull().IsInEnum();
        RuleFor(i => i.Budget).GreaterThanOrEqualTo(0).PrecisionScale(18, 2, ignoreTrailingZeros: true);
        RuleFor(i => i.PlannedStart).NotNull().PlausibleDate();
        RuleFor(i => i.Deadline).NotNull().PlausibleDate()
            .GreaterThanOrEqualTo(i => i.PlannedStart).When(i => i.PlannedStart is not null)
            .WithMessage("The deadline cannot be before the planned start.");
        RuleFor(i => i.Phase).Must((i, phase) => Phases.Allows(i.Kind!.Value, phase!.Value))
            .When(i => i.Phase is not null && i.Kind is not null)
            .WithMessage(i => $"Phase must be one of: {string.Join(", ", Phases.For(i.Kind!.Value))}.");
        RuleFor(i => i.Weight).GreaterThan(0).LessThanOrEqualTo(1000).PrecisionScale(9, 4, ignoreTrailingZeros: true);
        RuleFor(i => i.KeyProject).SetValidator(new KeyProjectInputValidator()!)
            .Null().When(i => i.Kind is not InitiativeKind.KeyProject).WithMessage("Only a key project has key-project facts.");
        RuleFor(i => i.LeaderInCharge).NotNull().SetValidator(new ContactValidator()!);
        RuleFor(i => i.ResponsiblePerson).NotNull().SetValidator(new ContactValidator()!);

        RuleFor(i => i.Targets).NotEmpty().WithMessage("An initiative needs at least one quantified target.");
        RuleFor(i => i.Targets).NoNullElements()
            .Must(ts => ts!.Select(t => t.Metric?.Trim()).Distinct().Count() == ts!.Length)
            .WithMessage("Two targets cannot share a metric.")
            .When(i => i.Targets is { Length: > 0 });
        RuleFor(i => i.Milestones).NoNullElements();
        RuleForEach(i => i.Targets).SetValidator(new TargetInputValidator());
        RuleForEach(i => i.Milestones).SetValidator(new MilestoneInputValidator());

        RuleFor(i => i.JurisdictionId).NotNull()
            .MustAsync((id, ct) => db.Jurisdictions.AnyAsync(j => j.Id == id, ct))
            .WithMessage("No such jurisdiction.");
        RuleFor(i => i.LeadDepartmentId).NotNull()
            .MustAsync((i, id, ct) => DepartmentServes(db, id!.Value, i.JurisdictionId, ct))
            .When(i => i.JurisdictionId is not null)
            .WithMessage("No such department in this jurisdiction or above it.");
        RuleFor(i => i.CoDepartmentIds)
            .Must((i, ids) => !ids!.Contains(i.LeadDepartmentId ?? 0) && ids!.Distinct().Count() == ids!.Length)
            .WithMessage("Co-operating departments must be distinct and differ from the lead department.")
            .MustAsync(async (ids, ct) => await db.Departments.CountAsync(d => ids!.Contains(d.Id), ct) == ids!.Length)
            .WithMessage("No such department.")
            .When(i => i.CoDepartmentIds is { Length: > 0 });
    }

    /// <summary>A department may lead items of its own jurisdiction or of any jurisdiction below it.</summary>
    private static async Task<bool> DepartmentServes(TrackerDbContext db, int departmentId, int? jurisdictionId, CancellationToken ct)
    {
        var path = await db.Jurisdictions.Where(j => j.Id == jurisdictionId).Select(j => j.Path).SingleOrDefaultAsync(ct);
        return path is not null && await db.Departments.AnyAsync(d => d.Id == departmentId && path.StartsWith(d.Jurisdiction!.Path), ct);
    }
}

internal sealed class StatusChangeValidator : AbstractValidator<StatusChange>
{
    public StatusChangeValidator() => RuleFor(s => s.Status).NotNull().IsInEnum();
}

internal sealed class PublicationValidator : AbstractValidator<Publication>
{
    public PublicationValidator() => RuleFor(p => p.Published).NotNull();
}
