using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Bulletins;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Programmes;

/// <summary>A jurisdiction's year for its supervisors and leaders (<see cref="ReadDashboard"/>): the roll-up, the investment curve, the jurisdictions under it ranked, its programmes.</summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class DashboardModel(ReadDashboard read, BulletinAccess access) : TrackerPage
{
    [BindProperty(SupportsGet = true)] public int? JurisdictionId { get; set; }
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }

    public DashboardDetail Dashboard { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        JurisdictionId = await access.ChooseAsync(JurisdictionId, ct);
        Dashboard = await read.RunAsync(JurisdictionId.Value, Year, ct);
    }
}
