using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Livelihood;

public sealed record FollowUpInput(string? Request, DateOnly? DueOn);

public sealed record InspectionInput(InspectionKind? Kind, DateOnly? On, string? Findings, FollowUpInput[]? FollowUps);

public sealed record InspectionDto(long Id, long InitiativeId, InspectionKind Kind, DateOnly On, string Findings, DateTimeOffset RecordedAt,
    IReadOnlyList<AttachmentDto> Photos, IReadOnlyList<FollowUpDto> FollowUps);

/// <summary>
/// A member of a deputy group supervising the item records an inspection (site visit, research, special report,
/// inquiry) with its checked photos and follow-up requests for the lead department. The API and the inspection page
/// both record through here.
/// </summary>
public sealed class RecordInspection(TrackerDbContext db, Viewer viewer, OfficeClock clock, HealthPolicy policy, IValidator<InspectionInput> validator) : IUseCase
{
    /// <summary>The item as the inspection form shows it, if the viewer may inspect it.</summary>
    public async Task<InitiativeDetail> FormAsync(long id, CancellationToken ct)
    {
        await RequireInspectorAsync(id, ct);
        return await ReadItem.LoadAsync(db, id, new HealthContext(clock.Today, policy), ct);
    }

    public async Task<InspectionDto> RunAsync(long id, InspectionInput input, List<Attachment> photos, CancellationToken ct)
    {
        var group = await RequireInspectorAsync(id, ct);
        await validator.ValidateAndThrowAsync(input, ct);
        var department = await db.Initiatives.Where(i => i.Id == id).Select(i => i.LeadDepartmentId).SingleAsync(ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var inspection = new Inspection
        {
            InitiativeId = id,
            GroupId = group,
            DeputyUserId = viewer.UserId!,
            Kind = input.Kind!.Value,
            On = input.On!.Value,
            Findings = input.Findings!.Trim(),
            RecordedAt = clock.Now,
            Photos = photos,
        };
        db.Inspections.Add(inspection);
        await db.SaveChangesAsync(ct);
        var followUps = (input.FollowUps ?? []).Select(f => new FollowUp
        {
            InspectionId = inspection.Id,
            InitiativeId = id,
            DepartmentId = department,
            Request = f.Request!.Trim(),
            DueOn = f.DueOn!.Value,
        }).ToList();
        db.FollowUps.AddRange(followUps);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return ReadInspections.ToDto(inspection, followUps, clock.Today);
    }

    /// <summary>404 when the viewer cannot read the item; 403 unless a deputy group they belong to supervises it. Returns the group.</summary>
    private async Task<long> RequireInspectorAsync(long id, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        var group = viewer.Is(Roles.Deputy)
            ? await db.DeputyGroups.Where(g => g.InitiativeIds.Contains(id) && g.MemberUserIds.Contains(viewer.UserId!)).Select(g => (long?)g.Id).FirstOrDefaultAsync(ct)
            : null;
        return group ?? throw new ForbiddenException("Members of a deputy group supervising this item record its inspections.");
    }
}

/// <summary>An item's inspections, newest first, with their photos and follow-up requests; 404 outside the viewer's scope. Three queries.</summary>
public sealed class ReadInspections(TrackerDbContext db, Viewer viewer, OfficeClock clock) : IUseCase
{
    public async Task<List<InspectionDto>> RunAsync(long id, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        var inspections = await db.Inspections.AsNoTracking().Include(i => i.Photos).Where(i => i.InitiativeId == id)
            .OrderByDescending(i => i.On).ThenByDescending(i => i.Id).AsSplitQuery().ToListAsync(ct);
        var followUps = await db.FollowUps.AsNoTracking().Where(f => f.InitiativeId == id).ToListAsync(ct);
        return [.. inspections.Select(i => ToDto(i, followUps.Where(f => f.InspectionId == i.Id), clock.Today))];
    }

    internal static InspectionDto ToDto(Inspection i, IEnumerable<FollowUp> followUps, DateOnly today) =>
        new(i.Id, i.InitiativeId, i.Kind, i.On, i.Findings, i.RecordedAt, [.. i.Photos.OrderBy(p => p.FileName).Select(AttachmentDto.From)],
            [.. followUps.Select(f => new FollowUpDto(f.Id, f.InitiativeId, f.DepartmentId, f.Request, f.DueOn, f.Answer, f.AnsweredAt, f.IsOverdue(today)))]);
}

internal sealed class InspectionInputValidator : AbstractValidator<InspectionInput>
{
    public InspectionInputValidator()
    {
        RuleFor(i => i.Kind).NotNull().IsInEnum();
        RuleFor(i => i.On).NotNull().PlausibleDate();
        RuleFor(i => i.Findings).NotEmpty().MaximumLength(4000);
        RuleFor(i => i.FollowUps).NoNullElements();
        RuleForEach(i => i.FollowUps).ChildRules(f =>
        {
            f.RuleFor(x => x.Request).NotEmpty().MaximumLength(2000);
            f.RuleFor(x => x.DueOn).NotNull().PlausibleDate();
        });
    }
}
