using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Initiatives;

/// <summary>An official creates an item their department leads, Planned, with its targets and milestones.</summary>
public sealed class CreateItem(TrackerDbContext db, Viewer viewer, OfficeClock clock, HealthPolicy policy, IValidator<InitiativeInput> validator) : IUseCase
{
    private const string Refusal = "Only an official of the lead department can create its initiatives.";

    public async Task<InitiativeDetail> RunAsync(InitiativeInput input, CancellationToken ct)
    {
        Require.That(viewer.Is(Roles.Official), Refusal);
        await validator.ValidateAndThrowAsync(input, ct);
        Require.That(viewer.DepartmentId == input.LeadDepartmentId, Refusal);
        await Programmes.ItemTrees.CheckParentAsync(db, viewer, null, input, ct);

        var now = clock.Now;
        var initiative = new Initiative { Code = "", Title = "", Status = InitiativeStatus.Planned, CreatedAt = now };
        // A new item has no targets or milestones to keep: ids sent with them mean nothing yet.
        ItemInput.Apply(input with
        {
            Targets = input.Targets?.Select(t => t with { Id = null }).ToArray(),
            Milestones = input.Milestones?.Select(m => m with { Id = null }).ToArray(),
        }, initiative, now);
        db.Initiatives.Add(initiative);
        await db.SaveChangesAsync(ct);
        return await ReadItem.LoadAsync(db, initiative.Id, new HealthContext(clock.Today, policy), ct);
    }
}

/// <summary>
/// The lead department's official replaces an item's fields, targets and milestones, against the version they read
/// (a stale one is a conflict, never a silent overwrite). Reminders the new plan clears are resolved in the same transaction.
/// </summary>
public sealed class EditItem(TrackerDbContext db, Viewer viewer, OfficeClock clock, HealthPolicy policy, IValidator<InitiativeInput> validator) : IUseCase
{
    private const string Refusal = "Only an official of the lead department can edit this initiative.";

    public async Task<InitiativeDetail> RunAsync(long id, InitiativeInput input, uint expectedVersion, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        var initiative = await db.Initiatives
            .Include(i => i.Targets).Include(i => i.Milestones).Include(i => i.CoDepartments).Include(i => i.KeyProject)
            .AsSplitQuery()
            .SingleOrDefaultAsync(i => i.Id == id, ct) ?? throw new NotFoundException($"No initiative {id}.");
        Require.That(viewer.CanEdit(initiative), Refusal);
        await validator.ValidateAndThrowAsync(input, ct);
        // Handing the item to another department is the official of both's to do.
        Require.That(input.LeadDepartmentId == initiative.LeadDepartmentId || viewer.DepartmentId == input.LeadDepartmentId, Refusal);
        await Programmes.ItemTrees.CheckParentAsync(db, viewer, id, input, ct);

        ETags.Expect(db, initiative, expectedVersion);

        var unknownTargets = input.Targets!.Where(t => t.Id is { } tid && initiative.Targets.All(x => x.Id != tid)).Select(t => t.Id);
        var unknownMilestones = input.Milestones?.Where(m => m.Id is { } mid && initiative.Milestones.All(x => x.Id != mid)).Select(m => m.Id) ?? [];
        if (unknownTargets.Any() || unknownMilestones.Any())
            throw new ValidationException("Targets and milestones are kept by their id; these ids are not this initiative's.",
                [.. unknownTargets.Select(t => new FluentValidation.Results.ValidationFailure("Targets", $"Unknown target id {t}.")),
                 .. unknownMilestones.Select(m => new FluentValidation.Results.ValidationFailure("Milestones", $"Unknown milestone id {m}."))]);

        if (PlanMoves(initiative, input) is { Count: > 0 } moves)
            throw new ValidationException(moves);

        var health = new HealthContext(clock.Today, policy);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        ItemInput.Apply(input, initiative, clock.Now);
        await db.SaveChangesAsync(ct);
        // A new deadline or plan may clear an overdue or lagging item at once, not at the next sweep.
        await ReminderResolution.ResolveClearedAsync(db, initiative, HealthRules.Evaluate(initiative, health), clock.Now, ct);
        await transaction.CommitAsync(ct);
        return await ReadItem.LoadAsync(db, id, health, ct);
    }

