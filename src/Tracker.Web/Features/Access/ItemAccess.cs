using Microsoft.EntityFrameworkCore;
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
}
