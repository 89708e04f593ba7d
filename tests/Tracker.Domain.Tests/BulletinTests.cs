
namespace Tracker.Domain.Tests;

public sealed class BulletinTests
{
    [Fact]
    public void A_daily_bulletin_covers_its_day()
    {
        Assert.Equal(new BulletinPeriod(new(2026, 6, 15), new(2026, 6, 15), "2026-06-15"), BulletinPeriod.Of(BulletinKind.Daily, new(2026, 6, 15)));
    }

    [Theory]
    [InlineData("2026-06-15", "2026-06-08", "2026-06-14", "2026-W24")]   // a Monday: the week before
    [InlineData("2026-06-17", "2026-06-08", "2026-06-14", "2026-W24")]   // a Wednesday (issued late): still the last whole week
    [InlineData("2026-06-21", "2026-06-08", "2026-06-14", "2026-W24")]   // a Sunday: the week that ends today is not whole yet
    [InlineData("2027-01-04", "2026-12-28", "2027-01-03", "2026-W53")]   // ISO week-year across the new year
    public void A_weekly_bulletin_covers_the_last_whole_week(string issued, string from, string to, string key)
    {
        var period = BulletinPeriod.Of(BulletinKind.Weekly, DateOnly.Parse(issued));
        Assert.Equal((DateOnly.Parse(from), DateOnly.Parse(to), key), (period.From, period.To, period.Key));
    }

    [Theory]
    [InlineData("2026-07-01", "2026-06-01", "2026-06-30", "2026-06")]
    [InlineData("2027-01-01", "2026-12-01", "2026-12-31", "2026-12")]
    [InlineData("2026-03-01", "2026-02-01", "2026-02-28", "2026-02")]
    public void A_monthly_bulletin_covers_the_month_before(string issued, string from, string to, string key)
    {
        var period = BulletinPeriod.Of(BulletinKind.Monthly, DateOnly.Parse(issued));
        Assert.Equal((DateOnly.Parse(from), DateOnly.Parse(to), key), (period.From, period.To, period.Key));
    }

    [Fact]
    public void A_special_bulletin_has_no_period() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BulletinPeriod.Of(BulletinKind.Special, new(2026, 6, 15)));

    [Fact]
    public void Bulletins_are_numbered_per_year() => Assert.Equal("2026年第12期", BulletinRules.NumberText(2026, 12));

    [Fact]
    public void Newly_listed_items_are_those_not_in_the_previous_bulletin_in_their_order()
    {
        Assert.Equal([5L, 1L], BulletinRules.Newly([5, 3, 1], [3, 9]));
        Assert.Equal([5L, 3L], BulletinRules.Newly([5, 3], null));
    }

    [Theory]
    [InlineData(3, 5, 2, "↑2")]
    [InlineData(4, 1, -3, "↓3")]
    [InlineData(2, 2, 0, "—")]
    [InlineData(1, null, null, "新")]
    public void A_departments_move_in_the_ranking_is_shown_against_the_previous_bulletin(int rank, int? before, int? change, string text)
    {
        Assert.Equal(change, BulletinRules.RankChange(rank, before));
        Assert.Equal(text, BulletinRules.RankChangeText(change));
    }
}
