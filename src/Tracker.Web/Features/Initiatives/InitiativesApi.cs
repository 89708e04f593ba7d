using System.Linq.Expressions;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
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
        api.MapPost("/", Create).ProducesValidationProblem().ProducesProblem(409);
        api.MapPut("/{id:long}", Update).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(428);
        api.MapPost("/{id:long}/status", ChangeStatus).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        api.MapPost("/{id:long}/publication", Publish).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
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

    public static async Task<CreatedAtRoute<InitiativeDetail>> Create(InitiativeInput input, HttpContext http, CreateItem create, CancellationToken ct)
    {
        var detail = await create.RunAsync(input, ct);
        http.Response.Headers.ETag = detail.ETag;
        return TypedResults.CreatedAtRoute(detail, "GetInitiative", new { id = detail.Id });
    }

    public static async Task<Results<Ok<InitiativeDetail>, ProblemHttpResult>> Update(long id, InitiativeInput input, HttpContext http, EditItem edit, CancellationToken ct)
    {
        if (ETags.FromIfMatch(http.Request) is not { } expected)
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired,
                title: "An If-Match header with the item's ETag is required.",
                detail: "Read the item first and send its ETag back, so that nobody's change is overwritten silently.");
        var detail = await edit.RunAsync(id, input, expected, ct);
        http.Response.Headers.ETag = detail.ETag;
        return TypedResults.Ok(detail);
    }

    public static async Task<Ok<InitiativeDetail>> ChangeStatus(long id, StatusChange change, HttpContext http, ChangeItemStatus op, CancellationToken ct)
    {
        var detail = await op.RunAsync(id, change, ETags.FromIfMatch(http.Request), ct);
        http.Response.Headers.ETag = detail.ETag;
        return TypedResults.Ok(detail);
    }

    /// <summary>Supervisors put a livelihood item in the public view, or take it out.</summary>
    public static async Task<Ok<InitiativeDetail>> Publish(long id, Publication publication, PublishItem publish, CancellationToken ct) =>
        TypedResults.Ok(await publish.RunAsync(id, publication, ct));

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
