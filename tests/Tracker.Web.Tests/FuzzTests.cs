using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tracker.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Tracker.Web.Tests;

/// <summary>
/// Issue 11: every operation of the service's own OpenAPI document, sent malformed in every way
/// <see cref="OpenApiFuzzer"/> knows, by every person of the access matrix. No answer may be a 5xx, and a refused
/// request may change no table (<see cref="FuzzRunner"/> says how that is checked without a fingerprint per request).
/// The run is seeded (TRACKER_FUZZ_SEED runs another seed): what is sent depends only on the seed and on who gets past
/// authorization with each operation's valid request. The whole report, with the counts by status class, person and
/// operation, goes to the test output and to fuzz-report.txt beside the test assembly.
/// </summary>
public sealed partial class FuzzTests(FuzzWorld fuzz, ITestOutputHelper output) : IClassFixture<FuzzWorld>
{
    private const int MinimumRequests = 10_000;
    private const int DefaultSeed = 11;

    /// <summary>Refused requests that change a table by design, and why.</summary>
    private static readonly (string Operation, int Status, string Table, string Why)[] AllowedRefusalWrites =
    [
        ("POST /api/auth/login", 401, "public.users",
            "Identity counts a failed sign-in on the account (access_failed_count, then lockout_end): the lockout the service asks for."),
        ("POST /api/auth/login", 401, "public.audit_log", "The audit trail records that change of the account."),
        ("POST /api/auth/login", 401, "public.user_sessions", "A lockout ends the account's open sessions (decision 10)."),
    ];

    [Fact]
    public async Task Malformed_requests_from_every_role_never_get_a_5xx_and_a_refused_one_changes_no_table()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TRACKER_FUZZ_SEED"), out var s) ? s : DefaultSeed;
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var document = JsonNode.Parse(await fuzz.Client("anonymous").GetStringAsync("/openapi/v1.json"))!;
        var fuzzer = new OpenApiFuzzer(document, fuzz, seed);
        var operations = fuzzer.Operations();
        var cases = fuzzer.Generate();
        var generated = clock.Elapsed;
        Assert.True(operations.Count >= 50, $"The OpenAPI document lists only {operations.Count} operations.");
        Assert.All(operations, op => Assert.Contains(cases, c => c.Operation == op));

        var runner = new FuzzRunner(fuzz, Allowed);
        var seq = 0;
        var people = MatrixRequests.People;

        // 1. Every operation's valid request, as everyone: who gets past authorization is who the malformed ones go to.
        var probe = cases.Where(c => c.Location == FuzzCase.Baseline).SelectMany(c => people.Select(who => new FuzzRequest(seq++, c, who))).ToList();
        await runner.RunAsync([.. probe.Where(r => !r.Case.IsRead)]);
        await runner.RunAsync([.. probe.Where(r => r.Case.IsRead)]);
        var reach = runner.Results.Where(r => !r.Replay).GroupBy(r => r.Request.Case.Operation).ToDictionary(g => g.Key,
            g => g.Where(r => r.Status is not (401 or 403 or 404 or 405)).Select(r => r.Request.Who).Distinct().ToList());

        // 2. Each malformed case goes to one person who gets past authorization and one who does not (seeded picks).
        //    Reads, cheap to check, also go to more of those who get past it, as many as it takes to send MinimumRequests
        //    (and 2% more); writes too, if the reads cannot make up the number.
        var random = new Random(seed);
        var malformed = cases.Where(c => c.Location != FuzzCase.Baseline).ToList();
        int Outside(FuzzCase c) => Math.Min(reach[c.Operation].Count == 0 ? 2 : 1, people.Length - reach[c.Operation].Count);
        int Room(FuzzCase c) => Math.Max(0, reach[c.Operation].Count - 1);
        var needed = MinimumRequests * 51 / 50 - probe.Count - malformed.Sum(c => Math.Min(1, reach[c.Operation].Count) + Outside(c));
        var readRoom = malformed.Where(c => c.IsRead).Sum(Room);
        var writeRoom = malformed.Where(c => !c.IsRead).Sum(Room);
        var readShare = readRoom == 0 ? 0 : Math.Clamp((double)needed / readRoom, 0, 1);
        var writeShare = writeRoom == 0 ? 0 : Math.Clamp((double)(needed - readRoom) / writeRoom, 0, 1);
        var requests = new List<FuzzRequest>();
        foreach (var c in malformed)
        {
            var inside = reach[c.Operation].OrderBy(_ => random.Next()).ToList();
            var outside = people.Except(inside).OrderBy(_ => random.Next()).ToList();
            var share = c.IsRead ? readShare : writeShare;
            var take = inside.Take(1).Concat(inside.Skip(1).Where(_ => random.NextDouble() < share));
            requests.AddRange(take.Concat(outside.Take(Outside(c))).Select(who => new FuzzRequest(seq++, c, who)));
        }
        var writes = requests.Where(r => !r.Case.IsRead).OrderBy(_ => random.Next()).ToList();
        var reads = requests.Where(r => r.Case.IsRead).OrderBy(_ => random.Next()).ToList();
        var planned = clock.Elapsed;

