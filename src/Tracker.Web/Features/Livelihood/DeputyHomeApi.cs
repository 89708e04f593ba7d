using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;

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
    /// (the given one counts only its own items), added up from the kept counts in one query: O(groups), not O(items).
    /// What the viewer reads bounds them: admins everything, supervisors and deputies their jurisdiction and below,
    /// officials their department's items.
    /// </summary>
    public static async Task<Ok<List<RollupRow>>> Rollup(int jurisdictionId, int year, Viewer viewer, TrackerDbContext db, KeptHealth kept, CancellationToken ct)
    {
        await kept.EnsureTodayAsync(ct);
        var places = db.Jurisdictions.AsNoTracking().Where(j => j.ParentId == jurisdictionId || j.Id == jurisdictionId);
        var counts = db.ReadableCounts(viewer).Where(c => c.Kind == InitiativeKind.Livelihood && c.Year == year);

        var sums = await places
            .SelectMany(j => counts.Where(c => j.Id == jurisdictionId ? c.JurisdictionId == j.Id : c.JurisdictionPath.StartsWith(j.Path)), (j, c) => new { j.Id, c })
            .GroupBy(x => x.Id)
            .Select(g => new { g.Key, Items = g.Sum(x => x.c.Items), Completed = g.Sum(x => x.c.Completed), Red = g.Sum(x => x.c.Red), Amber = g.Sum(x => x.c.Amber), Green = g.Sum(x => x.c.Green), Grey = g.Sum(x => x.c.Grey) })
            .ToDictionaryAsync(g => g.Key, ct);
        var names = await places.OrderBy(j => j.Name).Select(j => new { j.Id, j.Name }).ToListAsync(ct);
        return TypedResults.Ok(names.Select(j => sums.TryGetValue(j.Id, out var s)
            ? new RollupRow(j.Id, j.Name, s.Items, s.Completed, s.Red, s.Amber, s.Green, s.Grey)
            : new RollupRow(j.Id, j.Name, 0, 0, 0, 0, 0, 0)).ToList());
    }
}
