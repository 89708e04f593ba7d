using System.Globalization;
using System.Text;

namespace Tracker.ProvinceBench;

public sealed record BenchOptions(
    IReadOnlyList<(int Items, long Reports)> Sizes, IReadOnlyList<int> Connections, TimeSpan WarmUp, TimeSpan Duration,
    IReadOnlySet<string> Only, string Output, bool Keep, TimeSpan Hold, bool Cluster = false, IReadOnlyList<int>? Instances = null)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var keep = false;
        var cluster = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--keep") { keep = true; continue; }
            if (args[i] == "--cluster") { cluster = true; continue; }
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Unexpected argument {args[i]}. Options: --items 10000,1000000 --reports 100000,10000000 "
                    + "--connections 2,32 --warmup 5 --duration 10 --only board,page-official --out artifacts/province-bench.md --keep --hold 600 "
                    + "--cluster --instances 1,2,3");
            values[args[i][2..]] = args[++i];
        }
        static long[] Numbers(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => long.Parse(t.Replace("_", ""), CultureInfo.InvariantCulture))];
        var items = Numbers(values.GetValueOrDefault("items", "10000,1000000"));
        // Ten reports an item unless told otherwise.
        var reports = values.TryGetValue("reports", out var r) ? Numbers(r) : [.. items.Select(n => n * 10)];
        if (reports.Length != items.Length)
            throw new ArgumentException("--items and --reports need as many sizes each.");
        return new BenchOptions(
            [.. items.Zip(reports, (n, m) => ((int)n, m))],
            [.. Numbers(values.GetValueOrDefault("connections", "2,32")).Select(n => (int)n)],
            TimeSpan.FromSeconds(double.Parse(values.GetValueOrDefault("warmup", "5"), CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(double.Parse(values.GetValueOrDefault("duration", "10"), CultureInfo.InvariantCulture)),
            values.TryGetValue("only", out var only) ? only.Split(',').ToHashSet(StringComparer.Ordinal) : new HashSet<string>(),
            values.GetValueOrDefault("out", cluster ? "artifacts/province-cluster-bench.md" : "artifacts/province-bench.md"),
            keep,
            TimeSpan.FromSeconds(double.Parse(values.GetValueOrDefault("hold", "0"), CultureInfo.InvariantCulture)),
            cluster,
            [.. Numbers(values.GetValueOrDefault("instances", "1,2,3")).Select(n => (int)n)]);
    }
}

public sealed record Row(int Items, Endpoint Endpoint, int Connections, LoadResult Service, double RawPerSecond)
{
    public double Ratio => Service.PerSecond / RawPerSecond;
    public double RatioTarget => Endpoint.IsPost ? 0.30 : 0.25;

    /// <summary>Median under 50 ms with 2 connections (lists and pages), and the share of the raw throughput kept.</summary>
    public bool Met => Service.Errors == 0 && Ratio >= RatioTarget && (Endpoint.IsPost || Connections != 2 || Service.MedianMs < 50);
}

public sealed record SizeInfo(int Items, LoadedData Data, string DatabaseSize, TimeSpan LoadTime, TimeSpan Elapsed, string LoadAverage);

public static class BenchReport
{
    /// <summary>A page is flat when its median at the largest size is within 1.5× (or 2 ms) of the smallest size's.</summary>
    public const double FlatFactor = 1.5;

    // No figure (nothing finished inside the window) shows as a dash.
    private static string Ms(double value, string format = "F1") => double.IsNaN(value) || double.IsInfinity(value) ? "—" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Markdown(IReadOnlyList<Row> rows, IReadOnlyList<SizeInfo> sizes, BenchOptions options, string server, TimeSpan total, DateOnly today)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Province bench, {DateTime.Now:yyyy-MM-dd HH:mm} (today {today:yyyy-MM-dd}); PostgreSQL {server}; "
            + $"{Environment.ProcessorCount} cores; {options.WarmUp.TotalSeconds:F0} s warm-up + {options.Duration.TotalSeconds:F0} s per figure; {total.TotalMinutes:F1} min in all.");
        s.AppendLine();
        foreach (var size in sizes)
        {
            var d = size.Data;
            s.AppendLine(CultureInfo.InvariantCulture, $"- {d.Items:N0} items ({d.Overdue:N0} overdue), {d.Reports:N0} reports, {d.Targets:N0} targets, {d.Milestones:N0} milestones, "
                + $"{d.Jurisdictions:N0} jurisdictions, {d.Departments:N0} departments: loaded (COPY + rebuild + VACUUM ANALYZE) in {size.LoadTime.TotalSeconds:F0} s, "
                + $"database {size.DatabaseSize}; this size took {size.Elapsed.TotalMinutes:F1} min (machine load average at its end: {size.LoadAverage}).");
        }
        s.AppendLine();
        s.AppendLine("| items | endpoint | conns | median ms | p95 ms | req/s | raw tx/s | ratio | target met |");
        s.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var r in rows)
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Items:N0} | {r.Endpoint.Label} | {r.Connections} | {Ms(r.Service.MedianMs)} | {Ms(r.Service.P95Ms)} | {r.Service.PerSecond:F0} | {Ms(r.RawPerSecond, "F0")} | {Ms(r.Ratio, "P1")} | "
                + $"{(r.Met ? "yes" : "**no**")}{(r.Service.Errors > 0 ? $" ({r.Service.Errors} errors: {r.Service.FirstError})" : "")} |");

        var smallest = sizes.Count > 0 ? sizes.Min(x => x.Items) : 0;
        var largest = sizes.Count > 0 ? sizes.Max(x => x.Items) : 0;
        var connections = options.Connections.Min();
        if (smallest != largest)
        {
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"Growth from {smallest:N0} to {largest:N0} items (median at {connections} connections; flat: within {FlatFactor}× or 2 ms):");
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"| endpoint | median ms at {smallest:N0} | median ms at {largest:N0} | growth | flat |");
            s.AppendLine("| --- | ---: | ---: | ---: | --- |");
            foreach (var label in rows.Select(r => r.Endpoint.Label).Distinct())
            {
                var small = rows.FirstOrDefault(r => r.Endpoint.Label == label && r.Items == smallest && r.Connections == connections);
                var large = rows.FirstOrDefault(r => r.Endpoint.Label == label && r.Items == largest && r.Connections == connections);
                if (small is null || large is null)
                    continue;
                var growth = large.Service.MedianMs / small.Service.MedianMs;
                var flat = growth <= FlatFactor || large.Service.MedianMs - small.Service.MedianMs <= 2;
                s.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Ms(small.Service.MedianMs)} | {Ms(large.Service.MedianMs)} | {Ms(growth)}× | {(flat ? "yes" : "**no**")} |");
            }
        }
        s.AppendLine();
        s.AppendLine("Targets: lists and pages under 50 ms at the median with 2 connections and at least 25% of the raw query's throughput; "
            + "report posts at least 30%; every page flat from the smallest size to the largest.");
        return s.ToString();
    }
}
