using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Directory;

public sealed record JurisdictionNode(int Id, string Code, string Name, JurisdictionLevel Level, IReadOnlyList<JurisdictionNode> Children);

public sealed record DepartmentDto(int Id, string Code, string Name, NamedRef Jurisdiction);

public static class DirectoryApi
{
    public static IEndpointRouteBuilder MapDirectoryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/jurisdictions", Tree).WithTags("Directory");
        app.MapGet("/api/departments", Departments).WithTags("Directory").ProducesProblem(404);

        // The pickers: a few units matching what was typed, within what the viewer reaches (FindUnits).
        var find = app.MapGroup("/api/directory").WithTags("Directory").RequireAuthorization()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        find.MapGet("/jurisdictions", FindJurisdictions);
        find.MapGet("/departments", FindDepartments);
        // The public page's picker: every jurisdiction, as /api/jurisdictions lists them to anyone.
        app.MapGet("/api/public/jurisdictions", FindPublicJurisdictions).WithTags("Public").AllowAnonymous()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>The whole tree, or the subtree under <paramref name="rootId"/>. A province has a few thousand nodes at most.</summary>
    public static async Task<Ok<IReadOnlyList<JurisdictionNode>>> Tree(int? rootId, TrackerDbContext db, CancellationToken ct)
    {
        var rootPath = rootId is null ? "/"
            : await db.Jurisdictions.Where(j => j.Id == rootId).Select(j => j.Path).SingleOrDefaultAsync(ct)
                ?? throw new NotFoundException($"No jurisdiction {rootId}.");
        var all = await db.Jurisdictions.AsNoTracking().Where(j => j.Path.StartsWith(rootPath)).OrderBy(j => j.Name).ToListAsync(ct);
        var byParent = all.ToLookup(j => j.ParentId);

        JurisdictionNode Node(Jurisdiction j) =>
            new(j.Id, j.Code, j.Name, j.Level, [.. byParent[j.Id].Select(Node)]);

        IReadOnlyList<JurisdictionNode> roots = rootId is null
            ? [.. byParent[null].Select(Node)]
            : [.. all.Where(j => j.Id == rootId).Select(Node)];
        return TypedResults.Ok(roots);
    }

    /// <summary>Up to <c>limit</c> (1–50, default 20) jurisdictions the viewer reaches whose name contains <c>q</c>, within <c>jurisdictionId</c> and below.</summary>
    public static async Task<Ok<IReadOnlyList<UnitOption>>> FindJurisdictions([AsParameters] UnitQuery query, FindUnits find, CancellationToken ct) =>
        TypedResults.Ok(await find.JurisdictionsAsync(query, everyone: false, ct));

    /// <summary>Up to <c>limit</c> (1–50, default 20) departments the viewer reaches whose name contains <c>q</c>, within <c>jurisdictionId</c> and below.</summary>
    public static async Task<Ok<IReadOnlyList<UnitOption>>> FindDepartments([AsParameters] UnitQuery query, FindUnits find, CancellationToken ct) =>
        TypedResults.Ok(await find.DepartmentsAsync(query, ct));

    /// <summary>Up to <c>limit</c> (1–50, default 20) jurisdictions whose name contains <c>q</c>, within <c>jurisdictionId</c> and below.</summary>
    public static async Task<Ok<IReadOnlyList<UnitOption>>> FindPublicJurisdictions([AsParameters] UnitQuery query, FindUnits find, CancellationToken ct) =>
        TypedResults.Ok(await find.JurisdictionsAsync(query, everyone: true, ct));

    /// <summary>Departments of a jurisdiction (and, by default, of those below it), by name, paged.</summary>
    public static async Task<Ok<Paged<DepartmentDto>>> Departments(
        int? jurisdictionId, bool? includeDescendants, string? q, int? page, int? pageSize, TrackerDbContext db, CancellationToken ct)
    {
        var departments = db.Departments.AsNoTracking();
        if (jurisdictionId is not null)
        {
            var path = await db.Jurisdictions.Where(j => j.Id == jurisdictionId).Select(j => j.Path).SingleOrDefaultAsync(ct)
                ?? throw new NotFoundException($"No jurisdiction {jurisdictionId}.");
            departments = includeDescendants ?? true
                ? departments.Where(d => d.Jurisdiction!.Path.StartsWith(path))
                : departments.Where(d => d.JurisdictionId == jurisdictionId);
        }
        if (!string.IsNullOrWhiteSpace(q))
            departments = departments.Where(d => d.Name.Contains(q.Trim()) || d.Code.Contains(q.Trim()));

        return TypedResults.Ok(await departments.OrderBy(d => d.Name).ThenBy(d => d.Id)
            .Select(d => new DepartmentDto(d.Id, d.Code, d.Name, new NamedRef(d.JurisdictionId, d.Jurisdiction!.Name)))
            .ToPagedAsync(PageRequest.Of(page, pageSize, 50, 200), ct));
    }
}
