using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;

namespace Tracker.Web.Features.Initiatives;

/// <summary>
/// Counts of items kept per jurisdiction, lead department, kind and year, maintained by the database in the same
/// statement as every write to <c>initiatives</c> (statement triggers over the changed rows), so that boards,
/// rankings and home pages add up groups instead of items. Never written by the service.
/// </summary>
public sealed class ItemCount
{
    public int JurisdictionId { get; private set; }
    public string JurisdictionPath { get; private set; } = "";
    public int DepartmentId { get; private set; }
    public InitiativeKind Kind { get; private set; }
    public int Year { get; private set; }
    public int Items { get; private set; }
    public int Planned { get; private set; }
    public int InProgress { get; private set; }
    public int Completed { get; private set; }
    public int Suspended { get; private set; }
    public int Cancelled { get; private set; }
    public int Red { get; private set; }
    public int Amber { get; private set; }
    public int Green { get; private set; }
    public int Grey { get; private set; }
    public int Overdue { get; private set; }
    public int MilestoneOverdue { get; private set; }
    public int Silent { get; private set; }
    public int Lagging { get; private set; }
    public int LaggingRed { get; private set; }
    public int Due { get; private set; }
    public int OnTime { get; private set; }
    public decimal ProgressSum { get; private set; }
}

/// <summary>A kept roll-up row of one unit, found by the path of its jurisdiction (a subtree is a prefix).</summary>
public interface IKeptRollup
{
    string Path { get; }
}

/// <summary>
/// One lead department's items of one year, summed from <see cref="ItemCount"/>'s changes by the same triggers: the
/// ranking walks it in rank order (an index on the generated rank columns) and stops at the rows it shows. Kept by the
/// department, so a scope holds the departments of its jurisdiction and below, with all their items of the year.
/// </summary>
public sealed class DepartmentYearCount : IKeptRollup
{
    public int DepartmentId { get; private set; }
    public int Year { get; private set; }
    public string DepartmentName { get; private set; } = "";
    /// <summary>The path of the department's own jurisdiction.</summary>
    public string Path { get; private set; } = "";
    public int Items { get; private set; }
    public int Completed { get; private set; }
    public int Due { get; private set; }
    public int OnTime { get; private set; }
    public decimal ProgressSum { get; private set; }
    public int Red { get; private set; }
    public int Overdue { get; private set; }
    /// <summary>Approved changes that moved the deadlines of the department's items of the year later.</summary>
    public int Extensions { get; private set; }
    /// <summary>Generated: something is due (ranked before departments with nothing due).</summary>
    public bool HasDue { get; private set; }
    /// <summary>Generated: OnTime / Due, 0 while nothing is due.</summary>
    public decimal OnTimeRate { get; private set; }
    /// <summary>Generated: ProgressSum / Items.</summary>
    public decimal AverageProgress { get; private set; }
}

/// <summary>What needs pressing in one unit, over every year and kind: per lead department (<see cref="DepartmentFlags"/>) or per jurisdiction's own items (<see cref="JurisdictionFlags"/>).</summary>
public abstract class UnitFlags : IKeptRollup
{
    public string Path { get; private set; } = "";
    public int Red { get; private set; }
    public int Amber { get; private set; }
    public int Green { get; private set; }
    public int Grey { get; private set; }
    public int Overdue { get; private set; }
    public int Lagging { get; private set; }
    public int Silent { get; private set; }
    public int MilestoneOverdue { get; private set; }
    /// <summary>Generated: the sum of the flags, above 0 for a unit the board lists.</summary>
    public int Flagged { get; private set; }
}

public sealed class DepartmentFlags : UnitFlags
{
    public int DepartmentId { get; private set; }
    public string DepartmentName { get; private set; } = "";
}

public sealed class JurisdictionFlags : UnitFlags
{
    public int JurisdictionId { get; private set; }
}

public static class KeptRollups
{
    /// <summary>
    /// The roll-up rows of the units a supervisor or admin reads: admins every unit, supervisors (and deputies) the units
    /// of their jurisdiction and below; within <paramref name="within"/>'s subtree when one is chosen.
    /// </summary>
    public static IQueryable<T> Readable<T>(this IQueryable<T> rows, Viewer viewer, string? within = null) where T : IKeptRollup
    {
        if (within is not null) rows = rows.Where(r => r.Path.StartsWith(within));
        if (viewer.Is(Roles.Admin)) return rows;
        return (viewer.Is(Roles.Supervisor) || viewer.Is(Roles.Deputy)) && viewer.JurisdictionPath is { } path
            ? rows.Where(r => r.Path.StartsWith(path))
            : rows.Where(r => false);
    }
}

