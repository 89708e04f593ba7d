using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Initiatives;

namespace Tracker.ProvinceBench;

/// <summary>
/// <c>--cluster</c>: the same endpoints (by default the board and report posts) through deploy/local-cluster's nginx, with
/// each instance count of <c>--instances</c>: one cluster per size started by the script with the most instances, the
/// province data loaded into its primary once, the replica caught up, then measured from the most instances down, the
/// script's <c>scale</c> stopping one instance at a time and reloading nginx; stopped after. Written to <c>--out</c>.
/// </summary>
public static class ClusterBench
{
    private sealed record Measured(int Items, int Instances, Endpoint Endpoint, int Connections, LoadResult Result, string Load);

    public static async Task<string> RunAsync(BenchOptions options, string root, DateOnly today, Action<string> log, CancellationToken ct)
    {
        var script = Path.Combine(root, "deploy", "local-cluster", "run");
        var only = options.Only.Count > 0 ? options.Only : new HashSet<string> { "board", "post-report" };
        var rows = new List<Measured>();
        var clock = Stopwatch.StartNew();
        var counts = (options.Instances ?? [1]).Distinct().OrderDescending().ToList();
        foreach (var (items, reports) in options.Sizes)
        {
            var data = Path.Combine(Path.GetTempPath(), $"tracker-cluster-bench-{Guid.NewGuid():N}"[..32]);
            log($"{items:N0} items, {counts[0]} instance(s): starting the cluster in {data}");
            var (exit, output) = await RunScriptAsync(script, ["start", "--data", data, "--instances", $"{counts[0]}", "--config", "Release"], new Dictionary<string, string>
            {
                // As the single-service benchmark: fsync on, the same memory and checkpoints.
                ["PRIMARY_SETTINGS"] = "shared_buffers = '512MB'\nmax_wal_size = '8GB'\ncheckpoint_timeout = '30min'",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            }, ct);
            try
            {
                if (exit != 0)
                    throw new InvalidOperationException($"The cluster did not start:\n{output}");
                var env = File.ReadAllLines(Path.Combine(data, "cluster.env")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1].Trim('"'));
                // The loader turns triggers off for its COPY (session_replication_role): the superuser's connection.
                var primary = env["PRIMARY_SUPERUSER"];
                log("loading by binary COPY into the primary");
                var loaded = await ProvinceData.LoadAsync(primary, items, reports, today, log, ct);
                await using (var db = new TrackerDbContext(new DbContextOptionsBuilder<TrackerDbContext>()
                    .UseNpgsql(primary, o => o.CommandTimeout(3600)).UseSnakeCaseNamingConvention().Options))
                    await KeptFigures.RebuildAsync(db, new HealthContext(today, new HealthPolicy()), ct);
                await ExecuteAsync(primary, "VACUUM (ANALYZE)", ct);
                await CatchUpAsync(primary, env["REPLICA_DIRECT"], log, ct);

                var proxy = ServiceProcess.At(new Uri(env["PROXY_URL"]), Path.Combine(data, "nginx", "access.log"));
                var session = await Sessions.SignInAsync(proxy, primary, loaded, ct);
                foreach (var instances in counts)
                {
                    if (instances < counts[0])
                    {
                        var (scaled, said) = await RunScriptAsync(script, ["scale", "--data", data, "--instances", $"{instances}"], new Dictionary<string, string>(), ct);
                        if (scaled != 0)
                            throw new InvalidOperationException($"The cluster did not scale to {instances}:\n{said}");
                    }
                    foreach (var endpoint in Endpoints.All(session).Where(e => only.Contains(e.Raw)))
                        foreach (var connections in options.Connections)
                        {
                            var result = await LoadGenerator.RunAsync(proxy.BaseAddress, endpoint.Request, connections, options.WarmUp, options.Duration, ct);
                            var load = LoadAverage();
                            rows.Add(new Measured(items, instances, endpoint, connections, result, load));
                            log($"  {endpoint.Label} ×{instances} @{connections}: median {result.MedianMs:F1} ms, p95 {result.P95Ms:F1} ms, {result.PerSecond:F0}/s"
                                + $"{(result.Errors > 0 ? $" ({result.Errors} errors, first: {result.FirstError})" : "")}; load {load}");
                        }
                }
            }
            finally
            {
                await RunScriptAsync(script, ["stop", "--data", data], new Dictionary<string, string>(), CancellationToken.None);
                if (!options.Keep)
                    try { Directory.Delete(data, recursive: true); } catch (IOException) { /* left in the temporary folder */ }
            }
            await File.WriteAllTextAsync(Output(root, options), Markdown(rows, options, clock.Elapsed), CancellationToken.None);
        }
        return Markdown(rows, options, clock.Elapsed);
    }

    private static string Output(string root, BenchOptions options)
    {
        var path = Path.Combine(root, options.Output);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    private static string Markdown(IReadOnlyList<Measured> rows, BenchOptions options, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Through deploy/local-cluster (nginx → instances → pgbouncer → primary), {Environment.ProcessorCount} CPUs, "
            + $"{options.WarmUp.TotalSeconds:F0} s warm-up, {options.Duration.TotalSeconds:F0} s measured; {elapsed.TotalMinutes:F0} min in all.");
        text.AppendLine();
        text.AppendLine("| items | instances | request | connections | median | p95 | per second | errors | load average |");
        text.AppendLine("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var r in rows)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Items:N0} | {r.Instances} | {r.Endpoint.Label} | {r.Connections} | {r.Result.MedianMs:F1} ms | {r.Result.P95Ms:F1} ms | {r.Result.PerSecond:F0} | {r.Result.Errors} | {r.Load} |");
        return text.ToString();
    }

    /// <summary>Waits until the replica has replayed what the load wrote, so that its streaming does not run during the measurement.</summary>
    private static async Task CatchUpAsync(string primary, string replica, Action<string> log, CancellationToken ct)
    {
        var target = await ScalarAsync<string>(primary, "SELECT pg_current_wal_lsn()::text", ct);
        var waited = Stopwatch.StartNew();
        while (!await ScalarAsync<bool>(replica, $"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn", ct))
            await Task.Delay(500, ct);
        log($"the replica caught up in {waited.Elapsed.TotalSeconds:F0} s");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static async Task ExecuteAsync(string cs, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> ScalarAsync<T>(string cs, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<(int ExitCode, string Output)> RunScriptAsync(string script, string[] arguments, IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        var start = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in settings)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
