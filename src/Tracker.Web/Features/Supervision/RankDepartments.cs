using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Supervision;

/// <summary>
/// One lead department's standing in a year. <c>Due</c>: items, not cancelled, whose deadline has passed or that are completed (the
/// on-time rate's denominator); <c>OnTime</c>: those completed on or before their deadline; <c>OnTimeRate</c>:
/// OnTime / Due, or null while nothing is due; <c>AverageProgress</c>: the mean overall progress (0–1);
/// <c>Extensions</c>: approved changes that moved its items' deadlines later (延期次数).
/// </summary>
public sealed record RankingRow(
    int Rank, int DepartmentId, string Department, string Jurisdiction, int Items, int Completed, int Due, int OnTime,
    decimal? OnTimeRate, decimal AverageProgress, int Red, int Overdue, int Extensions);

/// <summary>
/// The department ranking (观摩评比): per department of the viewer's jurisdiction and below, over its items of one
/// year, the share of due items completed on time, then the average progress. Read from the kept roll-up per
/// department and year (<see cref="DepartmentYearCount"/>) in rank order; the first <see cref="Shown"/> departments are returned.
/// The ranking page and <c>GET /api/board/ranking</c> both read it here; supervisors and admins only.
/// </summary>
public sealed class RankDepartments([FromKeyedServices(ReplicaReads.Key)] TrackerDbContext db, Viewer viewer, OfficeClock clock, KeptHealth kept) : IUseCase
{
    /// <summary>How many departments a ranking shows: the head of the table, as a bulletin prints it.</summary>
    public const int Shown = 100;

    /// <summary>The ranking of <paramref name="year"/> (default: this year).</summary>
    public async Task<List<RankingRow>> RunAsync(int? year, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        if (year is < 2000 or > 2100)
            throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("year", "The year is between 2000 and 2100.")]);
        await kept.EnsureTodayAsync(ct);
        year ??= clock.Today.Year;
        // Walked in rank order on its index: the departments shown, not every department, are read.
        var rows = await db.DepartmentCounts.AsNoTracking().Readable(viewer).Where(c => c.Year == year && c.Items > 0)
            .Join(db.Departments, c => c.DepartmentId, d => d.Id, (c, d) => new { f = c, Name = c.DepartmentName, Jurisdiction = d.Jurisdiction!.Name })
            .OrderByDescending(x => x.f.HasDue).ThenByDescending(x => x.f.OnTimeRate).ThenByDescending(x => x.f.AverageProgress)
            .ThenBy(x => x.f.DepartmentName).ThenBy(x => x.f.DepartmentId)
            .Take(Shown)
            .ToListAsync(ct);

        return [.. rows.Select((x, n) => new RankingRow(
            n + 1, x.f.DepartmentId, x.Name, x.Jurisdiction, x.f.Items, x.f.Completed, x.f.Due, x.f.OnTime,
            x.f.Due == 0 ? null : Math.Round((decimal)x.f.OnTime / x.f.Due, 4), Math.Round(x.f.ProgressSum / x.f.Items, 4),
            x.f.Red, x.f.Overdue, x.f.Extensions))];
    }
}
