using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Livelihood;

public sealed record DepartmentRating(int DepartmentId, string Name, RatingSummary Summary);

/// <summary>The ratings of the items of one jurisdiction under the one summarised (<see cref="Name"/> null: the summarised jurisdiction's own items).</summary>
public sealed record JurisdictionRating(int JurisdictionId, string? Name, int Items, RatingSummary Summary);

public sealed record EvaluationSummary(IReadOnlyList<ItemRating> Items, IReadOnlyList<DepartmentRating> Departments)
{
    /// <summary>The roll-up per jurisdiction directly under the one asked about, when one was.</summary>
    public IReadOnlyList<JurisdictionRating> Jurisdictions { get; init; } = [];
}

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

    public static async Task<Ok<EvaluationSummary>> Summary(int year, int? jurisdictionId, SummariseEvaluation summarise, CancellationToken ct) =>
        TypedResults.Ok(await summarise.RunAsync(year, jurisdictionId, ct));
}

/// <summary>
/// The year's ratings per item, per department and per jurisdiction under the one asked about, with the items (and
/// departments, jurisdictions) flagged for rectification: over the livelihood and voted items the viewer reads. Counted
/// in the database per item and rating, so the rows read are at most three per item whatever the number of deputies.
/// </summary>
public sealed class SummariseEvaluation([FromKeyedServices(ReplicaReads.Key)] TrackerDbContext db, Viewer viewer, IOptions<LivelihoodOptions> options) : IUseCase
{
    public async Task<EvaluationSummary> RunAsync(int year, int? jurisdictionId, CancellationToken ct)
    {
        var items = db.Initiatives.AsNoTracking().Where(viewer.CanRead()).Where(Initiative.ForDeputies).Where(i => i.Year == year);
        var path = jurisdictionId is { } jurisdiction ? await ItemAccess.PathOfAsync(db, jurisdiction, ct) : null;
        if (path is not null)
            items = items.Where(i => i.JurisdictionPath.StartsWith(path));
        var rows = await items.Join(db.Evaluations, i => i.Id, e => e.InitiativeId, (i, e) => new { i.Id, i.Code, i.Title, i.LeadDepartmentId, i.JurisdictionPath, e.Rating })
            .GroupBy(r => new { r.Id, r.Code, r.Title, r.LeadDepartmentId, r.JurisdictionPath, r.Rating })
            .Select(g => new { g.Key.Id, g.Key.Code, g.Key.Title, g.Key.LeadDepartmentId, g.Key.JurisdictionPath, g.Key.Rating, Count = g.Count() })
            .ToListAsync(ct);
        var departmentIds = rows.Select(r => r.LeadDepartmentId).Distinct().ToList();
        var departments = await db.Departments.Where(d => departmentIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        var children = path is null ? [] : await db.Jurisdictions.Where(j => j.ParentId == jurisdictionId).OrderBy(j => j.Code)
            .Select(j => new { j.Id, j.Name, j.Path }).ToListAsync(ct);
        var threshold = options.Value.RectifyAboveDissatisfiedShare;
        RatingSummary Sum<T>(IEnumerable<T> group, Func<T, Rating> rating, Func<T, int> count) =>
            RatingSummary.Of(group.SelectMany(r => Enumerable.Repeat(rating(r), count(r))), threshold);

        var own = rows.Where(r => !children.Any(c => r.JurisdictionPath.StartsWith(c.Path, StringComparison.Ordinal))).ToList();
        return new EvaluationSummary(
            [.. rows.GroupBy(r => (r.Id, r.Code, r.Title, r.LeadDepartmentId)).OrderBy(g => g.Key.Code, StringComparer.Ordinal)
                .Select(g => new ItemRating(g.Key.Id, g.Key.Code, g.Key.Title, g.Key.LeadDepartmentId, Sum(g, r => r.Rating, r => r.Count)))],
            [.. rows.GroupBy(r => r.LeadDepartmentId).OrderBy(g => departments[g.Key], StringComparer.Ordinal)
                .Select(g => new DepartmentRating(g.Key, departments[g.Key], Sum(g, r => r.Rating, r => r.Count)))])
        {
            Jurisdictions = path is null ? [] :
            [
                .. own.Count == 0 ? [] : new[] { new JurisdictionRating(jurisdictionId!.Value, null, own.Select(r => r.Id).Distinct().Count(), Sum(own, r => r.Rating, r => r.Count)) },
                .. children.Select(c => (c, Rows: rows.Where(r => r.JurisdictionPath.StartsWith(c.Path, StringComparison.Ordinal)).ToList()))
                    .Where(x => x.Rows.Count > 0)
                    .Select(x => new JurisdictionRating(x.c.Id, x.c.Name, x.Rows.Select(r => r.Id).Distinct().Count(), Sum(x.Rows, r => r.Rating, r => r.Count))),
            ],
        };
    }
}
