using static Tracker.Domain.Tests.InitiativeBuilder;

namespace Tracker.Domain.Tests;

public class PlanReplacementTests
{
    private static Initiative Item() =>
        new InitiativeBuilder().WithTarget(1, 0, 100).WithTarget(2, 0, 10).WithMilestone(7, Day(30)).WithMilestone(8, Day(60)).Build();

    [Fact]
    public void Targets_and_milestones_with_an_id_are_updated_without_one_added_and_the_rest_removed()
    {
        var item = Item();

        item.ReplacePlan(
            [new TargetPlan(1, "改造户数", "户", 10, 1000, 2), new TargetPlan(null, "新增学位", "个", 0, 1170)],
            [new MilestonePlan(8, "主体完工", Day(45)), new MilestonePlan(null, "竣工验收", Day(90))]);

        Assert.Equal(["改造户数", "新增学位"], item.Targets.Select(t => t.Metric));
        var kept = item.Targets[0];
        Assert.Equal((1, 10m, 1000m, 2m), (kept.Id, kept.Baseline, kept.TargetValue, kept.Weight));
        Assert.Equal(["主体完工", "竣工验收"], item.Milestones.Select(m => m.Name));
        Assert.Equal(Day(45), item.Milestones[0].PlannedOn);
    }

    [Fact]
    public void The_derived_figures_follow_the_new_plan()
    {
        var item = Item();
        item.ApplyReport(ReportOf(item, (1, 50)), Day(5));
        Assert.Equal(Day(30), item.NextMilestoneDue);

        // Target 1 at 50 of 100 was half the progress with target 2 unreported; alone, it is all of it.
        item.ReplacePlan([new TargetPlan(1, "Metric 1", "units", 0, 100)], [new MilestonePlan(8, "Milestone 8", Day(60))]);

        Assert.Equal(0.5m, item.Progress);
        Assert.Equal(Day(60), item.NextMilestoneDue);
    }

    [Fact]
    public void A_target_already_reported_on_cannot_be_left_out_and_nothing_changes()
    {
        var item = Item();
        item.ApplyReport(ReportOf(item, (2, 4)), Day(5));

        var refused = Assert.Throws<DomainException>(() =>
            item.ReplacePlan([new TargetPlan(1, "renamed", "units", 0, 100)], []));

        Assert.Equal(ErrorCodes.ReportedTarget, refused.Code);
        Assert.Equal([1, 2], item.Targets.Select(t => t.Id));
        Assert.Equal("Metric 1", item.Targets[0].Metric);
        Assert.Equal(2, item.Milestones.Count);
    }

    [Fact]
    public void A_target_never_reported_on_can_be_removed()
    {
        var item = Item();
        item.ApplyReport(ReportOf(item, (1, 20)), Day(5));

        item.ReplacePlan([new TargetPlan(1, "Metric 1", "units", 0, 100)], []);

        Assert.Equal([1], item.Targets.Select(t => t.Id));
        Assert.Empty(item.Milestones);
    }

    [Theory]
    [InlineData(99, null)]
    [InlineData(null, 99)]
    public void An_id_that_is_not_the_items_is_refused_and_nothing_changes(int? targetId, int? milestoneId)
    {
        var item = Item();

        var refused = Assert.Throws<DomainException>(() => item.ReplacePlan(
            [new TargetPlan(targetId ?? 1, "x", "y", 0, 1)],
            [new MilestonePlan(milestoneId ?? 7, "m", Day(1))]));

        Assert.Equal(targetId is null ? ErrorCodes.Milestone : ErrorCodes.Target, refused.Code);
        Assert.Equal(["Metric 1", "Metric 2"], item.Targets.Select(t => t.Metric));
        Assert.Equal(["Milestone 7", "Milestone 8"], item.Milestones.Select(m => m.Name));
    }
}
