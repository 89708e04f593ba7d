using static Tracker.Domain.Tests.InitiativeBuilder;

namespace Tracker.Domain.Tests;

public class InitiativeTests
{
    [Theory]
    [InlineData(InitiativeStatus.Planned, InitiativeStatus.InProgress)]
    [InlineData(InitiativeStatus.Planned, InitiativeStatus.Suspended)]
    [InlineData(InitiativeStatus.Planned, InitiativeStatus.Cancelled)]
    [InlineData(InitiativeStatus.InProgress, InitiativeStatus.Completed)]
    [InlineData(InitiativeStatus.InProgress, InitiativeStatus.Suspended)]
    [InlineData(InitiativeStatus.InProgress, InitiativeStatus.Cancelled)]
    [InlineData(InitiativeStatus.Suspended, InitiativeStatus.InProgress)]
    [InlineData(InitiativeStatus.Suspended, InitiativeStatus.Cancelled)]
    [InlineData(InitiativeStatus.Completed, InitiativeStatus.InProgress)]
    public void Allowed_status_change_is_applied(InitiativeStatus from, InitiativeStatus to)
    {
        var item = new InitiativeBuilder().Status(from).Build();

        item.ChangeStatus(to, Day(10));

        Assert.Equal(to, item.Status);
    }

    [Theory]
    [InlineData(InitiativeStatus.Planned, InitiativeStatus.Completed)]
    [InlineData(InitiativeStatus.Planned, InitiativeStatus.Planned)]
    [InlineData(InitiativeStatus.InProgress, InitiativeStatus.Planned)]
    [InlineData(InitiativeStatus.Suspended, InitiativeStatus.Completed)]
    [InlineData(InitiativeStatus.Completed, InitiativeStatus.Cancelled)]
    [InlineData(InitiativeStatus.Cancelled, InitiativeStatus.Planned)]
    [InlineData(InitiativeStatus.Cancelled, InitiativeStatus.InProgress)]
    [InlineData(InitiativeStatus.Cancelled, InitiativeStatus.Suspended)]
    [InlineData(InitiativeStatus.Cancelled, InitiativeStatus.Completed)]
    public void Refused_status_change_throws_and_leaves_the_status(InitiativeStatus from, InitiativeStatus to)
    {
        var item = new InitiativeBuilder().Status(from).Build();

        var ex = Assert.Throws<DomainException>(() => item.ChangeStatus(to, Day(10)));

        Assert.Equal("status-transition", ex.Code);
        Assert.Equal(from, item.Status);
    }

    [Fact]
    public void Cancelled_is_final()
    {
        Assert.Empty(Initiative.AllowedTransitions(InitiativeStatus.Cancelled));
    }

    [Fact]
    public void Completing_records_the_day_and_reopening_clears_it()
    {
        var item = new InitiativeBuilder().Status(InitiativeStatus.InProgress).Build();

        item.ChangeStatus(InitiativeStatus.Completed, Day(90));
        Assert.Equal(Day(90), item.CompletedOn);

        item.ChangeStatus(InitiativeStatus.InProgress, Day(95));
        Assert.Null(item.CompletedOn);
    }

    [Theory]
    [InlineData(InitiativeStatus.Cancelled)]
    [InlineData(InitiativeStatus.Suspended)]
    [InlineData(InitiativeStatus.Completed)]
    public void Progress_cannot_be_reported_on_an_inactive_item(InitiativeStatus status)
    {
        var item = new InitiativeBuilder().Status(status).Build();

        var ex = Assert.Throws<DomainException>(() => item.ApplyReport(ReportOf(item, (1, 10m)), Day(10)));

        Assert.Equal("no-progress", ex.Code);
        Assert.False(item.AcceptsReports);
        Assert.Null(item.LastReportedOn);
    }

    [Fact]
    public void First_report_moves_a_planned_item_to_in_progress()
    {
        var item = new InitiativeBuilder().Build();

        item.ApplyReport(ReportOf(item, (1, 10m)), Day(3));

        Assert.Equal(InitiativeStatus.InProgress, item.Status);
    }

    [Fact]
    public void Report_updates_targets_phase_milestones_and_progress()
    {
        var item = new InitiativeBuilder()
            .WithTarget(1, baseline: 0, target: 200)
            .WithTarget(2, baseline: 40, target: 0)
            .WithMilestone(7, Day(20))
            .WithMilestone(8, Day(60))
            .Build();
        var report = ReportOf(item, (1, 100m), (2, 0m));
        report.Phase = Phase.MainStructureDone;
        report.MilestonesAchieved = [7];

        item.ApplyReport(report, Day(18));

        Assert.Equal(100m, item.Targets[0].CurrentValue);
        Assert.Equal(0m, item.Targets[1].CurrentValue);
        Assert.Equal(Phase.MainStructureDone, item.Phase);
        Assert.Equal(Day(18), item.Milestones[0].AchievedOn);
        Assert.Null(item.Milestones[1].AchievedOn);
        Assert.Equal(Day(60), item.NextMilestoneDue);
        Assert.Equal(0.75m, item.Progress);
        Assert.Equal(0.75m, report.ProgressAfter);
        Assert.Equal(report.ReportedAt, item.LastReportedAt);
        Assert.Equal(Day(18), item.LastReportedOn);
        Assert.Equal(Day(18), report.ReportedOn);
    }

