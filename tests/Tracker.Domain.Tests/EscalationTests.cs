using static Tracker.Domain.Tests.InitiativeBuilder;

namespace Tracker.Domain.Tests;

public sealed class EscalationTests
{
    private static readonly EscalationPolicy Policy = new();

    private static IReadOnlyList<ReminderDue> On(Initiative item, DateOnly today, DateOnly? redSince = null, WorkingCalendar? calendar = null)
    {
        var health = HealthRules.Evaluate(item, new HealthContext(today, new HealthPolicy()));
        return Escalation.Evaluate(item, health, today, Policy, calendar ?? WorkingCalendar.CalendarDays, redSince);
    }

    private static Initiative OnTrack(DateOnly deadline) =>
        new InitiativeBuilder().Due(deadline).WithTarget(1, 0, 100).Reported(1m, deadline.AddDays(-1)).Build();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(6, 1)]
    [InlineData(7, 2)]
    [InlineData(14, 2)]
    [InlineData(15, 3)]
    public void Overdue_climbs_the_ladder_with_the_days_overdue(int daysOverdue, int level)
    {
        var item = OnTrack(Day(100));

        var due = Assert.Single(On(item, Day(100 + daysOverdue)), d => d.Reason == ReminderReason.Overdue);

        Assert.Equal((level, daysOverdue), (due.Level, due.Days));
    }

    [Theory]
    [InlineData(7, true)]
    [InlineData(5, false)]
    [InlineData(3, true)]
    [InlineData(1, true)]
    [InlineData(0, false)]
    public void Due_soon_reminders_come_on_the_configured_days_before_the_deadline(int daysLeft, bool reminded)
    {
        var item = OnTrack(Day(100));

        var due = On(item, Day(100 - daysLeft)).Where(d => d.Reason == ReminderReason.DueSoon).ToList();

        Assert.Equal(reminded, due.Count == 1);
    }

    [Fact]
    public void Red_lagging_reaches_level_3_after_the_configured_weeks()
    {
        var item = new InitiativeBuilder().Due(Day(100)).WithTarget(1, 0, 100).Reported(0.05m, Day(49)).Build();

        var early = Assert.Single(On(item, Day(50), redSince: Day(30)), d => d.Reason == ReminderReason.Lagging);
        var late = Assert.Single(On(item, Day(58), redSince: Day(30)), d => d.Reason == ReminderReason.Lagging);

        Assert.Equal((1, 20), (early.Level, early.Days));
        Assert.Equal((3, 28), (late.Level, late.Days));
    }

    [Fact]
    public void Completed_or_cancelled_items_call_for_nothing_and_clear_every_reason()
    {
        var item = new InitiativeBuilder().Due(Day(10)).WithTarget(1, 0, 100).Reported(1m, Day(9)).Status(InitiativeStatus.Completed).Build();
        var health = HealthRules.Evaluate(item, new HealthContext(Day(30), new HealthPolicy()));

        Assert.Empty(On(item, Day(30)));
        Assert.Equal(Enum.GetValues<ReminderReason>(), Escalation.Cleared(item, health));
    }

    [Fact]
    public void A_report_that_catches_up_clears_lagging_and_silence_but_not_the_overdue_deadline()
    {
        var item = new InitiativeBuilder().Due(Day(20)).WithTarget(1, 0, 100).Reported(1m, Day(30)).Build();
        var health = HealthRules.Evaluate(item, new HealthContext(Day(30), new HealthPolicy()));

        var cleared = Escalation.Cleared(item, health);

        Assert.Contains(ReminderReason.Lagging, cleared);
        Assert.Contains(ReminderReason.Silent, cleared);
        Assert.DoesNotContain(ReminderReason.Overdue, cleared);
    }

    [Fact]
    public void In_working_days_the_spring_festival_does_not_count_towards_overdue_or_due_soon()
    {
        // 2026: 15–23 Feb off, Sat 14 Feb and Sat 28 Feb worked.
        var festival = Enumerable.Range(15, 9).Select(d => new CalendarDay(new(2026, 2, d), CalendarDayKind.Holiday, "春节"))
            .Append(new CalendarDay(new(2026, 2, 14), CalendarDayKind.Workday, "春节"))
            .Append(new CalendarDay(new(2026, 2, 28), CalendarDayKind.Workday, "春节"));
        var working = WorkingCalendar.WorkingDays(festival);
        var item = new InitiativeBuilder().Starting(new(2026, 1, 5)).Due(new(2026, 2, 13)).WithTarget(1, 0, 100).Reported(1m, new(2026, 2, 12)).Build();

        var calendarDays = Assert.Single(On(item, new(2026, 2, 24)), d => d.Reason == ReminderReason.Overdue);
        var workingDays = Assert.Single(On(item, new(2026, 2, 24), calendar: working), d => d.Reason == ReminderReason.Overdue);

        Assert.Equal((11, 2), (calendarDays.Days, calendarDays.Level));
        Assert.Equal((2, 1), (workingDays.Days, workingDays.Level));   // Sat 14 Feb (worked) and Tue 24 Feb
    }
}
