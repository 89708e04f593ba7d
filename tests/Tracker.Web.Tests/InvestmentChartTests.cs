using System.Globalization;
using System.Xml.Linq;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Tests;

public sealed class InvestmentChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static List<Charts.MonthFigure> Year(int year = 2026) =>
        [.. Enumerable.Range(1, 12).Select(m => new Charts.MonthFigure(
            new DateOnly(year, m, 1), m * 400_000_000m, m <= 6 ? m * 350_000_000m : 0m))];

    private static XElement Draw(IReadOnlyList<Charts.MonthFigure> months, DateOnly today, string title = "年度投资")
    {
        var html = Charts.InvestmentCurve(months, today, title, "计划累计", "完成累计").ToString()!;
        return XDocument.Parse(html).Root!;
    }

    private static decimal AxisMaximum(XElement svg) => svg.Elements(Svg + "text")
        .Select(t => t.Value)
        .Where(v => v.EndsWith('亿'))
        .Max(v => decimal.Parse(v.TrimEnd('亿'), CultureInfo.InvariantCulture));

    [Fact]
    public void A_year_draws_as_valid_svg_with_a_label_for_each_month()
    {
        var svg = Draw(Year(), new DateOnly(2026, 6, 15));

        Assert.Equal("investment-curve", (string?)svg.Attribute("data-test"));
        Assert.Equal("img", (string?)svg.Attribute("role"));
        var labels = svg.Elements(Svg + "text").Select(t => t.Value).Where(v => v.EndsWith('月')).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(m => $"{m}月"), labels);
        Assert.Single(svg.Elements(Svg + "line"), l => (string?)l.Attribute("class") == "today");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(6, 6)]
    [InlineData(12, 12)]
    public void Completed_is_drawn_only_up_to_the_month_of_today(int month, int expected)
    {
        var svg = Draw(Year(), new DateOnly(2026, month, 10));

        var polylines = svg.Elements(Svg + "polyline").ToList();
        var planned = polylines.Single(p => (string?)p.Attribute("class") == "expected");
        var completed = polylines.Single(p => (string?)p.Attribute("class") == "actual");
        Assert.Equal(12, ((string)planned.Attribute("points")!).Split(' ').Length);
        Assert.Equal(expected, ((string)completed.Attribute("points")!).Split(' ').Length);
        Assert.Equal(expected, svg.Elements(Svg + "circle").Count(c => (string?)c.Attribute("class") == "point"));
    }

    [Fact]
    public void Before_the_year_starts_nothing_completed_is_drawn()
    {
        var svg = Draw(Year(), new DateOnly(2025, 12, 20));

        Assert.DoesNotContain(svg.Elements(Svg + "polyline"), p => (string?)p.Attribute("class") == "actual");
        Assert.Empty(svg.Elements(Svg + "circle"));
    }

    [Fact]
    public void A_point_says_its_month_completed_and_planned_in_yi()
    {
        var months = new List<Charts.MonthFigure> { new(new DateOnly(2026, 3, 1), 1_500_000_000m, 1_250_000_000m) };

        var svg = Draw(months, new DateOnly(2026, 3, 31));

        Assert.Equal("2026-03: 12.5亿 / 计划 15亿", svg.Element(Svg + "circle")!.Element(Svg + "title")!.Value);
    }

    [Theory]
    [InlineData(4_800_000_000, 50)]
    [InlineData(5_000_000_000, 50)]
    [InlineData(5_100_000_000, 100)]
    [InlineData(230_000_000, 2.5)]
    [InlineData(12_000_000, 0.2)]
    [InlineData(0, 1)]
    public void The_axis_reaches_a_round_figure_at_or_above_the_largest_value(long largestYuan, double expectedYi)
    {
        var months = Enumerable.Range(1, 12)
            .Select(m => new Charts.MonthFigure(new DateOnly(2026, m, 1), largestYuan * m / 12m, largestYuan * m / 24m))
            .ToList();

        var max = AxisMaximum(Draw(months, new DateOnly(2026, 7, 1)));

        Assert.True(max * 100_000_000m >= largestYuan);
        Assert.Equal((decimal)expectedYi, max);
    }

    [Fact]
    public void A_completed_figure_above_the_plan_still_fits_on_the_axis()
    {
        var months = Year().Select(m => m with { Completed = m.Planned * 2 }).ToList();

        var svg = Draw(months, new DateOnly(2026, 12, 31));

        Assert.True(AxisMaximum(svg) * 100_000_000m >= months.Max(m => m.Completed));
    }

    [Fact]
    public void Markup_in_the_title_and_labels_is_encoded()
    {
        var html = Charts.InvestmentCurve(Year(), new DateOnly(2026, 6, 1), "A <b> & \"c\"", "<计划>", "完成 & 累计").ToString()!;

        var svg = XDocument.Parse(html).Root!;

        Assert.Equal("A <b> & \"c\"", svg.Element(Svg + "title")!.Value);
        Assert.Equal("A <b> & \"c\"", (string?)svg.Attribute("aria-label"));
        Assert.Contains(svg.Elements(Svg + "text"), t => t.Value == "<计划>");
        Assert.Contains(svg.Elements(Svg + "text"), t => t.Value == "完成 & 累计");
    }
}
