namespace Tracker.Domain.Tests;

public class ProgressMathTests
{
    private static readonly DateOnly Start = new(2026, 1, 1);
    private static readonly DateOnly Deadline = Start.AddDays(100);

    [Fact]
    public void Completion_is_the_share_of_the_way_from_baseline_to_target()
    {
        Assert.Equal(0.5m, ProgressMath.Completion(baseline: 20, target: 120, current: 70));
    }

    [Fact]
    public void Completion_overshooting_the_target_caps_at_one()
    {
        Assert.Equal(1m, ProgressMath.Completion(baseline: 0, target: 100, current: 130));
    }

    [Fact]
    public void Completion_falling_below_the_baseline_is_zero()
    {
        Assert.Equal(0m, ProgressMath.Completion(baseline: 20, target: 120, current: 10));
    }

    [Theory]
    [InlineData(211, 0)]
    [InlineData(0, 1)]
    [InlineData(100, 0.5261)]
    public void Completion_works_for_a_decreasing_target_of_211_hazards_to_0(int current, double expected)
    {
        Assert.Equal((decimal)expected, ProgressMath.Completion(baseline: 211, target: 0, current: current), 4);
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(4, 0)]
    [InlineData(6, 0)]
    public void Completion_with_target_equal_to_baseline_is_all_or_nothing(int current, int expected)
    {
        Assert.Equal(expected, ProgressMath.Completion(baseline: 5, target: 5, current: current));
    }

    [Fact]
    public void Completion_without_a_report_is_zero()
    {
        Assert.Equal(0m, ProgressMath.Completion(baseline: 0, target: 100, current: null));
        Assert.Equal(0m, ProgressMath.Completion(baseline: 5, target: 5, current: null));
    }

    [Fact]
    public void Overall_weighs_each_target_by_its_weight()
    {
        Target[] targets =
        [
            new() { Metric = "homes", Unit = "homes", Baseline = 0, TargetValue = 10, Weight = 1, CurrentValue = 10 },
            new() { Metric = "roads", Unit = "km", Baseline = 0, TargetValue = 10, Weight = 3, CurrentValue = 5 },
        ];

        // (1 × 1 + 3 × 0.5) / 4
        Assert.Equal(0.625m, ProgressMath.Overall(targets));
    }

    [Fact]
    public void Overall_caps_each_overshooting_target_before_weighing()
    {
        Target[] targets =
        [
            new() { Metric = "homes", Unit = "homes", Baseline = 0, TargetValue = 10, CurrentValue = 30 },
            new() { Metric = "roads", Unit = "km", Baseline = 0, TargetValue = 10, CurrentValue = 0 },
        ];

        Assert.Equal(0.5m, ProgressMath.Overall(targets));
    }

    [Fact]
    public void Overall_is_rounded_to_four_places()
    {
        Target[] targets = [new() { Metric = "homes", Unit = "homes", Baseline = 0, TargetValue = 3, CurrentValue = 1 }];

        Assert.Equal(0.3333m, ProgressMath.Overall(targets));
    }

    [Fact]
    public void Overall_without_targets_is_zero()
    {
        Assert.Equal(0m, ProgressMath.Overall([]));
    }

    [Theory]
    [InlineData(-10, 0)]
    [InlineData(0, 0)]
    [InlineData(25, 0.25)]
    [InlineData(50, 0.5)]
    [InlineData(100, 1)]
    [InlineData(130, 1)]
    public void Expected_runs_in_a_straight_line_from_start_to_deadline(int day, double expected)
    {
        Assert.Equal((decimal)expected, ProgressMath.Expected(Start, Deadline, Start.AddDays(day)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Expected_with_deadline_not_after_start_is_full_once_past_the_start(int deadlineOffset)
    {
        Assert.Equal(1m, ProgressMath.Expected(Start, Start.AddDays(deadlineOffset), Start.AddDays(1)));
    }
}
