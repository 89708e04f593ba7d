using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Admin;

/// <summary>The users, by email, searched by part of an email or a name, with how many match; each links to its page.</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class UsersModel(ReadUsers read, TrackerDbContext db) : TrackerPage
{
    public const int PageSize = 50;

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }

    public UserPage Users { get; private set; } = new([], 1, PageSize, false, 0);

    /// <summary>The names of the page's departments and jurisdictions (two queries, whatever the page holds).</summary>
    public IReadOnlyDictionary<int, string> Departments { get; private set; } = new Dictionary<int, string>();
    public IReadOnlyDictionary<int, string> Jurisdictions { get; private set; } = new Dictionary<int, string>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Clamp(PageNumber ?? 1, 1, 10_000);
        if (Q is { Length: > 100 })
            Q = Q[..100];
        Users = await read.ListAsync(Q, PageNumber, PageSize, ct);
        var departments = Users.Items.Where(u => u.DepartmentId is not null).Select(u => u.DepartmentId!.Value).Distinct().ToList();
        var jurisdictions = Users.Items.Where(u => u.JurisdictionId is not null).Select(u => u.JurisdictionId!.Value).Distinct().ToList();
        Departments = await db.Departments.Where(d => departments.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        Jurisdictions = await db.Jurisdictions.Where(j => jurisdictions.Contains(j.Id)).ToDictionaryAsync(j => j.Id, j => j.Name, ct);
    }
}
