using static Tracker.Domain.Tests.InitiativeBuilder;

namespace Tracker.Domain.Tests;

public class PlanChangeTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private static Initiative Started() =>
        new InitiativeBuilder().WithTarget(1, 0, 100).WithMilestone(7, Day(30)).Reported(0.2m, Day(10)).Build();

    private static PlanTerms Extended(Initiative item, int days) => PlanTerms.Of(item) with { Deadline = item.Deadline.AddDays(days) };

    [Fact]
    public void A_planned_unpublished_unreported_item_has_no_fixed_plan_and_takes_no_request()
    {
        var item = new InitiativeBuilder().Build();

        Assert.False(item.PlanFixed);
        var refused = Assert.Throws<DomainException>(() => item.RequestChange(Extended(item, 30), 5, "official", "rain", Now));
        Assert.Equal(ErrorCodes.PlanNotFixed, refused.Code);
    }

    [Fact]
    public void The_plan_is_fixed_by_the_first_report_the_start_or_publication()
    {
        Assert.True(Started().PlanFixed);
        Assert.True(new InitiativeBuilder().Status(InitiativeStatus.InProgress).Build().PlanFixed);
        var livelihood = new InitiativeBuilder().Kind(InitiativeKind.Livelihood).Build();
        livelihood.Publish(true);
        Assert.True(livelihood.PlanFixed);
    }

    [Fact]
    public void Renaming_a_target_or_a_milestone_moves_nothing_but_values_dates_and_the_sets_do()
    {
        var item = Started();
        var terms = PlanTerms.Of(item);

        Assert.Empty(terms.Moves(terms with
        {
            Targets = [terms.Targets[0] with { Metric = "改造户数", Unit = "户" }],
            Milestones = [terms.Milestones[0] with { Name = "主体完工" }],
        }));
        Assert.Equal(["Deadline"], terms.Moves(terms with { Deadline = terms.Deadline.AddDays(1) }));
        Assert.Equal(["PlannedStart"], terms.Moves(terms with { PlannedStart = terms.PlannedStart.AddDays(1) }));
        Assert.Equal(["Targets"], terms.Moves(terms with { Targets = [terms.Targets[0] with { TargetValue = 90 }] }));
        Assert.Equal(["Targets"], terms.Moves(terms with { Targets = [.. terms.Targets, new TargetPlan(null, "新增", "个", 0, 5)] }));
        Assert.Equal(["Milestones"], terms.Moves(terms with { Milestones = [terms.Milestones[0] with { PlannedOn = Day(40) }] }));
        Assert.Equal(["Milestones"], terms.Moves(terms with { Milestones = [] }));
    }

    [Fact]
    public void A_request_that_moves_nothing_is_refused()
    {
        var item = Started();

        var refused = Assert.Throws<DomainException>(() => item.RequestChange(PlanTerms.Of(item), 5, "official", "nothing", Now));

        Assert.Equal(ErrorCodes.PlanUnchanged, refused.Code);
    }

    [Fact]
    public void The_first_approval_keeps_the_fixed_plan_as_version_1_and_counts_an_extension()
    {
        var item = Started();
        var fixedDeadline = item.Deadline;
        var request = item.RequestChange(Extended(item, 30), 5, "official", "雨季停工", Now);
        Assert.Equal(ChangeRequestStatus.Pending, request.Status);
        Assert.Equal(fixedDeadline, item.Deadline);

        var versions = item.ApproveChange(request, "supervisor", "同意延期", Now);

        Assert.Equal([1, 2], versions.Select(v => v.Number));
        Assert.Equal(fixedDeadline, versions[0].Deadline);
        Assert.Null(versions[0].ChangeRequestId);
        Assert.Equal((fixedDeadline.AddDays(30), "official", "supervisor", "雨季停工"), (versions[1].Deadline, versions[1].RequestedBy, versions[1].DecidedBy, versions[1].Reason));
        Assert.Equal((fixedDeadline.AddDays(30), fixedDeadline, 1, 2), (item.Deadline, item.OriginalDeadline, item.Extensions, item.PlanVersionNumber));
        Assert.Equal(ChangeRequestStatus.Approved, request.Status);

        var second = item.RequestChange(Extended(item, 10), 5, "official", "再延", Now);
        Assert.Equal([3], item.ApproveChange(second, "supervisor", "同意", Now).Select(v => v.Number));
        Assert.Equal((fixedDeadline, 2), (item.OriginalDeadline, item.Extensions));
    }

    [Fact]
    public void An_earlier_deadline_or_a_new_target_value_is_a_version_but_not_an_extension()
    {
        var item = Started();
        var request = item.RequestChange(PlanTerms.Of(item) with { Deadline = item.Deadline.AddDays(-5), Targets = [new TargetPlan(1, "Metric 1", "units", 0, 120)] }, 5, "official", "提前", Now);

        item.ApproveChange(request, "supervisor", "同意", Now);

        Assert.Equal((0, 120m), (item.Extensions, item.Targets[0].TargetValue));
        Assert.NotNull(item.OriginalDeadline);
    }

    [Fact]
    public void An_approved_change_keeps_achieved_milestones_achieved()
    {
        var item = new InitiativeBuilder().WithTarget(1, 0, 100).WithMilestone(7, Day(30)).WithMilestone(8, Day(60)).Build();
        var report = ReportOf(item, (1, 10));
        report.MilestonesAchieved = [7];
        item.ApplyReport(report, Day(20));
        var terms = PlanTerms.Of(item);

        item.ApproveChange(item.RequestChange(terms with { Milestones = [.. terms.Milestones.Select(m => m with { PlannedOn = m.PlannedOn.AddDays(10) })] }, 5, "o", "r", Now), "s", "ok", Now);

        Assert.Equal(Day(20), item.Milestones.Single(m => m.Id == 7).AchievedOn);
        Assert.Null(item.Milestones.Single(m => m.Id == 8).AchievedOn);
        Assert.Equal(Day(70), item.NextMilestoneDue);
    }

    [Fact]
    public void A_decided_request_is_not_decided_again()
    {
        var item = Started();
        var request = item.RequestChange(Extended(item, 30), 5, "official", "r", Now);
        request.Reject("supervisor", "理由不足", Now);

        var again = Assert.Throws<DomainException>(() => item.ApproveChange(request, "supervisor", "ok", Now));

        Assert.Equal(ErrorCodes.ChangeDecided, again.Code);
        Assert.Equal(0, item.PlanVersionNumber);
    }

    [Fact]
    public void Dropping_a_reported_target_is_refused_at_the_request()
    {
        var item = Started();

        var refused = Assert.Throws<DomainException>(() => item.RequestChange(PlanTerms.Of(item) with { Targets = [new TargetPlan(null, "新", "个", 0, 5)] }, 5, "o", "r", Now));

        Assert.Equal(ErrorCodes.ReportedTarget, refused.Code);
    }

    [Fact]
    public void A_request_reminds_once_it_has_waited_the_counted_days()
    {
        var monday = new DateOnly(2026, 6, 15);

        Assert.Equal(new DateOnly(2026, 6, 12), ChangeRequest.RemindIfMadeBy(monday, WorkingCalendar.CalendarDays, 3));
        // Counting working days, three of them back from Monday reach the Wednesday before (the weekend does not count).
        Assert.Equal(new DateOnly(2026, 6, 10), ChangeRequest.RemindIfMadeBy(monday, WorkingCalendar.WorkingDays([]), 3));
        Assert.Equal(new DateOnly(2026, 6, 14), ChangeRequest.RemindIfMadeBy(monday, WorkingCalendar.WorkingDays([]), 1));   // made on Sunday: Monday is its first working day waited
    }
}
