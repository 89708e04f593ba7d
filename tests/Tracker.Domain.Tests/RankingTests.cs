namespace Tracker.Domain.Tests;

public sealed class RankingTests
{
    private static UnitStanding Unit(string name, int due = 10, int onTime = 8, decimal progressSum = 5m, int red = 0, int dueToStart = 4, int started = 4,
        decimal planned = 100m, decimal completed = 80m, int items = 10) =>
        new(name.Length, name, items, due, onTime, progressSum, red, dueToStart, started, planned, completed);

    [Fact]
    public void Districts_rank_on_on_time_rate_then_progress_then_fewer_reds_then_start_and_investment()
    {
        var ranked = Ranking.Rank([
            Unit("b", onTime: 9),
            Unit("cc", red: 2),
            Unit("ddd", started: 3),
            Unit("eeee", completed: 90m),
            Unit("fffff", progressSum: 6m),
        ]);

        Assert.Equal(["b", "fffff", "eeee", "ddd", "cc"], ranked.Select(r => r.Unit.Name));
        Assert.Equal([1, 2, 3, 4, 5], ranked.Select(r => r.Rank));
        Assert.Equal((90m, 0.5m, 75m, 80m), (ranked[0].Unit.OnTimeRate, ranked[0].Unit.AverageProgress, ranked[3].Unit.StartRate, ranked[4].Unit.InvestmentRate));
    }

    [Fact]
    public void Units_equal_on_every_figure_share_a_rank_and_one_with_nothing_due_comes_after()
    {
        var ranked = Ranking.Rank([Unit("x"), Unit("y"), Unit("z", due: 0, onTime: 0), Unit("w", onTime: 7)]);

        Assert.Equal([("x", 1), ("y", 1), ("w", 3), ("z", 4)], ranked.Select(r => (r.Unit.Name, r.Rank)));
        Assert.Null(ranked[3].Unit.OnTimeRate);
    }
}
