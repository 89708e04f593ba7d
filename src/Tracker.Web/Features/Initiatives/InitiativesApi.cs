using System.Linq.Expressions;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Initiatives;

public static class InitiativesApi
{
    public static IEndpointRouteBuilder MapInitiativesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/initiatives").WithTags("Initiatives").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/", List).WithName("ListInitiatives").Validate<InitiativeQuery>();
        api.MapGet("/{id:long}", Get).WithName("GetInitiative").ProducesProblem(404);
        api.MapPost("/", Create).Validate<InitiativeInput>().ProducesProblem(409);
        api.MapPut("/{id:long}", Update).Validate<InitiativeInput>().ProducesProblem(404).ProducesProblem(409).ProducesProblem(428);
        api.MapPost("/{id:long}/status", ChangeStatus).Validate<StatusChange>().ProducesProblem(404).ProducesProblem(409);
        api.MapPost("/{id:long}/publication", Publish).ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    public static async Task<Ok<Paged<InitiativeSummary>>> List(
        [AsParameters] InitiativeQuery query, Viewer viewer, TrackerDbContext db, OfficeClock clock, HealthPolicy policy, CancellationToken ct)
    {
        var health = new HealthContext(clock.Today, policy);
        var items = db.Initiatives.AsNoTracking().Where(viewer.CanRead());

        if (query.Year is { } year) items = items.Where(i => i.Year == year);
        if (query.Kind is { } kind) items = items.Where(i => i.Kind == kind);
        if (query.Status is { } status) items = items.Where(i => i.Status == status);
        if (query.Phase is { } phase) items = items.Where(i => i.Phase == phase);
        if (query.DepartmentId is { } department)
            items = items.Where(i => i.LeadDepartmentId == department || i.CoDepartments.Any(c => c.DepartmentId == department));
        if (query.JurisdictionId is { } jurisdiction)
            items = await items.WithinAsync(db, jurisdiction, ct);
        if (query.Colour is { } colour) items = items.Where(HealthRules.ColourIs(colour).On(health));
        if (query.Overdue is { } overdue) items = items.Where(Is(HealthRules.Overdue, overdue).On(health));
        if (query.Silent is { } silent) items = items.Where(Is(HealthRules.Silent, silent).On(health));
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var pattern = $"%{EscapeLike(query.Q.Trim())}%";
            items = items.Where(i => EF.Functions.ILike(i.Title, pattern, "\\") || EF.Functions.ILike(i.Code, pattern, "\\"));
        }

        items = query.Sort switch
        {
            InitiativeSort.DeadlineDescending => items.OrderByDescending(i => i.Deadline).ThenByDescending(i => i.Id),
            // Among overdue items the earliest deadline is the most days overdue.
            InitiativeSort.DaysOverdue => items.OrderBy(Is(HealthRules.Overdue, false).On(health)).ThenBy(i => i.Deadline).ThenBy(i => i.Id),
            _ => items.OrderBy(i => i.Deadline).ThenBy(i => i.Id),
        };

        return TypedResults.Ok(await items
            .Select(i => new { Item = i, Jurisdiction = i.Jurisdiction!.Name, Department = i.LeadDepartment!.Name })
            .ToPagedAsync(PageRequest.Of(query.Page, query.PageSize, InitiativeQuery.DefaultPageSize, InitiativeQuery.MaxPageSize),
                rows => rows.Select(r => new InitiativeSummary(
                    r.Item.Id, r.Item.Code, r.Item.Title, r.Item.Year, r.Item.Kind,
                    new NamedRef(r.Item.JurisdictionId, r.Jurisdiction), new NamedRef(r.Item.LeadDepartmentId, r.Department),
                    r.Item.Status, r.Item.Phase, r.Item.PlannedStart, r.Item.Deadline, r.Item.LastReportedAt,
                    HealthRules.Evaluate(r.Item, health))), ct));
    }

    public static async Task<Ok<InitiativeDetail>> Get(long id, HttpContext http, ReadItem read, CancellationToken ct)
    {
        var detail = await read.RunAsync(id, ct);
        http.Response.Headers.ETag = detail.ETag;
        return TypedResults.Ok(detail);
    }

    public static async Task<CreatedAtRoute<InitiativeDetail>> Create(
        InitiativeInput input, HttpContext http, Viewer viewer, TrackerDbContext db, OfficeClock clock, HealthPolicy policy, CancellationToken ct)
    {
        if (!viewer.Is(Roles.Official) || viewer.DepartmentId != input.LeadDepartmentId)
            throw new ForbiddenException("Only an official of the lead department can create its initiatives.");
        var now = clock.Now;
        var initiative = new Initiative
        {
            Code = "",
            Title = "",
            Status = InitiativeStatus.Planned,
            CreatedAt = now,
        };
        // A new item has no targets or milestones to keep: ids sent with them mean nothing yet.
        Apply(input with
        {
            Targets = input.Targets?.Select(t => t with { Id = null }).ToArray(),
            Milestones = input.Milestones?.Select(m => m with { Id = null }).ToArray(),
        }, initiative, now);
        db.Initiatives.Add(initiative);
        await db.SaveChangesAsync(ct);

        var detail = await LoadDetail(db, initiative.Id, new HealthContext(clock.Today, policy), ct);
        http.Response.Headers.ETag = detail.ETag;
        return TypedResults.CreatedAtRoute(detail, "GetInitiative", new { id = initiative.Id });
    }

    public static async Task<Results<Ok<InitiativeDetail>, ProblemHttpResult>> Update(
        long id, InitiativeInput input, HttpContext http, Viewer viewer, TrackerDbContext db, OfficeClock clock, HealthPolicy policy, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        if (ETags.FromIfMatch(http.Request) is not { } expected)
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired,
                title: "An If-Match header with the item's ETag is required.",
                detail: "Read the item first and send its ETag back, so that nobody's change is overwritten silently.");

        var initiative = await db.Initiatives
            .Include(i => i.Targets).Include(i => i.Milestones).Include(i => i.CoDepartments)
            .AsSplitQuery()
            .SingleOrDefaultAsync(i => i.Id == id, ct) ?? throw new NotFoundException($"No initiative {id}.");
        if (!viewer.CanEdit(initiative) || input.LeadDepartmentId != initiative.LeadDepartmentId && viewer.DepartmentId != input.LeadDepartmentId)
            throw new ForbiddenException("Only an official of the lead department can edit this initiative.");

        // The UPDATE carries "WHERE xmin = <the client's version>": a stale or concurrent edit matches no row.
        db.Entry(initiative).Property(i => i.Version).OriginalValue = expected;
        if (initiative.Version != expected)
            throw new DbUpdateConcurrencyException("Stale ETag.");

        var unknownTargets = input.Targets!.Where(t => t.Id is { } tid && initiative.Targets.All(x => x.Id != tid)).Select(t => t.Id);
        var unknownMilestones = input.Milestones?.Where(m => m.Id is { } mid && initiative.Milestones.All(x => x.Id != mid)).Select(m => m.Id) ?? [];
        if (unknownTargets.Any() || unknownMilestones.Any())
            throw new ValidationException("Targets and milestones are kept by their id; these ids are not this initiative's.",
                [.. unknownTargets.Select(t => new FluentValidation.Results.ValidationFailure("Targets", $"Unknown target id {t}.")),
                 .. unknownMilestones.Select(m => new FluentValidation.Results.ValidationFailure("Milestones", $"Unknown milestone id {m}."))]);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        Apply(input, initiative, clock.Now);
        await db.SaveChangesAsync(ct);
        // A new deadline or plan may clear an overdue or lagging item at once, not at the next sweep.
        await ReminderResolution.ResolveClearedAsync(db, initiative, HealthRules.Evaluate(initiative, new HealthContext(clock.Today, policy)), clock.Now, ct);
        await transaction.CommitAsync(ct);

        var detail = await LoadDetail(db, id, new HealthContext(clock.Today, policy), ct);
        http.Response.Headers.ETag = detail.ETag;
        return TypedResults.Ok(detail);
    }

    public static async Task<Ok<InitiativeDetail>> ChangeStatus(
        long id, StatusChange change, HttpContext http, Viewer viewer, TrackerDbContext db, OfficeClock clock, HealthPolicy policy, CancellationToken ct)
    {
        var path = await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        var initiative = await db.Initiatives.SingleAsync(i => i.Id == id, ct);
        if (!viewer.CanChangeStatus(initiative, path))
            throw new ForbiddenException("Only the lead department or a supervisor of its jurisdiction can change the status.");
        if (ETags.FromIfMatch(http.Request) is { } expected)
        {
            db.Entry(initiative).Property(i => i.Version).OriginalValue = expected;
            if (initiative.Version != expected)
                throw new DbUpdateConcurrencyException("Stale ETag.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        initiative.ChangeStatus(change.Status!.Value, clock.Today);
        initiative.UpdatedAt = clock.Now;
        await db.SaveChangesAsync(ct);
        await ReminderResolution.ResolveClearedAsync(db, initiative, HealthRules.Evaluate(initiative, new HealthContext(clock.Today, policy)), clock.Now, ct);
        await transaction.CommitAsync(ct);

        var detail = await LoadDetail(db, id, new HealthContext(clock.Today, policy), ct);
        http.Response.Headers.ETag = detail.ETag;
        return TypedResults.Ok(detail);
    }

    /// <summary>Supervisors put a livelihood item in the public view, or take it out.</summary>
    public static async Task<Ok<InitiativeDetail>> Publish(
        long id, Publication publication, Viewer viewer, TrackerDbContext db, OfficeClock clock, HealthPolicy policy, CancellationToken ct)
    {
        var path = await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        if (!viewer.Supervises(path))
            throw new ForbiddenException("Only a supervisor of the item's jurisdiction publishes it.");
        var initiative = await db.Initiatives.SingleAsync(i => i.Id == id, ct);
        initiative.Publish(publication.Published);
        initiative.UpdatedAt = clock.Now;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await LoadDetail(db, id, new HealthContext(clock.Today, policy), ct));
    }

    private static Task<InitiativeDetail> LoadDetail(TrackerDbContext db, long id, HealthContext health, CancellationToken ct) =>
        ReadItem.LoadAsync(db, id, health, ct);

    private static void Apply(InitiativeInput input, Initiative initiative, DateTimeOffset now)
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
            [.. input.Targets!.Select(t => new TargetPlan(t.Id, t.Metric!.Trim(), t.Unit!.Trim(), t.Baseline!.Value, t.Target!.Value, t.Weight ?? 1))],
            [.. (input.Milestones ?? []).Select(m => new MilestonePlan(m.Id, m.Name!.Trim(), m.PlannedOn!.Value, m.AchievedOn))]);
    }

    private static Expression<Func<Initiative, HealthContext, bool>> Is(Expression<Func<Initiative, HealthContext, bool>> rule, bool value) =>
        value ? rule : Expression.Lambda<Func<Initiative, HealthContext, bool>>(Expression.Not(rule.Body), rule.Parameters);

    private static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}

internal sealed class InitiativeQueryValidator : AbstractValidator<InitiativeQuery>
{
    public InitiativeQueryValidator()
    {
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1).LessThanOrEqualTo(10_000);
        RuleFor(q => q.PageSize).InclusiveBetween(1, InitiativeQuery.MaxPageSize);
        RuleFor(q => q.Q).MaximumLength(100);
        RuleFor(q => q.Year).InclusiveBetween(2000, 2100);
    }
}
