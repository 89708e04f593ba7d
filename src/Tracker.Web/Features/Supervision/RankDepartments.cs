using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Supervision;

/// <summary>
/// One lead department's standing in a year. <c>Due</c>: items, not cancelled, whose deadline has passed or that are completed (the
/// on-time rate's denominator); <c>OnTime</c>: those completed on or before their deadline; <c>OnTimeRate</c>:
/// OnTime / Due, or null while nothing is due; <c>AverageProgress</c>: the mean overall progress (0–1).
/// </summary>
public sealed record RankingRow(
    int Rank, int DepartmentId, string Department, string Jurisdiction, int Items, int Completed, int Due, int OnTime,
    decimal? OnTimeRate, decimal AverageProgress, int Red, int Overdue);

/// <summary>
/// The department ranking (观摩评比): per lead department of the items the viewer reads in one year, the share
/// of due items completed on time, then the average progress. Every figure is a SQL GROUP BY; no item is loaded.
/// The ranking page and <c>GET /api/board/ranking</c> both read it here; supervisors and admins only.
/// </summary>
public sealed class RankDepartments(TrackerDbContext db, Viewer viewer, OfficeClock clock, HealthPolicy policy) : IUseCase
{
    /// <summary>The ranking of <paramref name="year"/> (default: this year).</summary>
    public async Task<List<RankingRow>> RunAsync(int? year, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        if (year is < 2000 or > 2100)
            throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("year", "The year is between 2000 and 2100.")]);
        var health = new HealthContext(clock.Today, policy);
        year ??= health.Today.Year;
        var items = db.Initiatives.AsNoTracking().Where(viewer.CanRead()).Where(i => i.Year == year);
        var today = health.Today;

        var figures = await items.GroupBy(i => i.LeadDepartmentId).Select(g => new
        {
            DepartmentId = g.Key,
            Items = g.Count(),
            Completed = g.Count(i => i.Status == InitiativeStatus.Completed),
            // A cancelled item is nobody's lateness: it is not due.
            Due = g.Count(i => i.Status != InitiativeStatus.Cancelled && (i.CompletedOn != null || i.Deadline < today)),
            OnTime = g.Count(i => i.CompletedOn != null && i.CompletedOn <= i.Deadline),
            AverageProgress = g.Average(i => i.Progress),
        }).ToListAsync(ct);
        var red = await items.Where(HealthRules.Red.On(health)).GroupBy(i => i.LeadDepartmentId)
            .Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.N, ct);
        var overdue = await items.Where(HealthRules.Overdue.On(health)).GroupBy(i => i.LeadDepartmentId)
            .Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.N, ct);

        var ids = figures.Select(f => f.DepartmentId).ToList();
        var names = await db.Departments.AsNoTracking().Where(d => ids.Contains(d.Id))
            .Select(d => new { d.Id, d.Name, Jurisdiction = d.Jurisdiction!.Name })
            .ToDictionaryAsync(d => d.Id, ct);

        return [.. figures
            .Select(f => new
            {
                f,
                Rate = f.Due == 0 ? (decimal?)null : Math.Round((decimal)f.OnTime / f.Due, 4),
            })
            .OrderByDescending(x => x.Rate.HasValue).ThenByDescending(x => x.Rate).ThenByDescending(x => x.f.AverageProgress)
            .ThenBy(x => names[x.f.DepartmentId].Name, StringComparer.Ordinal)
            .Select((x, n) => new RankingRow(
                n + 1, x.f.DepartmentId, names[x.f.DepartmentId].Name, names[x.f.DepartmentId].Jurisdiction,
                x.f.Items, x.f.Completed, x.f.Due, x.f.OnTime, x.Rate, Math.Round(x.f.AverageProgress, 4),
                red.GetValueOrDefault(x.f.DepartmentId), overdue.GetValueOrDefault(x.f.DepartmentId)))];
    }
}