    [Fact]
    public void Target_left_out_of_a_report_keeps_its_last_value()
    {
        var item = new InitiativeBuilder().WithTarget(1, 0, 100).WithTarget(2, 0, 100).Build();
        item.ApplyReport(ReportOf(item, (1, 40m), (2, 60m)), Day(5));

        item.ApplyReport(ReportOf(item, (1, 80m)), Day(6));

        Assert.Equal(60m, item.Targets[1].CurrentValue);
        Assert.Equal(0.7m, item.Progress);
    }

    [Fact]
    public void Milestone_reported_achieved_again_keeps_the_day_it_was_first_achieved()
    {
        var item = new InitiativeBuilder().WithMilestone(7, Day(20)).Build();
        var first = ReportOf(item);
        first.MilestonesAchieved = [7];
        item.ApplyReport(first, Day(18));

        var again = ReportOf(item);
        again.MilestonesAchieved = [7];
        item.ApplyReport(again, Day(25));

        Assert.Equal(Day(18), item.Milestones[0].AchievedOn);
    }

    [Fact]
    public void Report_naming_a_target_of_another_initiative_is_refused()
    {
        var item = new InitiativeBuilder().WithTarget(1, 0, 100).Build();

        var ex = Assert.Throws<DomainException>(() => item.ApplyReport(ReportOf(item, (99, 10m)), Day(3)));

        Assert.Equal("target", ex.Code);
        Assert.Equal(InitiativeStatus.Planned, item.Status);
        Assert.Null(item.LastReportedOn);
    }

    [Fact]
    public void Report_naming_a_milestone_of_another_initiative_is_refused()
    {
        var item = new InitiativeBuilder().WithMilestone(7, Day(20)).Build();
        var report = ReportOf(item);
        report.MilestonesAchieved = [99];

        var ex = Assert.Throws<DomainException>(() => item.ApplyReport(report, Day(3)));

        Assert.Equal("milestone", ex.Code);
    }

    [Fact]
    public void Refused_report_leaves_the_targets_and_milestones_as_they_were()
    {
        var item = new InitiativeBuilder().WithTarget(1, 0, 100).WithMilestone(7, Day(20)).Build();
        var report = ReportOf(item, (1, 50m), (99, 10m));
        report.MilestonesAchieved = [7];

        Assert.Throws<DomainException>(() => item.ApplyReport(report, Day(3)));

        Assert.Null(item.Targets[0].CurrentValue);
        Assert.Null(item.Milestones[0].AchievedOn);
    }

    [Theory]
    [InlineData(InitiativeKind.Rectification, Phase.Started)]
    [InlineData(InitiativeKind.Rectification, Phase.Completed)]
    [InlineData(InitiativeKind.KeyProject, Phase.Rectified)]
    [InlineData(InitiativeKind.Livelihood, Phase.Verified)]
    [InlineData(InitiativeKind.CivilizedCity, Phase.MainStructureDone)]
    public void Report_in_a_phase_not_of_the_kind_is_refused(InitiativeKind kind, Phase phase)
    {
        var item = new InitiativeBuilder().Kind(kind).Build();
        var report = ReportOf(item, (1, 10m));
        report.Phase = phase;

        var ex = Assert.Throws<DomainException>(() => item.ApplyReport(report, Day(3)));

        Assert.Equal("phase", ex.Code);
        Assert.Equal(Phases.First(kind), item.Phase);
    }

    [Theory]
    [InlineData(InitiativeKind.Rectification, Phase.Rectifying)]
    [InlineData(InitiativeKind.KeyProject, Phase.MainStructureDone)]
    [InlineData(InitiativeKind.Renovation, Phase.InOperation)]
    [InlineData(InitiativeKind.CivilizedCity, Phase.Completed)]
    public void Report_in_a_phase_of_the_kind_is_accepted(InitiativeKind kind, Phase phase)
    {
        var item = new InitiativeBuilder().Kind(kind).Build();
        var report = ReportOf(item, (1, 10m));
        report.Phase = phase;

        item.ApplyReport(report, Day(3));

        Assert.Equal(phase, item.Phase);
    }

    [Fact]
    public void Refresh_sets_the_next_milestone_to_the_earliest_unachieved_one()
    {
        var item = new InitiativeBuilder()
            .WithMilestone(1, Day(30))
            .WithMilestone(2, Day(10))
            .WithMilestone(3, Day(20))
            .Build();
        Assert.Equal(Day(10), item.NextMilestoneDue);

        item.Milestones.Single(m => m.Id == 2).AchievedOn = Day(9);
        item.Refresh();

        Assert.Equal(Day(20), item.NextMilestoneDue);
    }

    [Fact]
    public void Refresh_clears_the_next_milestone_once_all_are_achieved()
    {
        var item = new InitiativeBuilder().WithMilestone(1, Day(10)).Build();

        item.Milestones[0].AchievedOn = Day(10);
        item.Refresh();

        Assert.Null(item.NextMilestoneDue);
    }
}