        // 3. The writes, then the reads (which then see whatever the writes left).
        await runner.RunAsync(writes);
        var written = clock.Elapsed;
        await runner.RunAsync(reads);
        var elapsed = clock.Elapsed;
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        var results = runner.Results;
        // A request answered 5xx twice (sent again while looking for a write) is listed once.
        var failures = results.Where(r => r.Status is >= 500 or 0).DistinctBy(r => r.Request.Seq).Select(r => new Offence(r, [], null)).ToList();
        var changes = runner.Changes.Where(c => !c.Allowed).Select(c => new Offence(c.Result, c.Tables, c.How)).ToList();
        var allowed = runner.Changes.Where(c => c.Allowed).Select(c => new Offence(c.Result, c.Tables, c.How)).ToList();

        var summary = new StringBuilder();
        summary.AppendLine($"Fuzz run, seed {seed}: {operations.Count} operations, {cases.Count:N0} cases, {results.Count:N0} requests " +
            $"({probe.Count} probes, {writes.Count:N0} writes, {reads.Count:N0} reads, {runner.Replays:N0} sent again; each malformed case to one person " +
            $"who gets past authorization and one who does not, and to {readShare:P0} of the others who get past it for reads, {writeShare:P0} for writes) in {elapsed.TotalSeconds:N1} s (generating {generated.TotalSeconds:N1} s, " +
            $"probing {(planned - generated).TotalSeconds:N1} s, writes {(written - planned).TotalSeconds:N1} s, reads {(elapsed - written).TotalSeconds:N1} s); " +
            $"{runner.Batches:N0} batches ({runner.DirtyBatches:N0} changed tables), {runner.Fingerprints:N0} fingerprints taking {runner.FingerprintTime.TotalSeconds:N1} s; " +
            $"{cpu.TotalSeconds:N1} s of CPU in the test process; {fuzz.Errors.Logged:N0} exceptions logged at Error. Setting up took " +
            $"{fuzz.SetUp.World.TotalSeconds:N1} s (PostgreSQL, database, access world) + {fuzz.SetUp.Ids.TotalSeconds:N1} s (the fuzz's ids).");
        summary.AppendLine();
        summary.AppendLine(CountTable(results));
        summary.AppendLine(Causes(failures));
        var offences = Groups("Answers 5xx (or no answer)", failures) + "\n" + Groups("Refused requests that changed tables", changes);

        var report = new StringBuilder(summary.ToString());
        report.AppendLine(offences);
        report.AppendLine(Groups("Refused requests that changed tables by design (allowed: "
            + string.Join(" ", AllowedRefusalWrites.Select(a => $"{a.Operation} {a.Status} may change {a.Table}: {a.Why}")) + ")", allowed));
        report.AppendLine(AcceptedMalformed(results));
        report.AppendLine(ProbeMatrix(results.Where(r => r.Request.Seq < probe.Count && !r.Replay).ToList()));
        report.AppendLine(ByOperation(results));
        report.AppendLine("Writes accepted, by operation and person:\n" + runner.AcceptedPairs());
        report.AppendLine("\nThe slowest answers:\n" + string.Join("\n", results.OrderByDescending(r => r.Took).Take(20).Select(r =>
            $"  {r.Took.TotalMilliseconds,7:N0} ms  {r.Request.Case.Operation} | {r.Request.Case.Kind} | {r.Request.Who} → {r.Status}")));
        var file = Path.Combine(AppContext.BaseDirectory, "fuzz-report.txt");
        await File.WriteAllTextAsync(file, report.ToString());
        output.WriteLine(report.ToString());
        output.WriteLine($"Report written to {file}");

