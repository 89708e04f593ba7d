using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Supervision;

/// <summary>The negative list (负面清单), by <see cref="NegativeList"/>; printable for the bulletin.</summary>
public sealed class NegativeListModel(TrackerDbContext db, OfficeClock clock, HealthPolicy policy) : TrackerPage
{
    public Paged<NegativeDepartment> Departments { get; private set; } = new([], 1, NegativeList.DepartmentsPerPage, false);
    public DateOnly Today { get; private set; }

    public async Task OnGetAsync(int? pageNumber, CancellationToken ct)
    {
        Today = clock.Today;
        Departments = await NegativeList.ComputeAsync(db, Viewer, new HealthContext(Today, policy), pageNumber, ct);
    }
}
