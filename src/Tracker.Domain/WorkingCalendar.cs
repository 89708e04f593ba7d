namespace Tracker.Domain;

/// <summary>What the official holiday arrangement does to one day.</summary>
public enum CalendarDayKind
{
    /// <summary>A day off (放假), whatever day of the week it falls on.</summary>
    Holiday,
    /// <summary>A weekend day made a working day (调休补班).</summary>
    Workday,
}

/// <summary>One day of the official arrangement, e.g. 2026-02-14, Workday, 春节.</summary>
public sealed record CalendarDay(DateOnly Day, CalendarDayKind Kind, string Name);

/// <summary>
/// Counts days for deadlines and overdue figures: either every calendar day, or working days only
/// (Monday to Friday, adjusted by the published holidays and swapped working days).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="DaysBetween"/> counts the counted days in (from, to]: the start is not counted, the end is,
/// and swapping the arguments negates the result. <see cref="AddDays"/> steps away from the start one
/// day at a time and stops on the n-th counted day it meets, never counting the start itself.
/// </para>
/// <para>
/// Forward the two agree for every start day: <c>DaysBetween(d, AddDays(d, n)) == n</c> for all n ≥ 0.
/// Backward they agree when d is a working day. When d is not (a weekend or a holiday), stepping back
/// still meets the previous working day first, so <c>AddDays(Sunday, -1)</c> is Friday, while
/// <c>DaysBetween(Sunday, Friday)</c> is 0 because nothing counted lies in (Friday, Sunday]; there,
/// <c>DaysBetween(d, AddDays(d, n)) == n + 1</c> for n &lt; 0. Both answers are what a reader
/// expects ("one working day before the Sunday deadline" is Friday; on Friday no working day is left
/// before it), so the asymmetry is kept rather than hidden.
/// </para>
/// <para>With <see cref="CalendarDays"/> every day is a working day and all of the above is plain date arithmetic.</para>
/// </remarks>
public sealed class WorkingCalendar
{
    /// <summary>Every day counts: the default mode.</summary>
    public static WorkingCalendar CalendarDays { get; } = new();

    private readonly Dictionary<DateOnly, CalendarDayKind> _exceptions = [];

    // Day numbers of the exceptions that change the Monday–Friday rule, ascending, and the running sum
    // of their effect up to each (+1 for a swapped workday, −1 for a holiday on a weekday), so that
    // counting a span is weekday arithmetic plus two binary searches, whatever its length.
    private readonly int[] _changedDays = [];
    private readonly int[] _runningChange = [];

    private WorkingCalendar()
    {
    }

    private WorkingCalendar(IEnumerable<CalendarDay> exceptions)
    {
        CountsWorkingDaysOnly = true;
        foreach (var day in exceptions)
        {
            if (_exceptions.TryGetValue(day.Day, out var kind) && kind != day.Kind)
                throw new ArgumentException($"{day.Day:yyyy-MM-dd} is listed both as a holiday and as a workday.", nameof(exceptions));
            _exceptions[day.Day] = day.Kind;
        }

        var changes = _exceptions
            .Where(e => IsWeekday(e.Key.DayNumber) != (e.Value == CalendarDayKind.Workday))
            .Select(e => (Day: e.Key.DayNumber, Change: e.Value == CalendarDayKind.Workday ? 1 : -1))
            .OrderBy(e => e.Day)
            .ToArray();
        _changedDays = new int[changes.Length];
        _runningChange = new int[changes.Length];
        var sum = 0;
        for (var i = 0; i < changes.Length; i++)
        {
            sum += changes[i].Change;
            _changedDays[i] = changes[i].Day;
            _runningChange[i] = sum;
        }
    }

    /// <summary>Monday to Friday are working days, Saturday and Sunday are not, except as <paramref name="exceptions"/> say.</summary>
    /// <exception cref="ArgumentException">A day is listed both as a holiday and as a workday.</exception>
    public static WorkingCalendar WorkingDays(IEnumerable<CalendarDay> exceptions)
    {
        ArgumentNullException.ThrowIfNull(exceptions);
        return new WorkingCalendar(exceptions);
    }

    public bool CountsWorkingDaysOnly { get; }

    /// <summary>Whether the day is counted; with <see cref="CalendarDays"/> always true.</summary>
    public bool IsWorkingDay(DateOnly day)
    {
        if (!CountsWorkingDaysOnly)
            return true;
        if (_exceptions.TryGetValue(day, out var kind))
            return kind == CalendarDayKind.Workday;
        return IsWeekday(day.DayNumber);
    }

    /// <summary>
    /// The number of counted days in (from, to]; negative, the same count mirrored, when
    /// <paramref name="to"/> is before <paramref name="from"/>; 0 when they are equal.
    /// </summary>
    public int DaysBetween(DateOnly from, DateOnly to)
    {
        if (!CountsWorkingDaysOnly)
            return to.DayNumber - from.DayNumber;
        return CountUpTo(to.DayNumber) - CountUpTo(from.DayNumber);
    }

    /// <summary>
    /// The day reached by stepping from <paramref name="from"/> (forward, or back when
    /// <paramref name="days"/> is negative) until that many counted days have been met; the start
    /// itself is never counted, so the result is always a counted day. 0 returns <paramref name="from"/>.
    /// </summary>
    public DateOnly AddDays(DateOnly from, int days)
    {
        if (!CountsWorkingDaysOnly)
            return from.AddDays(days);

        // At most about 7/5 steps per working day plus the holidays on the way: linear in the span.
        var step = Math.Sign(days);
        var left = Math.Abs(days);
        var day = from;
        while (left > 0)
        {
            day = day.AddDays(step);
            if (IsWorkingDay(day))
                left--;
        }
        return day;
    }

    // Day number 0 (1 January 0001) is a Monday.
    private static bool IsWeekday(int dayNumber) => dayNumber % 7 < 5;

    // Counted days from day number 0 up to and including this one: an origin, so that any span is a difference.
    private int CountUpTo(int dayNumber)
    {
        var days = dayNumber + 1;
        var weekdays = days / 7 * 5 + Math.Min(days % 7, 5);

        var index = Array.BinarySearch(_changedDays, dayNumber);
        // Not found: ~index is the first change after the day, so the one before it is the last one up to it.
        var last = index >= 0 ? index : ~index - 1;
        return weekdays + (last >= 0 ? _runningChange[last] : 0);
    }
}
