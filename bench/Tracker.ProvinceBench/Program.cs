// Province-scale benchmark: each list endpoint, each role's page and report posts of the real service (Release, its own
// process) next to the ideal raw query run by pgbench on the same data (docs/benchmarks.md, "Province scale").
// Usage: dotnet run -c Release --project bench/Tracker.ProvinceBench -- [--items 10000,1000000] [--reports 100000,10000000]
//        [--connections 2,32] [--warmup 5] [--duration 10] [--only board,page-official] [--out artifacts/province-bench.md]
//        [--cluster --instances 1,2,3]: the board and report posts through deploy/local-cluster's nginx instead (ClusterBench)
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tracker.Domain;
using Tracker.ProvinceBench;
using Tracker.Web.Data;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var options = BenchOptions.Parse(args);
using var cancel = new CancellationTokenSource();
// Ctrl-C or SIGTERM stops the run and still stops the service and PostgreSQL (.NET 10 raises no ProcessExit on a bare SIGTERM).
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; cancel.Cancel(); });
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cancel.Cancel(); });
var ct = cancel.Token;
var total = Stopwatch.StartNew();
static void Log(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

var root = ServiceProcess.RepositoryRoot();
var rawFolder = Path.Combine(AppContext.BaseDirectory, "raw");
Log("building the service (Release)");
var dll = await ServiceProcess.BuildAsync(root, ct);

if (options.Cluster)
{
    // The board and report posts through deploy/local-cluster's proxy with 1, 2, 3 instances (docs/benchmarks.md).
    var clusterOffice = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    var clusterToday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, clusterOffice).DateTime);
    Console.WriteLine(await ClusterBench.RunAsync(options, root, clusterToday, Log, ct));
    Log($"{total.Elapsed.TotalMinutes:F1} min in all");
    return;
}

// As BASELINES.md measured: shared_buffers 512 MB, fsync on (and commits waiting for it, as a real server does).
var settings = new Dictionary<string, string>
{
    ["shared_buffers"] = "512MB",
    ["fsync"] = "on",
    ["synchronous_commit"] = "on",
    ["full_page_writes"] = "on",
    ["max_wal_size"] = "8GB",
    ["checkpoint_timeout"] = "30min",
};
var dataDirectory = Path.Combine(Path.GetTempPath(), $"tracker-province-{Guid.NewGuid():N}"[..28]);
await using var server = await LocalPostgres.StartAsync(dataDirectory, "postgres", ephemeral: true, NullLogger.Instance, ct, settings);
var serverInfo = await ScalarAsync<string>(server.ConnectionString,
    "SELECT current_setting('server_version') || ', shared_buffers ' || current_setting('shared_buffers') || ', fsync ' || current_setting('fsync') || ', work_mem ' || current_setting('work_mem')", ct);
Log($"PostgreSQL {serverInfo} on port {server.Port} in {dataDirectory}");

var office = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, office).DateTime);
var rows = new List<Row>();
var sizes = new List<SizeInfo>();

