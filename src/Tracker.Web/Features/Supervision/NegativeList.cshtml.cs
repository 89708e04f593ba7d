using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Supervision;

/// <summary>The negative list (负面清单), by <see cref="NegativeList"/>; printable for the bulletin.</summary>
public sealed class NegativeListModel(TrackerDbContext db, OfficeClock clock, HealthPolicy policy) : TrackerPage
{
    public List<NegativeDepartment> Departments { get; private set; } = [];
    public DateOnly Today { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Today = clock.Today;
        Departments = await NegativeList.ComputeAsync(db, Viewer, new HealthContext(Today, policy), ct);
    }
}
