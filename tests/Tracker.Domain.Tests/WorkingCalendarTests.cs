using System.Globalization;

namespace Tracker.Domain.Tests;

public class WorkingCalendarTests
{
    // Parts of the 2026 arrangement, written here rather than read from seed/holidays.json so that
    // editing the seed cannot change what these tests mean.
    private static readonly CalendarDay[] SpringFestival2026 =
    [
        new(new DateOnly(2026, 2, 14), CalendarDayKind.Workday, "春节"),
        .. Range(new DateOnly(2026, 2, 15), new DateOnly(2026, 2, 23), CalendarDayKind.Holiday, "春节"),
        new(new DateOnly(2026, 2, 28), CalendarDayKind.Workday, "春节"),
    ];

    private static readonly CalendarDay[] Qingming2026 = [.. Range(new DateOnly(2026, 4, 4), new DateOnly(2026, 4, 6), CalendarDayKind.Holiday, "清明节")];

    private static readonly CalendarDay[] LabourDay2026 =
    [
        .. Range(new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 5), CalendarDayKind.Holiday, "劳动节"),
        new(new DateOnly(2026, 5, 9), CalendarDayKind.Workday, "劳动节"),
    ];

    private static readonly CalendarDay[] NationalDay2026 =
    [
        new(new DateOnly(2026, 9, 20), CalendarDayKind.Workday, "国庆节"),
        .. Range(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 7), CalendarDayKind.Holiday, "国庆节"),
        new(new DateOnly(2026, 10, 10), CalendarDayKind.Workday, "国庆节"),
    ];

    private static readonly WorkingCalendar Plain = WorkingCalendar.WorkingDays([]);

    private static readonly WorkingCalendar China2026 =
        WorkingCalendar.WorkingDays([.. SpringFestival2026, .. Qingming2026, .. LabourDay2026, .. NationalDay2026]);

    private static IEnumerable<CalendarDay> Range(DateOnly first, DateOnly last, CalendarDayKind kind, string name)
    {
        for (var day = first; day <= last; day = day.AddDays(1))
            yield return new CalendarDay(day, kind, name);
    }

    private static DateOnly Date(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public void Calendar_days_count_every_day_including_weekends()
    {
        var calendar = WorkingCalendar.CalendarDays;
        var friday = new DateOnly(2026, 3, 6);

        Assert.False(calendar.CountsWorkingDaysOnly);
        Assert.True(calendar.IsWorkingDay(friday.AddDays(1)));
        Assert.Equal(3, calendar.DaysBetween(friday, friday.AddDays(3)));
        Assert.Equal(-3, calendar.DaysBetween(friday.AddDays(3), friday));
        Assert.Equal(friday.AddDays(1), calendar.AddDays(friday, 1));
        Assert.Equal(friday.AddDays(-10), calendar.AddDays(friday, -10));
    }

    [Fact]
    public void Calendar_days_ignore_holidays_entirely()
    {
        // The national day is a holiday only in a working-day calendar.
        Assert.True(WorkingCalendar.CalendarDays.IsWorkingDay(new DateOnly(2026, 10, 1)));
        Assert.Equal(7, WorkingCalendar.CalendarDays.DaysBetween(new DateOnly(2026, 9, 30), new DateOnly(2026, 10, 7)));
    }

    [Fact]
    public void Weekends_do_not_count()
    {
        var monday = new DateOnly(2026, 3, 9);

        Assert.True(Plain.CountsWorkingDaysOnly);
        Assert.False(Plain.IsWorkingDay(monday.AddDays(5)));
        Assert.False(Plain.IsWorkingDay(monday.AddDays(6)));
        Assert.Equal(5, Plain.DaysBetween(monday, monday.AddDays(7)));
        Assert.Equal(0, Plain.DaysBetween(monday.AddDays(4), monday.AddDays(6)));
    }

    [Fact]
    public void Holiday_on_a_weekday_does_not_count()
    {
        var labourDay = new DateOnly(2026, 5, 1);

        Assert.Equal(DayOfWeek.Friday, labourDay.DayOfWeek);
        Assert.False(China2026.IsWorkingDay(labourDay));
        Assert.False(China2026.IsWorkingDay(new DateOnly(2026, 5, 5)));
        // 30 April (Thursday) to 6 May (Wednesday): 1–5 May are off, so only 6 May counts.
        Assert.Equal(1, China2026.DaysBetween(new DateOnly(2026, 4, 30), new DateOnly(2026, 5, 6)));
        Assert.Equal(4, Plain.DaysBetween(new DateOnly(2026, 4, 30), new DateOnly(2026, 5, 6)));
    }

    [Fact]
    public void Swapped_Saturday_workday_counts()
    {
        var saturday = new DateOnly(2026, 5, 9);

        Assert.Equal(DayOfWeek.Saturday, saturday.DayOfWeek);
        Assert.True(China2026.IsWorkingDay(saturday));
        Assert.False(Plain.IsWorkingDay(saturday));
        Assert.Equal(1, China2026.DaysBetween(saturday.AddDays(-1), saturday));
        Assert.Equal(saturday, China2026.AddDays(saturday.AddDays(-1), 1));
    }

    [Fact]
    public void Holiday_listed_on_a_weekend_changes_nothing()
    {
        var withWeekendHoliday = WorkingCalendar.WorkingDays([new(new DateOnly(2026, 4, 4), CalendarDayKind.Holiday, "清明节")]);

        Assert.Equal(
            Plain.DaysBetween(new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 30)),
            withWeekendHoliday.DaysBetween(new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 30)));
    }

    [Theory]
    [InlineData("2026-03-06", "2026-03-09")] // an ordinary weekend
    [InlineData("2026-04-03", "2026-04-07")] // Monday 6 April is the Qingming holiday
    [InlineData("2026-05-08", "2026-05-09")] // Saturday 9 May is a swapped workday
    [InlineData("2026-02-13", "2026-02-14")] // Saturday 14 February is a swapped workday
    public void Friday_plus_one_working_day_is_the_next_working_day(string friday, string expected)
    {
        Assert.Equal(DayOfWeek.Friday, Date(friday).DayOfWeek);
        Assert.Equal(Date(expected), China2026.AddDays(Date(friday), 1));
    }

    [Fact]
    public void Friday_plus_one_working_day_is_Monday()
    {
        Assert.Equal(new DateOnly(2026, 3, 9), Plain.AddDays(new DateOnly(2026, 3, 6), 1));
    }

    [Fact]
    public void Spring_Festival_2026_break_is_skipped_and_its_swapped_Saturdays_count()
    {
        var calendar = WorkingCalendar.WorkingDays(SpringFestival2026);

        // 14 February (Saturday) is worked, 15–23 February are off.
        Assert.Equal(new DateOnly(2026, 2, 24), calendar.AddDays(new DateOnly(2026, 2, 14), 1));
        Assert.Equal(2, calendar.DaysBetween(new DateOnly(2026, 2, 13), new DateOnly(2026, 2, 24)));
        Assert.Equal(0, calendar.DaysBetween(new DateOnly(2026, 2, 14), new DateOnly(2026, 2, 23)));

        // 11, 12, 13, 14 (Sat), 24, 25, 26, 27, 28 (Sat) February and 2 March.
        Assert.Equal(new DateOnly(2026, 3, 2), calendar.AddDays(new DateOnly(2026, 2, 10), 10));
        Assert.Equal(new DateOnly(2026, 2, 10), calendar.AddDays(new DateOnly(2026, 3, 2), -10));

        // February 2026: 20 weekdays, 6 of them off, 2 Saturdays worked.
        Assert.Equal(16, calendar.DaysBetween(new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 28)));
    }

    [Fact]
    public void Days_between_a_day_and_itself_is_zero()
    {
        foreach (var day in new[] { new DateOnly(2026, 3, 9), new DateOnly(2026, 3, 8), new DateOnly(2026, 2, 17) })
        {
            Assert.Equal(0, China2026.DaysBetween(day, day));
            Assert.Equal(0, WorkingCalendar.CalendarDays.DaysBetween(day, day));
        }
    }

    [Fact]
    public void Days_between_backwards_is_the_mirrored_count_and_negative()
    {
        var monday = new DateOnly(2026, 3, 9);

        Assert.Equal(-1, Plain.DaysBetween(monday, monday.AddDays(-3)));
        Assert.Equal(-5, Plain.DaysBetween(monday, monday.AddDays(-7)));
        // Overdue and "days left" are one function: remaining working days before the deadline are negative.
        Assert.Equal(-2, China2026.DaysBetween(new DateOnly(2026, 2, 24), new DateOnly(2026, 2, 13)));
    }

    [Fact]
    public void Add_zero_days_returns_the_start_even_on_a_weekend()
    {
        var sunday = new DateOnly(2026, 3, 8);

        Assert.Equal(sunday, Plain.AddDays(sunday, 0));
        Assert.Equal(sunday, WorkingCalendar.CalendarDays.AddDays(sunday, 0));
    }

    [Fact]
    public void Add_negative_days_counts_back_to_earlier_working_days()
    {
        var monday = new DateOnly(2026, 3, 9);

        Assert.Equal(new DateOnly(2026, 3, 6), Plain.AddDays(monday, -1));
        Assert.Equal(new DateOnly(2026, 3, 2), Plain.AddDays(monday, -5));
        Assert.Equal(new DateOnly(2026, 2, 14), China2026.AddDays(new DateOnly(2026, 2, 24), -1));
        Assert.Equal(new DateOnly(2026, 9, 30), China2026.AddDays(new DateOnly(2026, 10, 8), -1));
    }

    [Fact]
    public void Add_negative_days_from_a_day_off_starts_at_the_working_day_before_it()
    {
        // One working day before a Sunday deadline is Friday; yet no working day lies after Friday up to
        // the Sunday, so DaysBetween(Sunday, Friday) is 0, not -1 (the documented asymmetry).
        var sunday = new DateOnly(2026, 3, 8);

        Assert.Equal(new DateOnly(2026, 3, 6), Plain.AddDays(sunday, -1));
        Assert.Equal(0, Plain.DaysBetween(sunday, new DateOnly(2026, 3, 6)));
        Assert.Equal(new DateOnly(2026, 9, 30), China2026.AddDays(new DateOnly(2026, 10, 3), -1));
    }

    [Fact]
    public void Add_days_forward_from_a_day_off_counts_from_the_next_working_day()
    {
        var saturday = new DateOnly(2026, 3, 7);

        Assert.Equal(new DateOnly(2026, 3, 9), Plain.AddDays(saturday, 1));
        Assert.Equal(1, Plain.DaysBetween(saturday, new DateOnly(2026, 3, 9)));
    }

    [Fact]
    public void Day_listed_both_as_holiday_and_workday_is_refused()
    {
        var day = new DateOnly(2026, 2, 14);

        Assert.Throws<ArgumentException>(() => WorkingCalendar.WorkingDays(
            [new(day, CalendarDayKind.Workday, "春节"), new(day, CalendarDayKind.Holiday, "春节")]));
    }

    [Fact]
    public void Day_listed_twice_the_same_way_is_accepted()
    {
        var day = new DateOnly(2026, 2, 16);

        var calendar = WorkingCalendar.WorkingDays([new(day, CalendarDayKind.Holiday, "春节"), new(day, CalendarDayKind.Holiday, "春节")]);

        Assert.False(calendar.IsWorkingDay(day));
        Assert.Equal(4, calendar.DaysBetween(day.AddDays(-1), day.AddDays(6)));
    }

    [Fact]
    public void Days_between_matches_counting_day_by_day_and_add_days_agrees_with_it()
    {
        var first = new DateOnly(2025, 12, 1);
        var last = new DateOnly(2027, 1, 31);

        foreach (var calendar in new[] { China2026, Plain, WorkingCalendar.CalendarDays })
        {
            for (var from = first; from <= last; from = from.AddDays(1))
            {
                var startWorks = calendar.IsWorkingDay(from);

                // Naive count of (from, from + k] for k >= 0, checked against the arithmetic one and its mirror.
                var counted = 0;
                for (var k = 0; k <= 45; k++)
                {
                    var to = from.AddDays(k);
                    if (k > 0 && calendar.IsWorkingDay(to))
                        counted++;
                    Assert.Equal(counted, calendar.DaysBetween(from, to));
                    Assert.Equal(-counted, calendar.DaysBetween(to, from));
                }

                for (var n = -25; n <= 25; n++)
                {
                    var reached = calendar.AddDays(from, n);
                    var between = calendar.DaysBetween(from, reached);

                    // Forward always; backward when the start is counted, else one fewer is crossed.
                    Assert.Equal(n >= 0 || startWorks ? n : n + 1, between);
                    Assert.Equal(Math.Sign(n), Math.Sign(reached.DayNumber - from.DayNumber));
                    if (n != 0)
                        Assert.True(calendar.IsWorkingDay(reached));
                    if (startWorks)
                        Assert.Equal(from, calendar.AddDays(reached, -n));
                }
            }
        }
    }
}
