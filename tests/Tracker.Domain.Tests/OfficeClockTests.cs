using Microsoft.Extensions.Time.Testing;

namespace Tracker.Domain.Tests;

public class OfficeClockTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static OfficeClock ClockAt(string utc, out FakeTimeProvider time)
    {
        time = new FakeTimeProvider(DateTimeOffset.Parse(utc));
        return new OfficeClock(time, Shanghai);
    }

    [Fact]
    public void Last_second_before_16_00_utc_is_still_the_same_day_in_Shanghai()
    {
        var clock = ClockAt("2026-03-01T15:59:59Z", out _);

        Assert.Equal(new DateOnly(2026, 3, 1), clock.Today);
    }

    [Fact]
    public void Midnight_in_Shanghai_is_16_00_utc_of_the_previous_day()
    {
        var clock = ClockAt("2026-03-01T15:59:59Z", out var time);

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 16, 0, 0, TimeSpan.Zero), clock.Now);
        Assert.Equal(new DateOnly(2026, 3, 2), clock.Today);
    }

    [Fact]
    public void Day_of_an_instant_does_not_depend_on_the_offset_it_is_written_in()
    {
        var clock = ClockAt("2026-03-01T00:00:00Z", out _);
        var instant = new DateTimeOffset(2026, 3, 1, 10, 30, 0, TimeSpan.FromHours(-6));

        // 16:30 UTC on 1 March is 00:30 on 2 March in Shanghai.
        Assert.Equal(new DateOnly(2026, 3, 2), clock.DayOf(instant));
    }

    [Fact]
    public void Report_at_23_30_Shanghai_time_counts_for_that_Shanghai_day()
    {
        var clock = ClockAt("2026-03-01T15:30:00Z", out _);
        var item = new InitiativeBuilder().Starting(new DateOnly(2026, 2, 1)).Build();
        var report = InitiativeBuilder.ReportOf(item, (1, 10m));
        report.ReportedAt = clock.Now;

        item.ApplyReport(report, clock.DayOf(report.ReportedAt));

        Assert.Equal(new DateOnly(2026, 3, 1), report.ReportedOn);
        Assert.Equal(new DateOnly(2026, 3, 1), item.LastReportedOn);
    }

    [Fact]
    public void Report_at_00_30_Shanghai_time_counts_for_the_new_Shanghai_day_while_UTC_is_still_on_the_old_one()
    {
        var clock = ClockAt("2026-03-01T16:30:00Z", out _);
        var item = new InitiativeBuilder().Starting(new DateOnly(2026, 2, 1)).Build();
        var report = InitiativeBuilder.ReportOf(item, (1, 10m));
        report.ReportedAt = clock.Now;

        item.ApplyReport(report, clock.Today);

        Assert.Equal(new DateOnly(2026, 3, 1), DateOnly.FromDateTime(report.ReportedAt.UtcDateTime));
        Assert.Equal(new DateOnly(2026, 3, 2), item.LastReportedOn);
    }
}
