using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Data;

namespace Tracker.Web.Features.Reminders;

/// <summary>
/// How the office counts days (Tracker:Reminders:CountWorkingDays): working days of the holiday calendar, or calendar
/// days. Every day count the rules use takes its calendar from here — the sweep's thresholds, a notice's answer date,
/// a returned plan's new date, a change request's and a follow-up's days — so no count forgets the holidays.
/// </summary>
public sealed class OfficeDays(TrackerDbContext db, IOptions<ReminderOptions> options, OfficeClock clock)
{
    private WorkingCalendar? _calendar;

    public async Task<WorkingCalendar> CalendarAsync(CancellationToken ct) =>
        _calendar ??= options.Value.CountWorkingDays
            ? WorkingCalendar.WorkingDays(await db.CalendarDays.AsNoTracking().ToListAsync(ct))
            : WorkingCalendar.CalendarDays;

    /// <summary>The date a department answers a supervision notice raised, or a plan returned, today.</summary>
    public async Task<DateOnly> NoticeAnswerDueAsync(CancellationToken ct) =>
        (await CalendarAsync(ct)).AddDays(clock.Today, options.Value.NoticeAnswerDays);
}
