using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Tracker.Web.Infrastructure.Web;

public static partial class Charts
{
    /// <summary>One month of a programme's investment: <paramref name="Month"/> is the first day of the month;
    /// <paramref name="Planned"/> and <paramref name="Completed"/> are cumulative totals in yuan to the end of it.</summary>
    public sealed record MonthFigure(DateOnly Month, decimal Planned, decimal Completed);

    private const decimal Yi = 100_000_000m;

    /// <summary>
    /// Investment by month as an S-curve: cumulative planned investment (dashed) over every month given, against
    /// cumulative completed investment (solid) up to and including the month of today, in 亿元.
    /// </summary>
    public static IHtmlContent InvestmentCurve(IReadOnlyList<MonthFigure> months, DateOnly today, string title, string plannedLabel, string completedLabel)
    {
        const int width = 640, height = 260, left = 52, right = 12, top = 30, bottom = 28;
        var ordered = months.OrderBy(m => m.Month).ToList();
        var slot = (double)(width - left - right) / Math.Max(1, ordered.Count);
        var (max, step) = NiceAxis(ordered.Count > 0 ? ordered.Max(m => Math.Max(m.Planned, m.Completed)) / Yi : 0m);
        double X(int i) => left + (i + 0.5) * slot;
        double Y(decimal yuan) => top + (1 - (double)(Math.Clamp(yuan / Yi, 0, max) / max)) * (height - top - bottom);
        static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        static string Amount(decimal yuan) => (yuan / Yi).ToString("0.#", CultureInfo.InvariantCulture);
        var enc = HtmlEncoder.Default;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" data-test=\"investment-curve\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{enc.Encode(title)}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{enc.Encode(title)}</title>");
        for (var tick = 0m; tick <= max; tick += step)
        {
            var y = F(Y(tick * Yi));
            svg.Append(CultureInfo.InvariantCulture,
                $"<line class=\"grid\" x1=\"{left}\" x2=\"{width - right}\" y1=\"{y}\" y2=\"{y}\"/><text class=\"axis\" x=\"{left - 6}\" y=\"{F(Y(tick * Yi) + 4)}\" text-anchor=\"end\">{tick.ToString(step < 0.1m ? "0.########" : "0.#", CultureInfo.InvariantCulture)}亿</text>");
        }
        for (var i = 0; i < ordered.Count; i++)
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{F(X(i))}\" y=\"{height - 8}\" text-anchor=\"middle\">{ordered[i].Month.Month}月</text>");

        // Legend, top-left: a dashed line for the plan and a solid one for what is done.
        var second = left + 28 + LabelWidth(plannedLabel) + 16;
        svg.Append(CultureInfo.InvariantCulture,
            $"<line class=\"expected\" x1=\"{left}\" x2=\"{left + 22}\" y1=\"14\" y2=\"14\"/><text class=\"axis\" x=\"{left + 28}\" y=\"18\">{enc.Encode(plannedLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<line class=\"actual\" x1=\"{F(second)}\" x2=\"{F(second + 22)}\" y1=\"14\" y2=\"14\"/><text class=\"axis\" x=\"{F(second + 28)}\" y=\"18\">{enc.Encode(completedLabel)}</text>");

        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var todayAt = ordered.FindIndex(m => m.Month.Year == today.Year && m.Month.Month == today.Month);
        if (todayAt >= 0)
        {
            var x = F(left + (todayAt + (today.Day - 0.5) / DateTime.DaysInMonth(today.Year, today.Month)) * slot);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"today\" x1=\"{x}\" x2=\"{x}\" y1=\"{top}\" y2=\"{height - bottom}\"/>");
        }

        if (ordered.Count > 0)
        {
            var planned = string.Join(' ', ordered.Select((m, i) => $"{F(X(i))},{F(Y(m.Planned))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"expected\" points=\"{planned}\"><title>{enc.Encode(plannedLabel)}</title></polyline>");
        }

        var done = ordered.Select((m, i) => (m, i)).Where(p => p.m.Month <= thisMonth).ToList();
        if (done.Count > 0)
        {
            var completed = string.Join(' ', done.Select(p => $"{F(X(p.i))},{F(Y(p.m.Completed))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"actual\" points=\"{completed}\"><title>{enc.Encode(completedLabel)}</title></polyline>");
            foreach (var (m, i) in done)
                svg.Append(CultureInfo.InvariantCulture,
                    $"<circle class=\"point\" cx=\"{F(X(i))}\" cy=\"{F(Y(m.Completed))}\" r=\"3.5\"><title>{m.Month:yyyy-MM}: {Amount(m.Completed)}亿 / 计划 {Amount(m.Planned)}亿</title></circle>");
        }
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    /// <summary>The smallest of 1, 2, 2.5 or 5 × 10^k (in 亿) at or above <paramref name="largest"/>, and a step
    /// giving four or five intervals; 1亿 when there is nothing to show.</summary>
    private static (decimal Max, decimal Step) NiceAxis(decimal largest)
    {
        if (largest <= 0)
            return (1m, 0.2m);
        var power = 1m;
        while (power > largest)
            power /= 10;
        while (power * 10 <= largest)
            power *= 10;
        foreach (var (mantissa, step) in new[] { (1m, 0.2m), (2m, 0.5m), (2.5m, 0.5m), (5m, 1m), (10m, 2m) })
            if (mantissa * power >= largest)
                return (mantissa * power, step * power);
        return (10m * power, 2m * power);
    }

    /// <summary>Roughly how wide a label is at the axis font size: CJK characters are about square, others narrower.</summary>
    private static double LabelWidth(string label) => label.Sum(c => c >= '\u2E80' ? 11.0 : 6.5);
}
