using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Supervision;

/// <summary>The department ranking of one year, by <see cref="RankDepartments"/>.</summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class RankingModel(OfficeClock clock, RankDepartments rank) : TrackerPage
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
        Rows = await rank.RunAsync(Year, ct);
    }
}
