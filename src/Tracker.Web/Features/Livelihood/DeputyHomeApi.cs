using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;

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

    public static async Task<Ok<List<RollupRow>>> Rollup(int jurisdictionId, int year, RollUpLivelihood rollUp, CancellationToken ct) =>
        TypedResults.Ok(await rollUp.RunAsync(jurisdictionId, year, ct));
}

/// <summary>The livelihood items of a jurisdiction rolled up per jurisdiction directly under it: the API and the evaluation page call here.</summary>
public sealed class RollUpLivelihood([FromKeyedServices(ReplicaReads.Key)] TrackerDbContext db, Viewer viewer, KeptHealth kept) : IUseCase
{
    /// <summary>
    /// The deputies' item counts (livelihood items and voted items of any kind) for each jurisdiction directly below the
    /// given one, each counting everything beneath it (the given one counts only its own items). Livelihood items are
    /// added up from the kept counts, O(groups) not O(items); voted items of other kinds, a few a year per jurisdiction,
    /// are counted from their rows by a partial index. Two queries for the sums, one for the names.
    /// What the viewer reads bounds them: admins everything, supervisors and deputies their jurisdiction and below,
    /// officials their department's items.
    /// </summary>
    public async Task<List<RollupRow>> RunAsync(int jurisdictionId, int year, CancellationToken ct)
    {
        await kept.EnsureTodayAsync(ct);
        var places = db.Jurisdictions.AsNoTracking().Where(j => j.ParentId == jurisdictionId || j.Id == jurisdictionId);
        var counts = db.ReadableCounts(viewer).Where(c => c.Kind == InitiativeKind.Livelihood && c.Year == year);
        var voted = db.Initiatives.AsNoTracking().Where(viewer.CanRead())
            .Where(i => i.IsVoted && i.Kind != InitiativeKind.Livelihood && i.Year == year);

        var fromCounts = await places
            .SelectMany(j => counts.Where(c => j.Id == jurisdictionId ? c.JurisdictionId == j.Id : c.JurisdictionPath.StartsWith(j.Path)), (j, c) => new { j.Id, c })
            .GroupBy(x => x.Id)
            .Select(g => new RollupRow(g.Key, "", g.Sum(x => x.c.Items), g.Sum(x => x.c.Completed), g.Sum(x => x.c.Red), g.Sum(x => x.c.Amber), g.Sum(x => x.c.Green), g.Sum(x => x.c.Grey)))
            .ToListAsync(ct);
        var counted = await places
            .SelectMany(j => voted.Where(i => j.Id == jurisdictionId ? i.JurisdictionId == j.Id : i.JurisdictionPath.StartsWith(j.Path)), (j, i) => new { j.Id, i })
            .GroupBy(x => x.Id)
            .Select(g => new RollupRow(g.Key, "", g.Count(), g.Count(x => x.i.Status == InitiativeStatus.Completed),
                g.Count(x => x.i.HealthColour == HealthColour.Red), g.Count(x => x.i.HealthColour == HealthColour.Amber),
                g.Count(x => x.i.HealthColour == HealthColour.Green), g.Count(x => x.i.HealthColour == HealthColour.Grey)))
            .ToListAsync(ct);
        var sums = fromCounts.Concat(counted).GroupBy(r => r.JurisdictionId).ToDictionary(g => g.Key, g => g.Aggregate((a, b) => a with
        {
            Items = a.Items + b.Items,
            Completed = a.Completed + b.Completed,
            Red = a.Red + b.Red,
            Amber = a.Amber + b.Amber,
            Green = a.Green + b.Green,
            Grey = a.Grey + b.Grey,
        }));
        var names = await places.OrderBy(j => j.Name).Select(j => new { j.Id, j.Name }).ToListAsync(ct);
        return [.. names.Select(j => sums.TryGetValue(j.Id, out var s) ? s with { Name = j.Name } : new RollupRow(j.Id, j.Name, 0, 0, 0, 0, 0, 0))];
    }
}
