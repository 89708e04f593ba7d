using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Tracker.Web.Infrastructure.Web;

/// <summary>Charts drawn as SVG on the server: nothing to download, readable without script, printable.</summary>
public static partial class Charts
{
    public sealed record Point(DateOnly On, decimal Progress);

    /// <summary>
    /// Progress (0–1) over time: each report's figure as a step line, against the straight line from the
    /// planned start to the deadline that the lag rule compares with.
    /// </summary>
    public static IHtmlContent ProgressOverTime(IReadOnlyList<Point> points, DateOnly start, DateOnly deadline, DateOnly today, string title, string expectedLabel)
    {
        const int width = 640, height = 240, left = 44, right = 12, top = 12, bottom = 28;
        var first = new[] { start, points.Count > 0 ? points.Min(p => p.On) : start }.Min();
        var last = new[] { deadline, today, points.Count > 0 ? points.Max(p => p.On) : deadline }.Max();
        var span = Math.Max(1, last.DayNumber - first.DayNumber);
        double X(DateOnly d) => left + (double)(d.DayNumber - first.DayNumber) / span * (width - left - right);
        double Y(decimal p) => top + (1 - (double)Math.Clamp(p, 0, 1)) * (height - top - bottom);
        static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        var enc = HtmlEncoder.Default;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{enc.Encode(title)}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{enc.Encode(title)}</title>");
        foreach (var tick in new[] { 0m, 0.25m, 0.5m, 0.75m, 1m })
            svg.Append(CultureInfo.InvariantCulture,
                $"<line class=\"grid\" x1=\"{left}\" x2=\"{width - right}\" y1=\"{F(Y(tick))}\" y2=\"{F(Y(tick))}\"/><text class=\"axis\" x=\"{left - 6}\" y=\"{F(Y(tick) + 4)}\" text-anchor=\"end\">{tick:P0}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{left}\" y=\"{height - 8}\">{first:yyyy-MM-dd}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{width - right}\" y=\"{height - 8}\" text-anchor=\"end\">{last:yyyy-MM-dd}</text>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<line class=\"expected\" x1=\"{F(X(start))}\" y1=\"{F(Y(0))}\" x2=\"{F(X(deadline))}\" y2=\"{F(Y(1))}\"><title>{enc.Encode(expectedLabel)}</title></line>");
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"today\" x1=\"{F(X(today))}\" x2=\"{F(X(today))}\" y1=\"{top}\" y2=\"{height - bottom}\"/>");

        if (points.Count > 0)
        {
            var path = new StringBuilder($"M{F(X(start))},{F(Y(0))}");
            foreach (var p in points.OrderBy(p => p.On))
                path.Append(CultureInfo.InvariantCulture, $" H{F(X(p.On))} V{F(Y(p.Progress))}");
            svg.Append(CultureInfo.InvariantCulture, $"<path class=\"actual\" d=\"{path}\"/>");
            foreach (var p in points)
                svg.Append(CultureInfo.InvariantCulture,
                    $"<circle class=\"point\" cx=\"{F(X(p.On))}\" cy=\"{F(Y(p.Progress))}\" r=\"3.5\"><title>{p.On:yyyy-MM-dd}: {p.Progress:P0}</title></circle>");
        }
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }
}
