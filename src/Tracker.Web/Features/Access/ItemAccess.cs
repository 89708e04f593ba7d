using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Access;

public static class ItemAccess
{
    /// <summary>
    /// 404 for an item the viewer may not read, exactly as for one that does not exist, so that
    /// nobody learns of a neighbouring county's items. Returns the item's jurisdiction path.
    /// </summary>
    public static async Task<string> RequireReadableAsync(TrackerDbContext db, Viewer viewer, long id, CancellationToken ct) =>
        await db.Initiatives.Where(i => i.Id == id).Where(viewer.CanRead()).Select(i => i.Jurisdiction!.Path).SingleOrDefaultAsync(ct)
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

    /// <summary>The items of a jurisdiction and of everything below it; an unknown jurisdiction has none.</summary>
    public static async Task<IQueryable<Initiative>> WithinAsync(this IQueryable<Initiative> items, TrackerDbContext db, int jurisdictionId, CancellationToken ct)
    {
        var path = await db.Jurisdictions.Where(j => j.Id == jurisdictionId).Select(j => j.Path).SingleOrDefaultAsync(ct) ?? "-";
        return items.Where(i => db.Jurisdictions.Where(j => j.Path.StartsWith(path)).Select(j => j.Id).Contains(i.JurisdictionId));
    }
}
