using Microsoft.AspNetCore.Mvc;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Supervision;

/// <summary>The department ranking of one year, by <see cref="DepartmentRanking"/>.</summary>
public sealed class RankingModel(TrackerDbContext db, OfficeClock clock, HealthPolicy policy) : TrackerPage
{
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }

    public List<RankingRow> Rows { get; private set; } = [];
    public IReadOnlyList<int> Years { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = clock.Today;
        Years = [.. Enumerable.Range(today.Year - 4, 6).Reverse()];
        if (Year is null || Year < 2000 || Year > 2100)
            Year = today.Year;
        Rows = await DepartmentRanking.ComputeAsync(db, Viewer, Year.Value, new HealthContext(today, policy), ct);
    }
}
