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

    /// <summary>Sweeps on the given days left before the deadline, in order; the days left of each due-soon reminder sent.</summary>
    private static List<int> SweepDueSoon(DateOnly deadline, IEnumerable<int> sweepDaysLeft, WorkingCalendar? calendar = null)
    {
        DateOnly? lastSent = null;
        var sent = new List<int>();
        foreach (var left in sweepDaysLeft)
        {
            var today = deadline.AddDays(-left);
            if (Escalation.DueSoon(deadline, today, lastSent, Policy, calendar ?? WorkingCalendar.CalendarDays) is { } days)
            {
                sent.Add(days);
                lastSent = today;
            }
        }
        return sent;
    }

    [Fact]
    public void Due_soon_reminders_come_on_the_configured_days_before_the_deadline_and_on_the_deadline_day()
    {
        Assert.Equal([7, 3, 1, 0], SweepDueSoon(Day(100), Enumerable.Range(0, 12).Select(i => 11 - i)));
        Assert.Equal([7, 3, 1, 0], Policy.DueSoonDays);
    }

    [Fact]
    public void A_threshold_missed_while_no_sweep_ran_is_sent_once_on_the_next_sweep()
    {
        // No sweep ran on days 9 to 6 before the deadline: the 7-day reminder goes out at 5 days left, once.
        Assert.Equal([5, 3, 1, 0], SweepDueSoon(Day(100), [10, 5, 4, 3, 2, 1, 0]));
        // Down from 8 days to 2 days left: only the nearest threshold passed (3) is sent, not every missed one.
        Assert.Equal([2, 1, 0], SweepDueSoon(Day(100), [8, 2, 1, 0]));
        // Two sweeps in a row on a day with nothing due send nothing more.
        Assert.Equal([6], SweepDueSoon(Day(100), [6, 5, 4]));
    }

    [Fact]
    public void A_moved_deadline_arms_the_thresholds_again()
    {
        var policy = Policy;
        var sentOn = Day(99); // the 1-day reminder of a deadline of day 100
        Assert.Null(Escalation.DueSoon(Day(100), Day(99), sentOn, policy, WorkingCalendar.CalendarDays));
        Assert.Equal(7, Escalation.DueSoon(Day(130), Day(123), sentOn, policy, WorkingCalendar.CalendarDays));
        Assert.Null(Escalation.DueSoon(Day(100), Day(101), null, policy, WorkingCalendar.CalendarDays));
    }

    [Fact]
    public void The_deadline_day_reminder_comes_through_the_ladder_for_an_item_not_yet_overdue()
    {
        var item = OnTrack(Day(100));

        var due = Assert.Single(Escalation.Evaluate(item, HealthRules.Evaluate(item, new HealthContext(Day(100), new HealthPolicy())),
            Day(100), Policy, WorkingCalendar.CalendarDays, null, lastDueSoonOn: Day(99)), d => d.Reason == ReminderReason.DueSoon);

        Assert.Equal(0, due.Days);
        Assert.DoesNotContain(On(item, Day(101)), d => d.Reason == ReminderReason.DueSoon);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(1, 1)]
    [InlineData(7, 2)]
    [InlineData(15, 3)]
    public void An_unanswered_follow_up_past_its_date_climbs_the_overdue_ladder(int daysLate, int? level)
    {
        var item = OnTrack(Day(200));
        var today = Day(100 + daysLate);
        var health = HealthRules.Evaluate(item, new HealthContext(today, new HealthPolicy()));

        var due = Escalation.Evaluate(item, health, today, Policy, WorkingCalendar.CalendarDays, null, oldestFollowUpDue: Day(100))
            .SingleOrDefault(d => d.Reason == ReminderReason.FollowUpOverdue);

        Assert.Equal(level, due?.Level);
        if (due is not null)
            Assert.Equal(daysLate, due.Days);
    }

    [Fact]
    public void Follow_up_days_are_working_days_when_the_office_counts_those()
    {
        // 2026-10-01 to 10-08 is the National Day holiday: a request due on 9-30 is 1 working day late on 10-09.
        var calendar = WorkingCalendar.WorkingDays([
            .. Enumerable.Range(1, 8).Select(d => new CalendarDay(new DateOnly(2026, 10, d), CalendarDayKind.Holiday, "国庆节")),
        ]);
        var item = OnTrack(new DateOnly(2026, 12, 31));
        var today = new DateOnly(2026, 10, 9);
        var health = HealthRules.Evaluate(item, new HealthContext(today, new HealthPolicy()));

        var due = Assert.Single(Escalation.Evaluate(item, health, today, Policy, calendar, null, oldestFollowUpDue: new DateOnly(2026, 9, 30)),
            d => d.Reason == ReminderReason.FollowUpOverdue);

        Assert.Equal((1, 1), (due.Level, due.Days));
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
