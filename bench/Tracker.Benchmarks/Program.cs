// Benchmark of the reminder sweep against the raw set-based SQL of BASELINES.md (docs/benchmarks.md).
// Usage: dotnet run -c Release --project bench/Tracker.Benchmarks -- [sizes...]   (default 10000 25000 50000 100000)
//        dotnet run -c Release --project bench/Tracker.Benchmarks -- sheets [import rows] [export rows]   (default 10000 1000000)
//        dotnet run -c Release --project bench/Tracker.Benchmarks -- dispatch [items]   (default 1000000)
//        dotnet run -c Release --project bench/Tracker.Benchmarks -- programme [items] [members]   (default 1000000 10000)
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tracker.Benchmarks;
using Tracker.Web.Infrastructure;

const int WarmUpSize = 5_000;
var sheets = args.FirstOrDefault() == "sheets";
var dispatch = args.FirstOrDefault() == "dispatch";
var programme = args.FirstOrDefault() == "programme";
var sizes = sheets || dispatch || programme ? [] : args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [10_000, 25_000, 50_000, 100_000];
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var ct = cancel.Token;

static void Log(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

// One throwaway server (fsync off, deleted on exit) with a fresh database per size.
var dataDirectory = Path.Combine(Path.GetTempPath(), $"tracker-bench-{Guid.NewGuid():N}"[..26]);
await using var server = await LocalPostgres.StartAsync(dataDirectory, "postgres", ephemeral: true, NullLogger.Instance, ct);
string serverVersion;
await using (var connection = new NpgsqlConnection(server.ConnectionString))
{
    await connection.OpenAsync(ct);
    await using var version = new NpgsqlCommand("SELECT current_setting('server_version') || ', shared_buffers ' || current_setting('shared_buffers') || ', work_mem ' || current_setting('work_mem')", connection);
    serverVersion = (string)(await version.ExecuteScalarAsync(ct))!;
}
Log($"PostgreSQL {serverVersion} on port {server.Port} in {dataDirectory}; {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}");

if (dispatch || programme)
{
    var items = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
    var members = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000;
    var figures = dispatch
        ? await new DispatchBenchmark(server.ConnectionString).RunAsync(items, Log, ct)
        : await new ProgrammeBenchmark(server.ConnectionString).RunAsync(items, members, Log, ct);
    Console.WriteLine("| what | time | per operation | peak managed | peak working set |");
    Console.WriteLine("| --- | --- | --- | --- | --- |");
    foreach (var f in figures)
        Console.WriteLine($"| {f.What} | {f.Elapsed.TotalSeconds:F2} s | {f.Elapsed.TotalMilliseconds / f.Rows:F3} ms | " +
            $"{f.Peaks.ManagedBytes / 1048576.0:F0} MB | {f.Peaks.WorkingSetBytes / 1048576.0:F0} MB |");
    Console.WriteLine($"PostgreSQL {serverVersion}; {Environment.ProcessorCount} cores.");
    return;
}

if (sheets)
{
    var importRows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
    var exportRows = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000;
    var figures = await new SheetBenchmark(server.ConnectionString).RunAsync(importRows, exportRows, Log, ct);
    Console.WriteLine("| what | time | rows/s | bytes | peak managed | peak working set |");
    Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
    foreach (var f in figures)
        Console.WriteLine($"| {f.What} | {f.Elapsed.TotalSeconds:F2} s | {f.Rows / f.Elapsed.TotalSeconds:N0} | {f.Bytes / 1048576.0:F1} MB | " +
            $"{f.Peaks.ManagedBytes / 1048576.0:F0} MB | {f.Peaks.WorkingSetBytes / 1048576.0:F0} MB |");
    Console.WriteLine($"PostgreSQL {serverVersion}; {Environment.ProcessorCount} cores.");
    return;
}

var benchmark = new SweepBenchmark(server.ConnectionString, DateTimeOffset.UtcNow);
// A small run first, so that JIT and EF's query compilation are not charged to the first size.
Log($"warm-up with {WarmUpSize:N0} items");
await benchmark.RunAsync(WarmUpSize, "bench_warmup", _ => { }, ct);

var results = new List<SizeResult>();
foreach (var (size, index) in sizes.Select((size, index) => (size, index)))
{
    Log($"size {size:N0}");
    var result = await benchmark.RunAsync(size, $"bench_{index}_{size}", Log, ct);
    results.Add(result);
    Console.Error.WriteLine(Report.Statements(result));
}

using var self = Process.GetCurrentProcess();
Console.WriteLine();
Console.WriteLine(Report.Table(results));
Console.WriteLine();
Console.WriteLine($"PostgreSQL {serverVersion}; {Environment.ProcessorCount} cores; " +
    $"process at the end: working set {Environment.WorkingSet / 1048576.0:F0} MB, peak working set {self.PeakWorkingSet64 / 1048576.0:F0} MB.");