foreach (var (items, reports) in options.Sizes)
{
    var sizeClock = Stopwatch.StartNew();
    var database = $"province_{items}";
    await ExecuteAsync(server.ConnectionString, $"DROP DATABASE IF EXISTS {database}; CREATE DATABASE {database}", ct);
    var cs = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database }.ConnectionString;

    Log($"size {items:N0} items / {reports:N0} reports: starting the service (it migrates and seeds); load average {LoadAverage()}");
    var logFile = Path.Combine(root, "artifacts", $"province-bench-service-{items}.log");
    Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
    await using var service = await ServiceProcess.StartAsync(dll, root, cs, logFile, ct);
    Log($"service at {service}");

    Log("loading by binary COPY");
    var data = await ProvinceData.LoadAsync(cs, items, reports, today, Log, ct);
    var rebuild = Stopwatch.StartNew();
    await using (var db = new TrackerDbContext(new DbContextOptionsBuilder<TrackerDbContext>()
        .UseNpgsql(cs, o => o.CommandTimeout(3600)).UseSnakeCaseNamingConvention().Options))
        await KeptFigures.RebuildAsync(db, new HealthContext(today, new HealthPolicy()), ct);
    Log($"KeptFigures.RebuildAsync: {rebuild.Elapsed.TotalSeconds:F1} s");
    var vacuum = Stopwatch.StartNew();
    await ExecuteAsync(cs, "VACUUM (ANALYZE)", ct);
    var dbSize = await ScalarAsync<string>(cs, "SELECT pg_size_pretty(pg_database_size(current_database()))", ct);
    Log($"VACUUM (ANALYZE): {vacuum.Elapsed.TotalSeconds:F0} s; database {dbSize}");
    var loadTime = data.Elapsed + rebuild.Elapsed + vacuum.Elapsed;

    var session = await Sessions.SignInAsync(service, cs, data, ct);
    var variables = new Dictionary<string, string>
    {
        ["city"] = data.CityId.ToString(CultureInfo.InvariantCulture),
        ["citypath"] = data.CityPath,
        ["county"] = data.CountyId.ToString(CultureInfo.InvariantCulture),
        ["countypath"] = data.CountyPath,
        ["dept"] = data.OfficialDepartmentId.ToString(CultureInfo.InvariantCulture),
        ["item"] = session.ItemId.ToString(CultureInfo.InvariantCulture),
        ["lo"] = data.FirstOfficialItem.ToString(CultureInfo.InvariantCulture),
        ["hi"] = data.LastOfficialItem.ToString(CultureInfo.InvariantCulture),
        ["today"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["year"] = today.Year.ToString(CultureInfo.InvariantCulture),
        ["official"] = "official@demo.tracker",
    };
    var raw = new RawBaseline(cs, variables);
    var endpoints = Endpoints.All(session).Where(e => options.Only.Count == 0 || options.Only.Contains(e.Raw)).ToList();

    // Every request once, so that a refused one is seen before it is measured.
    using (var probe = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(3) })
        foreach (var endpoint in endpoints)
        {
            using var message = endpoint.Request();
            var started = Stopwatch.StartNew();
            try
            {
                using var response = await probe.SendAsync(message, ct);
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                Log($"  {(int)response.StatusCode} {endpoint.Label}: {body.Length:N0} bytes, first call {started.Elapsed.TotalMilliseconds:F0} ms");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                Log($"  {endpoint.Label}: no answer after {started.Elapsed.TotalSeconds:F0} s ({e.Message})");
            }
        }

    foreach (var endpoint in endpoints)
        foreach (var connections in options.Connections)
        {
            var result = await LoadGenerator.RunAsync(service.BaseAddress, endpoint.Request, connections, options.WarmUp, options.Duration, ct);
            if (await raw.WaitUntilIdleAsync(TimeSpan.FromMinutes(3), ct) is { TotalSeconds: > 1 } waited)
                Log($"  waited {waited.TotalSeconds:F0} s for the service's abandoned requests to end");
            var tps = await raw.TransactionsPerSecondAsync(Path.Combine(rawFolder, endpoint.Raw + ".sql"), connections, options.Duration, ct);
            var row = new Row(items, endpoint, connections, result, tps);
            rows.Add(row);
            Log($"  {endpoint.Label} @{connections}: median {result.MedianMs:F1} ms, p95 {result.P95Ms:F1} ms, {result.PerSecond:F0}/s"
                + $"{(result.Errors > 0 ? $" ({result.Errors} errors, first: {result.FirstError})" : "")}; raw {tps:F0} tx/s; ratio {row.Ratio:P1}");
        }

    sizes.Add(new SizeInfo(items, data, dbSize, loadTime, sizeClock.Elapsed, LoadAverage()));
    await WriteReportAsync();
    if (options.Hold > TimeSpan.Zero)
    {
        Log($"holding for {options.Hold.TotalSeconds:F0} s: {cs}");
        await Task.Delay(options.Hold, ct);
    }
    await service.DisposeAsync();
    if (!options.Keep)
        await ExecuteAsync(server.ConnectionString, $"DROP DATABASE {database} WITH (FORCE)", ct);
}

var report = await WriteReportAsync();
Console.WriteLine(report);
Log($"written to {Path.Combine(root, options.Output)}; {total.Elapsed.TotalMinutes:F1} min in all");

// Written after each size too, so that a long run that is stopped keeps what it measured.
async Task<string> WriteReportAsync()
{
    var markdown = BenchReport.Markdown(rows, sizes, options, serverInfo, total.Elapsed, today);
    var output = Path.Combine(root, options.Output);
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    await File.WriteAllTextAsync(output, markdown, CancellationToken.None);
    return markdown;
}

// The machine may be shared: its 1/5/15-minute load average says how much else ran meanwhile.
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

static async Task ExecuteAsync(string cs, string sql, CancellationToken ct)
{
    await using var connection = new NpgsqlConnection(cs);
    await connection.OpenAsync(ct);
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
    await command.ExecuteNonQueryAsync(ct);
}

static async Task<T> ScalarAsync<T>(string cs, string sql, CancellationToken ct)
{
    await using var connection = new NpgsqlConnection(cs);
    await connection.OpenAsync(ct);
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
    return (T)(await command.ExecuteScalarAsync(ct))!;
}