        Assert.True(probe.Count + requests.Count >= MinimumRequests, $"Only {probe.Count + requests.Count:N0} requests were planned.");
        // The check of refused requests is only worth something if the fingerprint sees writes: accepted ones must show.
        Assert.True(runner.DirtyBatches > 0, "No batch changed any table: the fingerprint does not see writes.");
        Assert.True(failures.Count == 0 && changes.Count == 0,
            $"{failures.Count:N0} requests were answered 5xx (or not at all) and {changes.Count:N0} refused requests changed tables " +
            $"(the full report is in {file}, with the malformed writes the service accepted: a 5xx of a read may come from " +
            $"what one of them stored).\n\n{summary}\n{offences}");
    }

    /// <summary>A request that broke a rule: a 5xx, or a refusal after which <paramref name="Tables"/> had changed.</summary>
    private sealed record Offence(FuzzResult Result, IReadOnlyList<string> Tables, string? How);

    private static bool Allowed(FuzzResult result, IReadOnlyList<string> tables) => tables.All(t => AllowedRefusalWrites.Any(a =>
        a.Operation == result.Request.Case.Operation && a.Status == result.Status && a.Table == t));

    private static string CountTable(List<FuzzResult> results)
    {
        string[] classes = ["2xx", "3xx", "4xx", "5xx", "no answer"];
        var sb = new StringBuilder();
        sb.AppendLine($"{"",-16}{string.Join("", classes.Select(c => $"{c,10}"))}{"total",10}");
        foreach (var (who, rows) in MatrixRequests.People.Select(p => (p, results.Where(r => r.Request.Who == p).ToList())).Append(("all", results)))
            sb.AppendLine($"{who,-16}{string.Join("", classes.Select(c => $"{rows.Count(r => r.StatusClass == c),10:N0}"))}{rows.Count,10:N0}");
        sb.AppendLine("Statuses: " + string.Join(", ", results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count():N0}")));
        return sb.ToString();
    }

    private static string ByOperation(List<FuzzResult> results)
    {
        var sb = new StringBuilder("Statuses by operation (probes and replays included):\n");
        foreach (var g in results.GroupBy(r => r.Request.Case.Operation).OrderBy(g => g.Key[(g.Key.IndexOf(' ') + 1)..]).ThenBy(g => g.Key))
            sb.AppendLine($"  {g.Key,-48} {g.Count(),6:N0}  " + string.Join(", ", g.GroupBy(r => r.Status).OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Count()}")));
        return sb.ToString();
    }

    /// <summary>The 5xx answers by what was thrown (numbers blurred), each cause with the operations, where in the service,
    /// and the malformations (with where they were put) that led there.</summary>
    private static string Causes(List<Offence> failures)
    {
        var sb = new StringBuilder($"== Answers 5xx by cause: {failures.Count:N0} requests ==\n");
        foreach (var cause in failures.GroupBy(f => Cause(f.Result)).OrderByDescending(g => g.Count()))
        {
            sb.AppendLine($"{cause.Count(),5}× {Cut(Thrown(cause.First().Result).Text, 400)}");
            foreach (var op in cause.GroupBy(f => f.Result.Request.Case.Operation).OrderBy(g => g.Key))
            {
                var frames = op.Select(f => Thrown(f.Result).Frame).Where(f => f.Length > 0).Distinct().ToList();
                sb.AppendLine($"         {op.Key}{(frames.Count > 0 ? $" [{string.Join("; ", frames)}]" : "")}: " + string.Join("; ",
                    op.GroupBy(f => f.Result.Request.Case.Malformation).Select(m =>
                        $"{m.Key} ({string.Join(", ", m.Select(f => f.Result.Request.Case.Location).Distinct().Order())}) ×{m.Count()}")));
            }
        }
        return sb.ToString();
    }

    /// <summary>What a 5xx was: what was thrown (or the problem document's words), and where, if known.</summary>
    private static (string Text, string Frame) Thrown(FuzzResult r)
    {
        if (r.Exception is not { } e)
            return ($"{r.Status} {r.Title} {r.Detail}".Trim(), "");
        var at = e.IndexOf(" [at ", StringComparison.Ordinal);
        return at < 0 ? (e, "") : (e[..at], e[(at + 2)..^1]);
    }

    private static string Cause(FuzzResult r) => Blur(Thrown(r).Text);

    /// <summary>
    /// Offending requests grouped by operation, malformation, status and cause, the groups of one operation together;
    /// each group names where the malformation was put, what was thrown (or the problem document), and lists its requests.
    /// </summary>
    private static string Groups(string heading, List<Offence> rows)
    {
        var sb = new StringBuilder();
        var groups = rows
            .GroupBy(r => (r.Result.Request.Case.Operation, r.Result.Request.Case.Malformation, r.Result.Status,
                Cause: r.Result.Exception is null ? Blur($"{r.Result.Title} {r.Result.Detail}") : Cause(r.Result),
                Tables: string.Join(", ", r.Tables)))
            .OrderBy(g => g.Key.Operation[(g.Key.Operation.IndexOf(' ') + 1)..]).ThenBy(g => g.Key.Operation).ThenBy(g => g.Key.Malformation)
            .ToList();
        sb.AppendLine($"== {heading}: {rows.Count:N0} requests in {groups.Count} groups (operation, then malformation | status) ==");
        foreach (var operation in groups.GroupBy(g => g.Key.Operation))
        {
            sb.AppendLine($"{operation.Key}  ({operation.Sum(g => g.Count())} requests)");
            foreach (var g in operation)
            {
                var first = g.First().Result;
                var locations = g.Select(r => r.Result.Request.Case.Location).Distinct().Order();
                sb.AppendLine($"  | {g.Key.Malformation} | {g.Key.Status} | ×{g.Count()} at {string.Join(", ", locations)}");
                sb.AppendLine(first.Exception is { } e ? $"      thrown: {Cut(e, 800)}" : $"      problem: {first.Title} {Cut(first.Detail ?? "", 300)}");
                if (g.Key.Tables.Length > 0)
                    sb.AppendLine($"      tables changed: {g.Key.Tables} ({g.First().How})");
                foreach (var r in g.OrderBy(r => r.Result.Request.Seq))
                    sb.AppendLine($"      {r.Result.Request.Describe()}{(r.Result.Replay ? " (sent again)" : "")} → {r.Result.Status}  " +
                        $"{OpenApiFuzzer.Excerpt(r.Result.Request.Case.Body, 160)}");
            }
        }
        return sb.ToString();
    }

    /// <summary>The malformed writes the service accepted (not a failure, but what they stored is what later requests read).</summary>
    private static string AcceptedMalformed(List<FuzzResult> results)
    {
        var accepted = results.Where(r => r.MayWrite && !r.Replay && r.Request.Case.Location != FuzzCase.Baseline).ToList();
        var sb = new StringBuilder($"== Malformed writes the service accepted (2xx): {accepted.Count:N0} ==\n");
        foreach (var op in accepted.GroupBy(r => r.Request.Case.Operation).OrderBy(g => g.Key[(g.Key.IndexOf(' ') + 1)..]).ThenBy(g => g.Key))
            sb.AppendLine($"{op.Key} ({op.Count()}): " + string.Join("; ", op.GroupBy(r => r.Request.Case.Malformation).OrderBy(m => m.Key)
                .Select(m => $"{m.Key} ({string.Join(", ", m.Select(r => r.Request.Case.Location).Distinct().Order())})")));
        return sb.ToString();
    }

    /// <summary>What each person got for each operation's valid request: the malformed ones go to those who got past authorization.</summary>
    private static string ProbeMatrix(List<FuzzResult> probe)
    {
        var sb = new StringBuilder($"Valid requests (the probe), {string.Join(" ", MatrixRequests.People.Select(p => p[..Math.Min(5, p.Length)].PadLeft(6)))}\n");
        foreach (var op in probe.GroupBy(r => r.Request.Case.Operation).OrderBy(g => g.Key[(g.Key.IndexOf(' ') + 1)..]).ThenBy(g => g.Key))
            sb.AppendLine($"  {op.Key,-52}" + string.Join(" ", MatrixRequests.People.Select(p => $"{op.FirstOrDefault(r => r.Request.Who == p)?.Status,6}")));
        return sb.ToString();
    }

    private static string Blur(string s) => Digits().Replace(s, "N");

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max] + "…";

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