/// <summary>The figures kept with the data so that lists read them instead of computing them: each item's health of the day, and counts.</summary>
public static class KeptFigures
{
    private const int Batch = 20_000;

    /// <summary>
    /// Writes the health of <paramref name="health"/>'s day onto every item not yet of that day, set-based in batches of
    /// ids, from the same expressions <see cref="HealthRules"/> evaluates in memory. Idempotent: a second run finds
    /// nothing to do. The kept counts follow by their triggers. Returns the number of items updated.
    /// </summary>
    public static async Task<int> RefreshAsync(TrackerDbContext db, HealthContext health, CancellationToken ct)
    {
        var today = health.Today;
        var colour = HealthRules.Colour.Bind(health);
        var overdue = HealthRules.Overdue.Bind(health);
        var daysOverdue = HealthRules.DaysOverdue.Bind(health);
        var milestone = HealthRules.MilestoneOverdue.Bind(health);
        var silent = HealthRules.Silent.Bind(health);
        var lagging = HealthRules.Lagging.Bind(health);
        var laggingRed = HealthRules.LaggingRed.Bind(health);
        var due = HealthRules.Due.Bind(health);
        var startDue = HealthRules.StartDue.Bind(health);
        var expected = HealthRules.Expected.Bind(health);
        void Set(UpdateSettersBuilder<Initiative> s) => s
            .SetProperty(i => i.HealthColour, colour)
            .SetProperty(i => i.Overdue, overdue)
            .SetProperty(i => i.DaysOverdue, daysOverdue)
            .SetProperty(i => i.MilestoneOverdue, milestone)
            .SetProperty(i => i.Silent, silent)
            .SetProperty(i => i.Lagging, lagging)
            .SetProperty(i => i.LaggingRed, laggingRed)
            .SetProperty(i => i.Due, due)
            .SetProperty(i => i.StartDue, startDue)
            .SetProperty(i => i.ExpectedProgress, expected)
            .SetProperty(i => i.HealthOn, (DateOnly?)today);

        var stale = db.Initiatives.Where(i => i.HealthOn == null || i.HealthOn != today);
        var last = await db.Initiatives.MaxAsync(i => (long?)i.Id, ct) ?? 0;
        var updated = 0;
        for (long from = 0; from <= last; from += Batch)
        {
            var to = from + Batch;
            updated += await stale.Where(i => i.Id >= from && i.Id < to).ExecuteUpdateAsync(Set, ct);
        }
        return updated;
    }

    /// <summary>
    /// After a bulk load (which may have run with triggers off): copies each item's jurisdiction path onto it, recomputes
    /// every item's stored health for the day and rebuilds the kept counts from scratch.
    /// </summary>
    public static async Task RebuildAsync(TrackerDbContext db, HealthContext health, CancellationToken ct)
    {
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        await db.Database.ExecuteSqlRawAsync("""
            UPDATE initiatives AS i SET jurisdiction_path = j.path FROM jurisdictions AS j
            WHERE j.id = i.jurisdiction_id AND i.jurisdiction_path IS DISTINCT FROM j.path
            """, ct);
        await RefreshAsync(db, health, ct);
        await db.Database.ExecuteSqlRawAsync("SELECT rebuild_item_counts()", ct);
        await db.Database.ExecuteSqlRawAsync("SELECT rebuild_programme_counts()", ct);
    }
}

/// <summary>The day this process last found every item's kept health current; a singleton, so a day costs one check.</summary>
public sealed class KeptDay
{
    private DateOnly? _fresh;

    public bool IsFresh(DateOnly today) => _fresh == today;
    public void MarkFresh(DateOnly today) => _fresh = today;
}

/// <summary>
/// Makes sure the kept health is of today before a read relies on it. The daily job refreshes just after midnight;
/// should a read come first (a server that slept, a test's clock moved on), it refreshes what is stale itself.
/// </summary>
public sealed class KeptHealth(TrackerDbContext db, OfficeClock clock, HealthPolicy policy, KeptDay day)
{
    public async Task EnsureTodayAsync(CancellationToken ct)
    {
        var today = clock.Today;
        if (day.IsFresh(today))
            return;
        await KeptFigures.RefreshAsync(db, new HealthContext(today, policy), ct);
        day.MarkFresh(today);
    }
}
