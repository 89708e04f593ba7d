using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;

namespace Tracker.Web.Features.Reminders;

public static class ReminderResolution
{
    /// <summary>
    /// Resolves the item's open reminders whose condition a write has just cleared (a report that
    /// catches up, a completion), in the caller's transaction; the sweep does the same each day.
    /// </summary>
    public static async Task ResolveClearedAsync(TrackerDbContext db, Initiative item, Health health, DateTimeOffset now, CancellationToken ct)
    {
        var cleared = Escalation.Cleared(item, health);
        if (cleared.Count == 0)
            return;
        await db.Reminders
            .Where(r => r.InitiativeId == item.Id && r.Status == ReminderStatus.Open && cleared.Contains(r.Reason))
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.Status, ReminderStatus.Resolved).SetProperty(x => x.ClosedAt, now), ct);
    }
}
