using static Tracker.Domain.Tests.InitiativeBuilder;

namespace Tracker.Domain.Tests;

public class HealthRulesTests
{
    private static Health Evaluate(Initiative item, DateOnly today) =>
        HealthRules.Evaluate(item, new HealthContext(today, new HealthPolicy()));

    // Default schedule: Day(0) → Day(100), so on Day(50) the straight line expects 0.5.

    [Fact]
    public void Deadline_day_itself_is_not_overdue()
    {
        var item = new InitiativeBuilder().Reported(1m, Day(100)).Build();

        var health = Evaluate(item, Day(100));

        Assert.False(health.Overdue);
        Assert.Equal(0, health.DaysOverdue);
        Assert.Equal(HealthColour.Green, health.Colour);
    }

    [Fact]
    public void Day_after_the_deadline_is_overdue_by_one_day_and_red_even_at_full_progress()
    {
        var item = new InitiativeBuilder().Reported(1m, Day(100)).Build();

        var health = Evaluate(item, Day(101));

        Assert.True(health.Overdue);
        Assert.Equal(1, health.DaysOverdue);
        Assert.Equal(HealthColour.Red, health.Colour);
    }

    [Fact]
    public void Completed_item_past_its_deadline_is_green_and_not_overdue()
    {
        var item = new InitiativeBuilder().Reported(0.5m, Day(40)).Status(InitiativeStatus.Completed).Build();

        var health = Evaluate(item, Day(150));

        Assert.Equal(HealthColour.Green, health.Colour);
        Assert.False(health.Overdue);
        Assert.False(health.Silent);
        Assert.False(health.Lagging);
    }

    [Theory]
    [InlineData(InitiativeStatus.Suspended)]
    [InlineData(InitiativeStatus.Cancelled)]
    public void Suspended_or_cancelled_item_is_grey_even_when_past_its_deadline(InitiativeStatus status)
    {
        var item = new InitiativeBuilder().Status(status).WithMilestone(1, Day(10)).Build();

        var health = Evaluate(item, Day(150));

        Assert.Equal(HealthColour.Grey, health.Colour);
        Assert.False(health.Overdue);
        Assert.False(health.Silent);
        Assert.False(health.MilestoneOverdue);
    }

    [Fact]
    public void Item_never_reported_is_marked_not_reported()
    {
        var item = new InitiativeBuilder().Build();

        var health = Evaluate(item, Day(5));

        Assert.True(health.NotReported);
        Assert.Null(health.DaysSinceLastReport);
        Assert.Equal(0m, health.Progress);
    }

