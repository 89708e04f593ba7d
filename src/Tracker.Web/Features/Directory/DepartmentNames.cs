using Microsoft.EntityFrameworkCore;
using Tracker.Web.Data;

namespace Tracker.Web.Features.Directory;

/// <summary>
/// Departments as a sheet names them: by name, among those of a jurisdiction, above it and below it; where a name is
/// found at several levels the nearest wins (the jurisdiction's own, then up the tree, then below it), and a name
/// still found twice is ambiguous (more than one id).
/// </summary>
public static class DepartmentNames
{
    public static async Task<Dictionary<string, List<int>>> NearAsync(TrackerDbContext db, string path, CancellationToken ct)
    {
        var rows = await db.Departments.Join(db.Jurisdictions, d => d.JurisdictionId, j => j.Id, (d, j) => new { d.Id, d.Name, j.Path })
            .Where(x => path.StartsWith(x.Path) || x.Path.StartsWith(path)).ToListAsync(ct);
        int Distance(string other) => other == path ? 0 : path.StartsWith(other, StringComparison.Ordinal) ? path.Length - other.Length : 10_000 + other.Length;
        return rows.GroupBy(x => x.Name).ToDictionary(g => g.Key, g =>
        {
            var nearest = g.Min(x => Distance(x.Path));
            return g.Where(x => Distance(x.Path) == nearest).Select(x => x.Id).ToList();
        });
    }
}
