using Microsoft.AspNetCore.Authorization;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Supervision;

/// <summary>The negative list (负面清单), by <see cref="ReadNegativeList"/>; printable for the bulletin.</summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class NegativeListModel(OfficeClock clock, ReadNegativeList negative) : TrackerPage
{
    public Paged<NegativeDepartment> Departments { get; private set; } = new([], 1, ReadNegativeList.DepartmentsPerPage, false);
    public DateOnly Today { get; private set; }

    public async Task OnGetAsync(int? pageNumber, CancellationToken ct)
    {
        Today = clock.Today;
        Departments = await negative.RunAsync(pageNumber, ct);
    }
}
