using Microsoft.EntityFrameworkCore;
using Tracker.Web.Data;

namespace Tracker.Web.Features.Admin;

/// <summary>What the user forms ask (<c>_UserFields.cshtml</c>): who the person is and where they work.</summary>
public sealed class UserFields
{
    public string? Email { get; set; }
    public string? DisplayName { get; set; }
    public string? Phone { get; set; }
    public List<string> Roles { get; set; } = [];
    public int? DepartmentId { get; set; }
    public int? JurisdictionId { get; set; }

    public UserInput ToInput(string? password) => new(Email, DisplayName, Phone, password, [.. Roles.Distinct()], DepartmentId, JurisdictionId, null);

    public static UserFields From(UserDto u) => new()
    {
        Email = u.Email,
        DisplayName = u.DisplayName,
        Phone = u.Phone,
        Roles = [.. u.Roles],
        DepartmentId = u.DepartmentId,
        JurisdictionId = u.JurisdictionId,
    };
}

public sealed record UnitChoice(int Id, string Name, int Depth);

public sealed record DepartmentGroup(string Jurisdiction, IReadOnlyList<UnitChoice> Departments);

/// <summary>The jurisdictions, nested by depth, and the departments grouped by jurisdiction, for the forms' selects: two queries.</summary>
public sealed record UnitChoices(IReadOnlyList<UnitChoice> Jurisdictions, IReadOnlyList<DepartmentGroup> Departments)
{
    /// <summary>A city's directory fits; a province's (3,000 jurisdictions, 30,000 departments) would want the search picker.</summary>
    public const int Limit = 3000;

    public static async Task<UnitChoices> LoadAsync(TrackerDbContext db, CancellationToken ct)
    {
        var jurisdictions = await db.Jurisdictions.AsNoTracking().OrderBy(j => EF.Functions.Collate(j.Path, "C"))
            .Select(j => new { j.Id, j.Name, j.Path }).Take(Limit).ToListAsync(ct);
        var departments = await db.Departments.AsNoTracking()
            .OrderBy(d => EF.Functions.Collate(d.Jurisdiction!.Path, "C")).ThenBy(d => d.Code)
            .Select(d => new { d.Id, d.Name, Jurisdiction = d.Jurisdiction!.Name, d.JurisdictionId }).Take(Limit).ToListAsync(ct);
        return new(
            [.. jurisdictions.Select(j => new UnitChoice(j.Id, j.Name, j.Path.Count(c => c == '/') - 2))],
            [.. departments.GroupBy(d => (d.JurisdictionId, d.Jurisdiction)).Select(g => new DepartmentGroup(g.Key.Jurisdiction, [.. g.Select(d => new UnitChoice(d.Id, d.Name, 0))]))]);
    }
}
