using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;

namespace Tracker.Web.Infrastructure.Web;

public static class JurisdictionOptions
{
    /// <summary>
    /// The jurisdictions as a select's options in tree order, each indented (with ideographic spaces) by its depth
    /// below the shallowest one listed.
    /// </summary>
    public static async Task<List<SelectListItem>> ListAsync(IQueryable<Jurisdiction> jurisdictions, int? selected, CancellationToken ct)
    {
        var places = await jurisdictions.AsNoTracking().OrderBy(j => j.Path).Select(j => new { j.Id, j.Name, j.Path }).ToListAsync(ct);
        static int Depth(string path) => path.Count(c => c == '/');
        var top = places.Count == 0 ? 0 : places.Min(p => Depth(p.Path));
        return [.. places.Select(p => new SelectListItem(new string('\u3000', Depth(p.Path) - top) + p.Name, p.Id.ToString(), p.Id == selected))];
    }
}
