using System.Text;

namespace Tracker.Benchmarks;

/// <summary>Markdown for the results: the summary table, the details, and where one sweep's time went.</summary>
public static class Report
{
    private const double MiB = 1024 * 1024;

    public static string Table(IReadOnlyList<SizeResult> results)
    {
        var s = new StringBuilder();
        s.AppendLine("| size | candidates | reminders created | sweep (s) | reminders/s | second run (s) | raw SQL (s) | sweep / raw | peak managed MB | peak working set MB |");
        s.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            var first = r.First.Result;
            var seconds = r.First.Elapsed.TotalSeconds;
            s.AppendLine($"| {r.Size:N0} | {first?.Candidates.ToString("N0") ?? "failed"} | {first?.RemindersCreated.ToString("N0") ?? "—"} " +
                $"| {seconds:F2}{(first is null ? " (failed)" : r.Buffered ? " †" : "")} | {(first is null ? "—" : (first.RemindersCreated / seconds).ToString("N0"))} " +
                $"| {r.Second.Elapsed.TotalSeconds:F2}{(r.Second.Result is null ? " (failed)" : "")} | {r.Raw.First.TotalSeconds:F3} " +
                $"| {seconds / r.Raw.First.TotalSeconds:F1}× | {r.Peaks.ManagedBytes / MiB:F0} | {r.Peaks.WorkingSetBytes / MiB:F0} |");
        }
        if (results.Any(r => r.Buffered))
            s.AppendLine("\n† The sweep as it is in src/ failed at this size (see \"as is\" below); measured with its candidate query read to the end before the first write (CandidateBuffer), as the proposed fix would.");
        s.AppendLine();
        s.AppendLine("| size | as is | load (s) | notices raised | digests | second run created | escalation day (s) | notices escalated | raw rows | raw rows/s | raw again, all exist (s) |");
        s.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
            s.AppendLine($"| {r.Size:N0} | {(r.AsIs is { } a ? $"fails after {a.Elapsed.TotalSeconds:F2} s: {a.Error?.Split(':')[0]}" : "ok")} | {r.Load.TotalSeconds:F1} | {r.First.Result?.NoticesRaised.ToString("N0") ?? "—"} | {r.First.Result?.Digests.ToString("N0") ?? "—"} " +
                $"| {r.Second.Result?.RemindersCreated.ToString("N0") ?? "—"} | {r.Escalation.Elapsed.TotalSeconds:F2}{(r.Escalation.Result is null ? " (failed)" : "")} | {r.Escalation.Result?.NoticesEscalated.ToString("N0") ?? "—"} " +
                $"| {r.Raw.Rows:N0} | {r.Raw.Rows / r.Raw.First.TotalSeconds:N0} | {r.Raw.Again.TotalSeconds:F3} |");
        return s.ToString();
    }

    /// <summary>The statements of the sweeps of one size, slowest first, and what was left for the client.</summary>
    public static string Statements(SizeResult r)
    {
        var s = new StringBuilder();
        foreach (var (name, run) in new[] { ("first", r.First), ("second", r.Second), ("escalation-day", r.Escalation) })
        {
            var database = run.Statements.Sum(x => x.Execute.TotalSeconds);
            s.AppendLine($"  {name} sweep of {r.Size:N0}: {run.Elapsed.TotalSeconds:F2} s wall, {run.Statements.Sum(x => x.Count):N0} commands, " +
                $"{database:F2} s until results (the rest is the client, and streamed reads)");
            s.AppendLine("  | statement | count | until result (s) | reader open (s) |");
            s.AppendLine("  | --- | ---: | ---: | ---: |");
            foreach (var x in run.Statements.Take(12))
                s.AppendLine($"  | `{x.Statement}` | {x.Count:N0}{(x.Failed > 0 ? $" ({x.Failed} failed)" : "")} | {x.Execute.TotalSeconds:F3} | {x.ReaderOpen.TotalSeconds:F3} |");
            s.AppendLine("  longest client work between two commands:");
            foreach (var g in run.Gaps)
                s.AppendLine($"    {g.Idle.TotalSeconds:F3} s after `{g.After[..Math.Min(50, g.After.Length)]}` before `{g.Before[..Math.Min(50, g.Before.Length)]}`");
        }
        return s.ToString();
    }
}
