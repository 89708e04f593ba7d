using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;

namespace Tracker.Web.Features.Livelihood;

public sealed record DepartmentRating(int DepartmentId, string Name, RatingSummary Summary);

public sealed record EvaluationSummary(IReadOnlyList<ItemRating> Items, IReadOnlyList<DepartmentRating> Departments);

/// <summary>The year-end evaluation (民主评议): deputies' ratings and their summary per item and department.</summary>
public static class EvaluationApi
{
    public static IEndpointRouteBuilder MapEvaluationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Livelihood items: evaluation").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(404);
        api.MapPost("/initiatives/{id:long}/evaluation", Evaluate).ProducesValidationProblem().ProducesProblem(409);
        api.MapGet("/evaluations/summary", Summary);
        return app;
    }

    public static async Task<Created<ItemRating>> Evaluate(long id, EvaluationInput input, RateItem rate, CancellationToken ct)
    {
        var (rating, year) = await rate.RunAsync(id, input, ct);
        return TypedResults.Created($"/api/evaluations/summary?year={year}", rating);
    }

    /// <summary>The year's ratings per item and per department, with items flagged for rectification.</summary>
    public static async Task<Ok<EvaluationSummary>> Summary(int year, int? jurisdictionId, Viewer viewer, TrackerDbContext db,
        IOptions<LivelihoodOptions> options, CancellationToken ct)
    {
        var items = db.Initiatives.AsNoTracking().Where(viewer.CanRead()).Where(Initiative.ForDeputies).Where(i => i.Year == year);
        if (jurisdictionId is { } jurisdiction)
            items = await items.WithinAsync(db, jurisdiction, ct);
        var rows = await items.Join(db.Evaluations, i => i.Id, e => e.InitiativeId, (i, e) => new { i.Id, i.Code, i.Title, i.LeadDepartmentId, e.Rating })
            .ToListAsync(ct);
        var threshold = options.Value.RectifyAboveDissatisfiedShare;
        var departments = await db.Departments.Where(d => rows.Select(r => r.LeadDepartmentId).Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        return TypedResults.Ok(new EvaluationSummary(
            [.. rows.GroupBy(r => (r.Id, r.Code, r.Title, r.LeadDepartmentId)).OrderBy(g => g.Key.Code)
                .Select(g => new ItemRating(g.Key.Id, g.Key.Code, g.Key.Title, g.Key.LeadDepartmentId, RatingSummary.Of(g.Select(r => r.Rating), threshold)))],
            [.. rows.GroupBy(r => r.LeadDepartmentId).OrderBy(g => departments[g.Key])
                .Select(g => new DepartmentRating(g.Key, departments[g.Key], RatingSummary.Of(g.Select(r => r.Rating), threshold)))]));
    }
}
