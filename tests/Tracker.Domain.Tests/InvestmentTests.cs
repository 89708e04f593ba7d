namespace Tracker.Domain.Tests;

public sealed class InvestmentTests
{
    [Fact]
    public void A_years_plan_is_spread_over_the_months_from_start_to_end_and_cumulated()
    {
        var curve = Investment.Curve(2020,
            [new PlannedSpread(new(2020, 1, 10), new(2020, 12, 31), 120m), new PlannedSpread(new(2020, 9, 1), new(2020, 10, 31), 40m)],
            [(new DateOnly(2020, 1, 1), 5m), (new DateOnly(2020, 2, 1), 15m), (new DateOnly(2019, 12, 1), 99m)]);

        Assert.Equal(12, curve.Count);
        Assert.Equal((10m, 10m), (curve[0].Planned, curve[0].CumulativePlanned));
        Assert.Equal((30m, 110m), (curve[8].Planned, curve[8].CumulativePlanned));
        Assert.Equal(160m, curve[11].CumulativePlanned);
        // Last year's month is not this year's work.
        Assert.Equal((5m, 20m, 20m), (curve[0].CumulativeCompleted, curve[1].CumulativeCompleted, curve[11].CumulativeCompleted));
    }

    [Fact]
    public void A_project_whose_dates_reach_outside_the_year_plans_within_it()
    {
        var curve = Investment.Curve(2020,
            [new PlannedSpread(new(2018, 3, 1), new(2023, 6, 30), 12m), new PlannedSpread(new(2021, 2, 1), new(2021, 6, 1), 7m)], []);

        Assert.All(curve.Take(11), p => Assert.Equal(1m, p.Planned));
        // Planned this year though dated next: all of it in December.
        Assert.Equal((8m, 19m), (curve[11].Planned, curve[11].CumulativePlanned));
    }

    [Fact]
    public void Over_fulfilment_of_a_years_plan_is_shown_as_it_is() =>
        Assert.Equal(126m, RollUp.Achieved(Investment.Curve(2020, [new PlannedSpread(new(2020, 1, 1), new(2020, 12, 31), 200m)],
            [(new DateOnly(2020, 5, 1), 252m)])[11].CumulativeCompleted, 200m));
}
