namespace Tracker.Domain.Tests;

public sealed class DispatchTests
{
    private static readonly TimeSpan Office = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Opened = new(2026, 6, 15, 9, 0, 0, Office);   // Monday 09:00
    private static readonly DateTimeOffset Due = new(2026, 6, 19, 17, 0, 0, Office);     // Friday 17:00

    [Theory]
    [InlineData("2026-06-17T10:00:00+08:00", DispatchAnswer.OnTime)]
    [InlineData("2026-06-19T17:00:00+08:00", DispatchAnswer.OnTime)]   // on the due instant still counts
    [InlineData("2026-06-19T17:00:01+08:00", DispatchAnswer.Late)]
    [InlineData("2026-06-25T09:00:00+08:00", DispatchAnswer.Late)]
    public void An_answer_by_the_due_instant_is_on_time_after_it_late(string answered, DispatchAnswer expected) =>
        Assert.Equal(expected, DispatchRules.AnswerOf(DateTimeOffset.Parse(answered), Due, DateTimeOffset.Parse(answered)));

    [Fact]
    public void An_item_not_answered_waits_through_the_late_week_then_has_missed_the_round()
    {
        Assert.Equal(DispatchAnswer.Waiting, DispatchRules.AnswerOf(null, Due, Due.AddDays(1)));
        Assert.Equal(DispatchAnswer.Waiting, DispatchRules.AnswerOf(null, Due, Due.AddDays(7)));
        Assert.Equal(DispatchAnswer.Missed, DispatchRules.AnswerOf(null, Due, Due.AddDays(7).AddSeconds(1)));
    }

    [Fact]
    public void A_round_takes_reports_from_its_opening_to_a_week_after_its_due_time()
    {
        Assert.False(DispatchRules.Accepts(Opened, Due, Opened.AddMinutes(-1)));
        Assert.True(DispatchRules.Accepts(Opened, Due, Opened));
        Assert.True(DispatchRules.Accepts(Opened, Due, Due.AddDays(7)));
        Assert.False(DispatchRules.Accepts(Opened, Due, Due.AddDays(7).AddTicks(1)));
    }

    [Fact]
    public void A_weekly_round_comes_back_a_week_later_at_the_same_office_hours_and_is_reminded_two_hours_before()
    {
        Assert.Equal((new DateTimeOffset(2026, 6, 22, 9, 0, 0, Office), new DateTimeOffset(2026, 6, 26, 17, 0, 0, Office)), DispatchRules.Next(Opened, Due));
        Assert.Equal(new DateTimeOffset(2026, 6, 19, 15, 0, 0, Office), DispatchRules.RemindAt(Due));
    }

    [Theory]
    [InlineData(3, 2, 1, 66.7, 100.0, 0)]
    [InlineData(4, 1, 1, 25.0, 50.0, 2)]
    [InlineData(1, 0, 0, 0.0, 0.0, 1)]
    public void The_completion_rate_counts_on_time_answers_only_late_ones_beside_it(int items, int onTime, int late, double rate, double answered, int unanswered)
    {
        var tally = new DispatchTally(items, onTime, late);
        Assert.Equal(((decimal)rate, (decimal)answered, unanswered), (tally.CompletionRate!.Value, tally.AnsweredRate!.Value, tally.Unanswered));
    }

    [Fact]
    public void A_round_that_asked_nothing_has_no_rate() => Assert.Null(new DispatchTally(0, 0, 0).CompletionRate);
}
