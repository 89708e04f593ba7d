namespace Tracker.Domain.Tests;

public sealed class RollUpTests
{
    private static readonly DateOnly Today = new(2026, 6, 15);

    private static RollUpItem Item(long id, long? parent = null, decimal weight = 1, decimal progress = 0, bool reported = true,
        InitiativeStatus status = InitiativeStatus.InProgress, Phase phase = Phase.Started, HealthColour colour = HealthColour.Green,
        DateOnly? start = null, decimal? planned = null, decimal? invested = null, bool readable = true) =>
        new(id, parent, weight, status, phase, colour, progress, reported, start ?? new DateOnly(2026, 3, 1), planned, invested, readable);

    [Fact]
    public void A_parents_progress_is_its_childrens_by_weight()
    {
        var tree = RollUp.Tree([Item(1, progress: 0.9m), Item(2, parent: 1, weight: 2, progress: 0.5m), Item(3, parent: 1, weight: 1, progress: 0.2m)]);

        Assert.Equal(0.4m, tree[1].Progress);   // (2 × 0.5 + 1 × 0.2) / 3, not the parent's own 0.9
        Assert.True(tree[1].FromChildren);
        Assert.Equal((0.5m, false), (tree[2].Progress, tree[2].FromChildren));
    }

    [Fact]
    public void Progress_rolls_up_at_depth_three()
    {
        // 1 ← 2 ← (4: 100%, 5: 0%), and 1 ← 3 (100%): 2 stands at 50%, 1 at (50% + 100%) / 2.
        var tree = RollUp.Tree([Item(1), Item(2, parent: 1), Item(3, parent: 1, progress: 1m), Item(4, parent: 2, progress: 1m), Item(5, parent: 2, progress: 0m)]);

        Assert.Equal(0.5m, tree[2].Progress);
        Assert.Equal(0.75m, tree[1].Progress);
        Assert.Equal((4, 2), (tree[1].Descendants, tree[2].Descendants));
    }

    [Fact]
    public void A_child_that_has_not_reported_counts_zero_and_is_counted_as_not_reported_at_every_level_above()
    {
        var tree = RollUp.Tree([Item(1), Item(2, parent: 1), Item(3, parent: 1, progress: 0.8m), Item(4, parent: 2, reported: false), Item(5, parent: 2, progress: 0.6m)]);

        Assert.Equal(0.3m, tree[2].Progress);           // (0 + 0.6) / 2: the silent child is in the mean, at 0
        Assert.Equal(0.55m, tree[1].Progress);          // (0.3 + 0.8) / 2
        Assert.Equal((1, 1), (tree[2].NotReported, tree[1].NotReported));
    }

    [Fact]
    public void Cancelled_and_unreadable_children_are_left_out_of_their_parents_progress()
    {
        var tree = RollUp.Tree([Item(1, progress: 0.1m), Item(2, parent: 1, progress: 0.6m), Item(3, parent: 1, status: InitiativeStatus.Cancelled),
            Item(4, parent: 1, progress: 0m, readable: false), Item(5, parent: 4, progress: 1m)]);

        Assert.Equal((0.6m, 1), (tree[1].Progress, tree[1].Descendants));
        // The unreadable child and the readable item below it are both out of the figure, and said to be.
        Assert.Equal(2, tree[1].Hidden);
        Assert.False(tree.ContainsKey(4));
    }

