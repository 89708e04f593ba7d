using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Initiatives;

/// <summary>
/// An official's own items: those their department leads or co-operates on, overdue first, then silent,
/// then the active ones by the nearest deadline. Ordering and counts run in SQL over the health rules.
/// </summary>
[Authorize(Policy = Policies.Report)]
public sealed class OfficialHomeModel(TrackerDbContext db, OfficeClock clock, HealthPolicy policy) : TrackerPage
{
    public const int PageSize = 20;

    public sealed record Row(long Id, string Code, string Title, bool Lead, DateOnly Deadline, int DaysToDeadline, DateOnly? LastReportedOn, decimal Progress, bool AcceptsReports, Health Health);

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public Paged<Row> Items { get; private set; } = new([], 1, PageSize, false);
    public int Overdue { get; private set; }
    public int Silent { get; private set; }
    public int DueSoon { get; private set; }
    public DateOnly Today { get; private set; }
    public string? Department { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var health = new HealthContext(clock.Today, policy);
        Today = health.Today;
        var department = Viewer.DepartmentId ?? -1;
        Department = await db.Departments.Where(d => d.Id == department).Select(d => d.Name).SingleOrDefaultAsync(ct);

        // The viewer's reading rule, narrowed to their department's items (an official who is also a supervisor sees only these here).
        var mine = db.Initiatives.AsNoTracking().Where(Viewer.CanRead())
            .Where(i => i.LeadDepartmentId == department || i.CoDepartments.Any(c => c.DepartmentId == department));

        var soon = health.Today.AddDays(14);
        Overdue = await mine.CountAsync(HealthRules.Overdue.On(health), ct);
        Silent = await mine.CountAsync(HealthRules.Silent.On(health), ct);
        DueSoon = await mine.Where(HealthRules.Active.On(health)).CountAsync(i => i.Deadline >= health.Today && i.Deadline <= soon, ct);

        Items = await mine
            .OrderByDescending(HealthRules.Overdue.On(health))
            .ThenByDescending(HealthRules.Silent.On(health))
            .ThenByDescending(HealthRules.Active.On(health))
            .ThenBy(i => i.Deadline).ThenBy(i => i.Id)
            .ToPagedAsync(PageRequest.Of(PageNumber, PageSize, PageSize, PageSize), rows => rows.Select(i =>
            {
                var h = HealthRules.Evaluate(i, health);
                return new Row(i.Id, i.Code, i.Title, i.LeadDepartmentId == department, i.Deadline, i.Deadline.DayNumber - health.TodayNumber,
                    i.LastReportedOn, i.Progress, i.AcceptsReports, h);
            }), ct);
    }
}
