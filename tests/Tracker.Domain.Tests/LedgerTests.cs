using static Tracker.Domain.Tests.InitiativeBuilder;

namespace Tracker.Domain.Tests;

public sealed class LedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private static LedgerRow Row(RectificationMode mode = RectificationMode.ByDeadline, DateOnly? deadline = null)
    {
        var row = new LedgerRow
        {
            Number = "1",
            Finding = "加油站卸油区静电接地失效",
            Category = "危化",
            Severity = LedgerSeverity.Major,
            FoundOn = Day(0),
            DepartmentId = 7,
            Mode = mode,
            Deadline = mode == RectificationMode.ByDeadline ? deadline ?? Day(10) : deadline,
        };
        row.Record("检查组", Now);
        return row;
    }

    [Fact]
    public void A_row_moves_open_rectifying_rectified_closed_and_keeps_every_step()
    {
        var row = Row();

        row.Step(LedgerStepAction.Started, "安监科", "", Day(1), Now);
        row.Step(LedgerStepAction.Rectified, "安监科", "更换接地线并检测合格", Day(3), Now);
        row.Step(LedgerStepAction.Verified, "督查室", "现场复核合格", Day(4), Now);

        Assert.Equal((LedgerRowStatus.Closed, Day(3), Day(4)), (row.Status, row.RectifiedOn, row.ClosedOn));
        Assert.Equal([LedgerStepAction.Recorded, LedgerStepAction.Started, LedgerStepAction.Rectified, LedgerStepAction.Verified],
            row.Steps.Select(s => s.Action));
    }

    [Fact]
    public void A_returned_row_reopens_even_once_closed()
    {
        var row = Row();
        row.Step(LedgerStepAction.Rectified, "安监科", "已整改", Day(2), Now);
        row.Step(LedgerStepAction.Verified, "督查室", "", Day(3), Now);

        row.Step(LedgerStepAction.Returned, "督查室", "回头看：接地线再次松脱", Day(20), Now);

        Assert.Equal((LedgerRowStatus.Open, (DateOnly?)null, (DateOnly?)null), (row.Status, row.RectifiedOn, row.ClosedOn));
        Assert.True(row.IsOverdue(Day(20)));
    }

    [Theory]
    [InlineData(LedgerStepAction.Verified)]
    [InlineData(LedgerStepAction.Returned)]
    public void An_open_row_cannot_be_verified_or_returned(LedgerStepAction action)
    {
        var row = Row();

        var refused = Assert.Throws<DomainException>(() => row.Step(action, "督查室", "理由", Day(1), Now));

        Assert.Equal((ErrorCodes.LedgerState, LedgerRowStatus.Open, 1), (refused.Code, row.Status, row.Steps.Count));
    }

    [Fact]
    public void Rectifying_and_returning_need_a_note()
    {
        var row = Row();
        Assert.Equal(ErrorCodes.LedgerNote, Assert.Throws<DomainException>(() => row.Step(LedgerStepAction.Rectified, "安监科", " ", Day(1), Now)).Code);
        row.Step(LedgerStepAction.Rectified, "安监科", "已整改", Day(1), Now);
        Assert.Equal(ErrorCodes.LedgerNote, Assert.Throws<DomainException>(() => row.Step(LedgerStepAction.Returned, "督查室", "", Day(2), Now)).Code);
    }

    [Fact]
    public void A_row_by_deadline_needs_one_not_before_it_was_found_and_one_on_the_spot_is_due_the_day_found()
    {
        Assert.Equal(ErrorCodes.LedgerDeadline, Assert.Throws<DomainException>(() =>
            new LedgerRow { Number = "2", Finding = "x", FoundOn = Day(0), Mode = RectificationMode.ByDeadline }.Record("a", Now)).Code);
        Assert.Equal(ErrorCodes.LedgerDeadline, Assert.Throws<DomainException>(() =>
            new LedgerRow { Number = "2", Finding = "x", FoundOn = Day(5), Mode = RectificationMode.ByDeadline, Deadline = Day(4) }.Record("a", Now)).Code);

        var onTheSpot = Row(RectificationMode.OnTheSpot);
        Assert.Equal(Day(0), onTheSpot.DueOn);
        Assert.False(onTheSpot.IsOverdue(Day(0)));
        Assert.True(onTheSpot.IsOverdue(Day(1)));
    }

    [Fact]
    public void Only_open_and_rectifying_rows_are_overdue()
    {
        var row = Row(deadline: Day(10));
        Assert.False(row.IsOverdue(Day(10)));
        Assert.True(row.IsOverdue(Day(11)));
        row.Step(LedgerStepAction.Rectified, "安监科", "已整改", Day(11), Now);
        Assert.False(row.IsOverdue(Day(12)));    // awaiting 销号 is the verifier's to do, not late rectification
    }

    [Fact]
    public void Targets_linked_to_the_ledger_follow_its_counts_and_move_progress_while_a_report_cannot_set_them()
    {
        var item = new InitiativeBuilder().Starting(Day(0)).Due(Day(100)).WithTarget(1, 0, 65).WithTarget(2, 65, 0).Build();
        item.Targets[0].Counts = LedgerCount.ClosedRows;
        item.Targets[1].Counts = LedgerCount.OpenRows;

        item.ApplyLedger(new LedgerTally(65, 34));

        Assert.Equal((34m, 31m), (item.Targets[0].CurrentValue, item.Targets[1].CurrentValue));
        Assert.Equal(ProgressMath.Overall(item.Targets), item.Progress);
        Assert.True(item.Progress > 0.5m);

        var report = new ProgressReport { Phase = item.Phase, ReportedBy = "a", Values = [new ReportValue { TargetId = 1, Value = 65 }] };
        Assert.Equal(ErrorCodes.TargetByLedger, Assert.Throws<DomainException>(() => item.ApplyReport(report, Day(5))).Code);
        Assert.Equal(34m, item.Targets[0].CurrentValue);
    }
}