    [Theory]
    [InlineData(-10, false)]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void Silence_of_an_item_never_reported_runs_from_its_planned_start(int today, bool silent)
    {
        var item = new InitiativeBuilder().Reporting(ReportingInterval.Daily).Build();

        Assert.Equal(silent, Evaluate(item, Day(today)).Silent);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void Daily_item_is_silent_once_the_day_before_yesterday_is_its_last_report(int daysAgo, bool silent)
    {
        var item = new InitiativeBuilder().Reporting(ReportingInterval.Daily).Reported(0.3m, Day(30 - daysAgo)).Build();

        var health = Evaluate(item, Day(30));

        Assert.Equal(silent, health.Silent);
        Assert.Equal(daysAgo, health.DaysSinceLastReport);
    }

    [Theory]
    [InlineData(7, false)]
    [InlineData(8, true)]
    public void Weekly_item_is_silent_after_more_than_seven_days(int daysAgo, bool silent)
    {
        var item = new InitiativeBuilder().Reporting(ReportingInterval.Weekly).Reported(0.3m, Day(30 - daysAgo)).Build();

        Assert.Equal(silent, Evaluate(item, Day(30)).Silent);
    }

    [Theory]
    [InlineData("2026-03-15", "2026-02-15", false)]
    [InlineData("2026-03-15", "2026-02-14", true)]
    // A calendar month back from 31 March is 28 February, not 29 or 30 days.
    [InlineData("2026-03-31", "2026-02-28", false)]
    [InlineData("2026-03-31", "2026-02-27", true)]
    public void Monthly_item_is_silent_after_more_than_a_calendar_month(string today, string lastReport, bool silent)
    {
        var item = new InitiativeBuilder()
            .Starting(new DateOnly(2026, 1, 1)).Due(new DateOnly(2026, 12, 31))
            .Reporting(ReportingInterval.Monthly)
            .Reported(1m, DateOnly.Parse(lastReport))
            .Build();

        var health = Evaluate(item, DateOnly.Parse(today));

        Assert.Equal(silent, health.Silent);
        Assert.Equal(silent ? HealthColour.Amber : HealthColour.Green, health.Colour);
    }

    [Fact]
    public void Progress_just_over_the_amber_margin_behind_the_line_is_lagging_and_amber()
    {
        var item = new InitiativeBuilder().Reported(0.3999m, Day(50)).Build();

        var health = Evaluate(item, Day(50));

        Assert.Equal(0.5m, health.ExpectedProgress);
        Assert.True(health.Lagging);
        Assert.Equal(HealthColour.Amber, health.Colour);
    }

    [Fact]
    public void Progress_exactly_at_the_amber_margin_is_not_lagging()
    {
        var item = new InitiativeBuilder().Reported(0.40m, Day(50)).Build();

        var health = Evaluate(item, Day(50));

        Assert.False(health.Lagging);
        Assert.Equal(HealthColour.Green, health.Colour);
    }

    [Fact]
    public void Progress_exactly_at_the_red_margin_is_amber_not_red()
    {
        var item = new InitiativeBuilder().Reported(0.25m, Day(50)).Build();

        Assert.Equal(HealthColour.Amber, Evaluate(item, Day(50)).Colour);
    }

    [Fact]
    public void Progress_just_over_the_red_margin_behind_the_line_is_red()
    {
        var item = new InitiativeBuilder().Reported(0.2499m, Day(50)).Build();

        var health = Evaluate(item, Day(50));

        Assert.True(health.Lagging);
        Assert.False(health.Overdue);
        Assert.Equal(HealthColour.Red, health.Colour);
    }

    [Fact]
    public void Margins_come_from_the_policy()
    {
        var item = new InitiativeBuilder().Reported(0.45m, Day(50)).Build();
        var strict = new HealthPolicy { AmberLagMargin = 0.02m, RedLagMargin = 0.04m };

        Assert.Equal(HealthColour.Red, HealthRules.Evaluate(item, new HealthContext(Day(50), strict)).Colour);
    }

    [Fact]
    public void Overdue_milestone_makes_the_item_amber()
    {
        var item = new InitiativeBuilder().WithMilestone(1, Day(20)).Reported(0.5m, Day(21)).Build();

        var health = Evaluate(item, Day(21));

        Assert.True(health.MilestoneOverdue);
        Assert.Equal(HealthColour.Amber, health.Colour);
    }

    [Fact]
    public void Milestone_due_today_is_not_overdue()
    {
        var item = new InitiativeBuilder().WithMilestone(1, Day(20)).Reported(0.5m, Day(20)).Build();

        var health = Evaluate(item, Day(20));

        Assert.False(health.MilestoneOverdue);
        Assert.Equal(HealthColour.Green, health.Colour);
    }

    [Fact]
    public void Overshooting_progress_is_green()
    {
        var item = new InitiativeBuilder().Reported(1.5m, Day(50)).Build();

        var health = Evaluate(item, Day(50));

        Assert.Equal(1m, health.Progress);
        Assert.False(health.Lagging);
        Assert.Equal(HealthColour.Green, health.Colour);
    }

    [Fact]
    public void Overdue_beats_every_other_finding_and_is_red()
    {
        var item = new InitiativeBuilder()
            .Reporting(ReportingInterval.Daily)
            .WithMilestone(1, Day(10))
            .Reported(0.1m, Day(5))
            .Build();

        var health = Evaluate(item, Day(120));

        Assert.True(health.Overdue);
        Assert.True(health.Silent);
        Assert.True(health.Lagging);
        Assert.True(health.MilestoneOverdue);
        Assert.Equal(HealthColour.Red, health.Colour);
    }

    [Fact]
    public void One_day_item_not_yet_due_is_not_red()
    {
        var item = new InitiativeBuilder().Starting(Day(30)).Due(Day(30)).Build();

        var health = Evaluate(item, Day(0));

        Assert.Equal(0m, health.ExpectedProgress);
        Assert.False(health.Lagging);
        Assert.Equal(HealthColour.Green, health.Colour);
    }
}
