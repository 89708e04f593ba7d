using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Access;

public static class ItemAccess
{
    /// <summary>
    /// 404 for an item the viewer may not read, exactly as for one that does not exist, so that
    /// nobody learns of a neighbouring county's items. Returns the item's jurisdiction path.
    /// </summary>
    public static async Task<string> RequireReadableAsync(TrackerDbContext db, Viewer viewer, long id, CancellationToken ct) =>
        await db.Initiatives.Where(i => i.Id == id).Where(viewer.CanRead()).Select(i => i.JurisdictionPath).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"No initiative {id}.");

    /// <summary>
    /// Admins, or supervisors of this jurisdiction or one above it; others get 403 with <paramref name="refusal"/>.
    /// Returns the jurisdiction's path.
    /// </summary>
    public static async Task<string> RequireSupervisorOfAsync(TrackerDbContext db, Viewer viewer, int jurisdictionId, string refusal, CancellationToken ct)
    {
        var path = await db.Jurisdictions.Where(j => j.Id == jurisdictionId).Select(j => j.Path).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"No jurisdiction {jurisdictionId}.");
        if (!viewer.Is(Roles.Admin) && !viewer.Supervises(path))
            throw new ForbiddenException(refusal);
        return path;
    }

    /// <summary>The items of a jurisdiction and of everything below it (a prefix of the path kept on each item); an unknown jurisdiction has none.</summary>
    public static async Task<IQueryable<Initiative>> WithinAsync(this IQueryable<Initiative> items, TrackerDbContext db, int jurisdictionId, CancellationToken ct)
    {
        var path = await PathOfAsync(db, jurisdictionId, ct);
        return items.Where(i => i.JurisdictionPath.StartsWith(path));
    }

    /// <summary>A jurisdiction's path, or one that prefixes nothing when there is no such jurisdiction.</summary>
    public static async Task<string> PathOfAsync(TrackerDbContext db, int jurisdictionId, CancellationToken ct) =>
        await db.Jurisdictions.Where(j => j.Id == jurisdictionId).Select(j => j.Path).SingleOrDefaultAsync(ct) ?? "-";

    /// <summary>
    /// The kept counts of what the viewer reads, by the same rule as <see cref="Viewer.CanRead"/> at the grain the counts
    /// keep: admins all; supervisors and deputies their jurisdiction and below; officials their department's own items.
    /// </summary>
    public static IQueryable<ItemCount> ReadableCounts(this TrackerDbContext db, Viewer viewer)
    {
        var counts = db.ItemCounts.AsNoTracking();
        if (viewer.Is(Roles.Admin))
            return counts;
        if ((viewer.Is(Roles.Supervisor) || viewer.Is(Roles.Deputy)) && viewer.JurisdictionPath is { } path)
            return counts.Where(c => c.JurisdictionPath.StartsWith(path));
        var department = viewer.Is(Roles.Official) ? viewer.DepartmentId ?? -1 : -1;
        return counts.Where(c => c.DepartmentId == department);
    }

    /// <summary>
    /// The items a department leads or co-operates on: the union of two index scans, since an OR across the item and
    /// its co-operating departments is served by no index.
    /// </summary>
    public static IQueryable<Initiative> OfDepartment(this IQueryable<Initiative> items, TrackerDbContext db, int departmentId) =>
        items.Where(i => i.LeadDepartmentId == departmentId)
            .Union(db.Set<InitiativeCoDepartment>().Where(c => c.DepartmentId == departmentId).Join(items, c => c.InitiativeId, i => i.Id, (c, i) => i));

    /// <summary>What the viewer reads, in the shape an index serves: an official without a wider role reads their department's items.</summary>
    public static IQueryable<Initiative> Readable(this TrackerDbContext db, Viewer viewer)
    {
        var items = db.Initiatives.AsNoTracking();
        var narrow = viewer.Is(Roles.Official) && viewer.DepartmentId is { } department && !viewer.Is(Roles.Admin) && !viewer.Is(Roles.Supervisor) && !viewer.Is(Roles.Deputy);
        return narrow ? items.OfDepartment(db, viewer.DepartmentId!.Value) : items.Where(viewer.CanRead());
    }
}