    /// <summary>
    /// The yardstick is not the edit's to move: once the plan is fixed (started, reported on or published), its dates,
    /// targets and milestones' dates change through a change request; and an existing milestone is marked achieved only
    /// by a progress report (one added while the plan is not fixed may be recorded achieved, as at creation: an item
    /// entered mid-way). Refused as field errors, with nothing changed; an import refuses its rows alike.
    /// </summary>
    internal static List<FluentValidation.Results.ValidationFailure> PlanMoves(Initiative initiative, InitiativeInput input)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        var achieved = initiative.Milestones.ToDictionary(m => m.Id, m => m.AchievedOn);
        if (input.Milestones?.Any(m => m.Id is { } id && achieved.ContainsKey(id) && m.AchievedOn != achieved[id]) == true)
            failures.Add(new(nameof(InitiativeInput.Milestones), "A milestone is marked achieved by a progress report, not by editing the item.") { ErrorCode = ErrorCodes.MilestoneByReport });
        if (initiative.PlanFixed)
        {
            var proposed = new PlanTerms(input.PlannedStart!.Value, input.Deadline!.Value,
                [.. input.Targets!.Select(ItemInput.Target)], [.. (input.Milestones ?? []).Select(ItemInput.Milestone)]);
            failures.AddRange(PlanTerms.Of(initiative).Moves(proposed).Select(field => new FluentValidation.Results.ValidationFailure(field,
                $"The item has started, been reported on or been published: its {field} changes only through a change request (延期/调整申请) that a supervisor approves.")
            { ErrorCode = ErrorCodes.PlanFixed }));
        }
        return failures;
    }
}

/// <summary>
/// The lead department, or a supervisor of the item's jurisdiction, moves it along its checked transitions; against
/// the version read when one is given. Reminders a completion clears are resolved in the same transaction.
/// </summary>
public sealed class ChangeItemStatus(TrackerDbContext db, Viewer viewer, OfficeClock clock, HealthPolicy policy, IValidator<StatusChange> validator) : IUseCase
{
    public async Task<InitiativeDetail> RunAsync(long id, StatusChange change, uint? expectedVersion, CancellationToken ct)
    {
        var path = await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        var initiative = await db.Initiatives.SingleAsync(i => i.Id == id, ct);
        Require.That(viewer.CanChangeStatus(initiative, path), "Only the lead department or a supervisor of its jurisdiction can change the status.");
        await validator.ValidateAndThrowAsync(change, ct);
        if (expectedVersion is { } expected)
            ETags.Expect(db, initiative, expected);

        var health = new HealthContext(clock.Today, policy);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        initiative.ChangeStatus(change.Status!.Value, clock.Today);
        initiative.UpdatedAt = clock.Now;
        await db.SaveChangesAsync(ct);
        await ReminderResolution.ResolveClearedAsync(db, initiative, HealthRules.Evaluate(initiative, health), clock.Now, ct);
        await transaction.CommitAsync(ct);
        return await ReadItem.LoadAsync(db, id, health, ct);
    }
}

/// <summary>A supervisor of the item's jurisdiction puts a livelihood item in the public view, or takes it out.</summary>
public sealed class PublishItem(TrackerDbContext db, Viewer viewer, OfficeClock clock, HealthPolicy policy, IValidator<Publication> validator) : IUseCase
{
    public async Task<InitiativeDetail> RunAsync(long id, Publication publication, CancellationToken ct)
    {
        var path = await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        Require.That(viewer.Supervises(path), "Only a supervisor of the item's jurisdiction publishes it.");
        await validator.ValidateAndThrowAsync(publication, ct);
        var initiative = await db.Initiatives.SingleAsync(i => i.Id == id, ct);
        initiative.Publish(publication.Published!.Value);
        initiative.UpdatedAt = clock.Now;
        await db.SaveChangesAsync(ct);
        return await ReadItem.LoadAsync(db, id, new HealthContext(clock.Today, policy), ct);
    }
}

/// <summary>How an <see cref="InitiativeInput"/> (already validated) becomes the item's fields and plan.</summary>
internal static class ItemInput
{
    /// <summary>A target as the plan names it.</summary>
    public static TargetPlan Target(TargetInput t) => new(t.Id, t.Metric!.Trim(), t.Unit!.Trim(), t.Baseline!.Value, t.Target!.Value, t.Weight ?? 1, t.Counts ?? LedgerCount.None);

    /// <summary>A milestone as the plan dates it.</summary>
    public static MilestoneDate Milestone(MilestoneInput m) => new(m.Id, m.Name!.Trim(), m.PlannedOn!.Value);

