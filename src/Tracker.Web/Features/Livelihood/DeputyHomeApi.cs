using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;

namespace Tracker.Web.Features.Livelihood;

public sealed record RollupRow(int JurisdictionId, string Name, int Items, int Completed, int Red, int Amber, int Green, int Grey);

/// <summary>The deputy's home, and the livelihood items of a jurisdiction rolled up per sub-jurisdiction.</summary>
public static class DeputyHomeApi
{
    public static IEndpointRouteBuilder MapDeputyHomeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Livelihood items: deputies").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/deputies/me", async (int? year, ReadDeputyHome home, CancellationToken ct) => TypedResults.Ok(await home.RunAsync(year, ct)));
        api.MapGet("/livelihood/rollup", Rollup);
        return app;
    }

    /// <summary>
    /// Livelihood item counts for each jurisdiction directly below the given one, each counting everything beneath it
    /// (the given one counts only its own items). One query per figure, grouped by sub-jurisdiction, however many there are.
    /// </summary>
    public static async Task<Ok<List<RollupRow>>> Rollup(int jurisdictionId, int year, Viewer viewer, TrackerDbContext db, OfficeClock clock, HealthPolicy policy, CancellationToken ct)
    {
        var health = new HealthContext(clock.Today, policy);
        var places = db.Jurisdictions.AsNoTracking().Where(j => j.ParentId == jurisdictionId || j.Id == jurisdictionId);
        var items = db.Initiatives.AsNoTracking().Where(viewer.CanRead()).Where(i => i.Kind == InitiativeKind.Livelihood && i.Year == year);

        // Each item under each place that counts it: its own items for the given place, the whole subtree for a child.
        Task<Dictionary<int, int>> Count(System.Linq.Expressions.Expression<Func<Initiative, bool>> which) =>
            places.SelectMany(j => items.Where(which).Where(i => j.Id == jurisdictionId ? i.JurisdictionId == j.Id : i.JurisdictionPath.StartsWith(j.Path)),
                    (j, i) => j.Id)
                .GroupBy(id => id).Select(g => new { g.Key, N = g.Count() })
                .ToDictionaryAsync(g => g.Key, g => g.N, ct);

        var names = await places.OrderBy(j => j.Name).Select(j => new { j.Id, j.Name }).ToListAsync(ct);
        var all = await Count(_ => true);
        var completed = await Count(i => i.Status == InitiativeStatus.Completed);
        var red = await Count(HealthRules.Red.On(health));
        var amber = await Count(HealthRules.Amber.On(health));
        var green = await Count(HealthRules.Green.On(health));
        var grey = await Count(HealthRules.Grey.On(health));
        return TypedResults.Ok(names.Select(j => new RollupRow(j.Id, j.Name, all.GetValueOrDefault(j.Id), completed.GetValueOrDefault(j.Id),
            red.GetValueOrDefault(j.Id), amber.GetValueOrDefault(j.Id), green.GetValueOrDefault(j.Id), grey.GetValueOrDefault(j.Id))).ToList());
    }
}