    [Fact]
    public void An_item_that_is_its_own_ancestor_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => RollUp.Tree([Item(1, parent: 2), Item(2, parent: 1)]));

    [Fact]
    public void Over_fulfilment_shows_as_it_is_while_the_items_own_progress_stops_at_100_percent()
    {
        Assert.Equal(126.0m, RollUp.Achieved(252, 200));
        Assert.Equal(1m, ProgressMath.Completion(0, 200, 252));
        var figures = RollUp.Figures([Item(1, progress: 1m, planned: 200, invested: 252)], Today);
        Assert.Equal((200m, 252m, 126.0m), (figures.PlannedInvestment, figures.CompletedInvestment, figures.InvestmentRate));
    }

    [Fact]
    public void Rates_leave_cancelled_items_out_and_the_start_rate_counts_only_items_due_to_start()
    {
        var later = Today.AddDays(30);
        var figures = RollUp.Figures(
        [
            Item(1, phase: Phase.Started, progress: 0.4m, colour: HealthColour.Amber),
            Item(2, phase: Phase.Preparation, reported: false, colour: HealthColour.Red),              // due to start, not started
            Item(3, phase: Phase.InOperation, status: InitiativeStatus.Completed, progress: 1m, weight: 2),
            Item(4, phase: Phase.Preparation, start: later, reported: false, colour: HealthColour.Grey), // not due to start yet
            Item(5, status: InitiativeStatus.Cancelled, phase: Phase.Preparation),
            Item(6, readable: false),
        ], Today);

        Assert.Equal((5, 1, 1), (figures.Items, figures.Cancelled, figures.Hidden));
        Assert.Equal((3, 2), (figures.DueToStart, figures.Started));
        Assert.Equal(66.7m, figures.StartRate);         // 2 of the 3 due to start
        Assert.Equal(25.0m, figures.CompletionRate);    // 1 of 4 (the cancelled one left out)
        Assert.Equal(25.0m, figures.ProductionRate);
        Assert.Equal(0.35m, figures.AverageProgress);   // (0.4 + 0 + 1 + 0) / 4
        Assert.Equal(0.48m, figures.WeightedProgress);  // (0.4 + 0 + 2 × 1 + 0) / 5
        Assert.Equal(2, figures.NotReported);
        Assert.Equal(1, figures.ByStatus[InitiativeStatus.Cancelled]);
        Assert.Equal((1, 1, 1, 1), (figures.ByColour[HealthColour.Red], figures.ByColour[HealthColour.Amber], figures.ByColour[HealthColour.Green], figures.ByColour[HealthColour.Grey]));
        Assert.Null(figures.InvestmentRate);            // nothing planned
    }

    [Fact]
    public void An_empty_set_has_no_rates() =>
        Assert.Equal((null, null, null), (RollUp.Figures([], Today).StartRate, RollUp.Figures([], Today).AverageProgress, RollUp.Figures([], Today).InvestmentRate));

    [Fact]
    public void Items_alike_given_as_one_group_give_the_same_figures_as_one_by_one()
    {
        RollUpItem[] one =
        [
            Item(1, progress: 0.2m), Item(2, progress: 0.4m), Item(3, phase: Phase.Preparation, reported: false),
            Item(4, status: InitiativeStatus.Cancelled), Item(5, readable: false), Item(6, readable: false),
        ];
        RollUpItem[] grouped =
        [
            Item(0, progress: 0.3m) with { Count = 2 }, Item(0, phase: Phase.Preparation, reported: false),
            Item(0, status: InitiativeStatus.Cancelled), Item(0, readable: false) with { Count = 2 },
        ];
        var (a, b) = (RollUp.Figures(one, Today), RollUp.Figures(grouped, Today));

        Assert.Equal((a.Items, a.Cancelled, a.Hidden, a.DueToStart, a.Started, a.NotReported), (b.Items, b.Cancelled, b.Hidden, b.DueToStart, b.Started, b.NotReported));
        Assert.Equal((a.StartRate, a.CompletionRate, a.AverageProgress, a.WeightedProgress), (b.StartRate, b.CompletionRate, b.AverageProgress, b.WeightedProgress));
        Assert.Equal(a.ByStatus.OrderBy(x => x.Key), b.ByStatus.OrderBy(x => x.Key));
    }
}

public sealed class ProgressTrendTests
{
    [Fact]
    public void A_report_sets_its_month_and_carries_the_figure_to_the_years_end_until_a_later_one()
    {
        // Starting 2026-03-02: 30% reported in April, 60% in June.
        var item = new InitiativeBuilder().WithTarget(1, 0, 100).Reported(0.3m, new DateOnly(2026, 4, 10)).Build();
        item.ApplyReport(InitiativeBuilder.ReportOf(item, (1, 60m)), new DateOnly(2026, 6, 5));

        Assert.Equal([0m, 0m, 0m, 0.3m, 0.3m, 0.6m, 0.6m, 0.6m, 0.6m, 0.6m, 0.6m, 0.6m], item.ProgressByMonth);
    }

    [Fact]
    public void A_sets_trend_is_the_average_at_each_months_end_up_to_todays_month()
    {
        // Three items: sums of their months as the query gives them.
        decimal[] sums = [0m, 0m, 0.3m, 0.9m, 1.2m, 1.5m, 1.5m, 1.5m, 1.5m, 1.5m, 1.5m, 1.5m];

        var trend = RollUp.Trend(2026, new DateOnly(2026, 6, 15), sums, 3);

        Assert.Equal(6, trend.Count);   // January to June: nothing drawn ahead of today
        Assert.Equal((new DateOnly(2026, 4, 1), 0.3m), (trend[3].Month, trend[3].AverageProgress));
        Assert.Equal(0.5m, trend[^1].AverageProgress);
        Assert.Equal(12, RollUp.Trend(2025, new DateOnly(2026, 6, 15), sums, 3).Count);   // a past year: all of it
        Assert.Empty(RollUp.Trend(2026, new DateOnly(2026, 6, 15), sums, 0));
    }
}