    /// <summary>Whether applying the input would change the item (an import of a sheet the item already matches writes nothing).</summary>
    public static bool Differs(Initiative item, InitiativeInput input)
    {
        static bool Same(Contact c, ContactDto d) => c.Name == d.Name?.Trim() && c.Title == d.Title?.Trim() && c.Phone == d.Phone?.Trim() && c.Email == d.Email?.Trim();
        var targets = item.Targets.ToDictionary(t => t.Id);
        return item.Code != input.Code?.Trim() || item.Title != input.Title?.Trim() || item.Description != (input.Description?.Trim() ?? "")
            || item.Year != input.Year || item.Kind != input.Kind || item.JurisdictionId != input.JurisdictionId || item.LeadDepartmentId != input.LeadDepartmentId
            || !item.CoDepartments.Select(c => c.DepartmentId).Order().SequenceEqual((input.CoDepartmentIds ?? []).Order())
            || input.LeaderInCharge is null || !Same(item.LeaderInCharge, input.LeaderInCharge)
            || input.ResponsiblePerson is null || !Same(item.ResponsiblePerson, input.ResponsiblePerson)
            || item.Budget != input.Budget || item.PlannedStart != input.PlannedStart || item.Deadline != input.Deadline
            || item.ReportingInterval != input.ReportingInterval || (input.Phase is { } phase && phase != item.Phase)
            || (input.Targets ?? []).Length != targets.Count
            || (input.Targets ?? []).Any(t => t.Id is not { } id || !targets.TryGetValue(id, out var kept) || kept.Metric != t.Metric?.Trim()
                || kept.Unit != t.Unit?.Trim() || kept.Baseline != t.Baseline || kept.TargetValue != t.Target || kept.Weight != (t.Weight ?? 1)
                || kept.Counts != (t.Counts ?? LedgerCount.None))
            || (input.Milestones ?? []).Length != item.Milestones.Count;
    }

    public static void Apply(InitiativeInput input, Initiative initiative, DateTimeOffset now)
    {
        initiative.Code = input.Code!.Trim();
        initiative.Title = input.Title!.Trim();
        initiative.Description = input.Description?.Trim() ?? "";
        initiative.Year = input.Year!.Value;
        initiative.Kind = input.Kind!.Value;
        initiative.JurisdictionId = input.JurisdictionId!.Value;
        initiative.LeadDepartmentId = input.LeadDepartmentId!.Value;
        initiative.LeaderInCharge = input.LeaderInCharge!.ToContact();
        initiative.ResponsiblePerson = input.ResponsiblePerson!.ToContact();
        initiative.Budget = input.Budget;
        initiative.ParentId = input.ParentId;
        initiative.Weight = input.Weight ?? 1;
        if (input.KeyProject is { } k)
        {
            // This year's completed investment is the monthly reports' to keep, never the form's.
            var facts = initiative.KeyProject ??= new KeyProjectFacts();
            facts.Level = k.Level!.Value;
            facts.Construction = k.Construction!.Value;
            facts.Industry = k.Industry?.Trim() ?? "";
            facts.StrategicEmerging = k.StrategicEmerging ?? false;
            facts.OwnerEnterprise = k.OwnerEnterprise?.Trim() ?? "";
            facts.TotalInvestment = k.TotalInvestment!.Value;
            facts.PlannedInvestment = k.PlannedInvestment!.Value;
            facts.PlannedProduction = k.PlannedProduction;
        }
        initiative.PlannedStart = input.PlannedStart!.Value;
        initiative.Deadline = input.Deadline!.Value;
        initiative.ReportingInterval = input.ReportingInterval!.Value;
        initiative.Phase = input.Phase ?? (Phases.Allows(initiative.Kind, initiative.Phase) ? initiative.Phase : Phases.First(initiative.Kind));
        initiative.UpdatedAt = now;

        var coDepartments = input.CoDepartmentIds ?? [];
        initiative.CoDepartments.RemoveAll(c => !coDepartments.Contains(c.DepartmentId));
        foreach (var departmentId in coDepartments.Where(d => initiative.CoDepartments.All(c => c.DepartmentId != d)))
            initiative.CoDepartments.Add(new InitiativeCoDepartment { DepartmentId = departmentId });

        initiative.ReplacePlan(
            [.. input.Targets!.Select(Target)],
            [.. (input.Milestones ?? []).Select(m => new MilestonePlan(m.Id, m.Name!.Trim(), m.PlannedOn!.Value, m.AchievedOn))]);
    }
}
