using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Tracker.ProvinceBench;

/// <summary>
/// The ideal raw query of an endpoint (a file in raw/), run by pgbench on the same database:
/// <c>pgbench -n -f FILE -c N -j 2 -T S -M prepared -D name=value…</c>; answers its transactions per second.
/// </summary>
public sealed partial class RawBaseline(string connectionString, IReadOnlyDictionary<string, string> variables)
{
    private readonly Dictionary<(string, int), double> _done = [];

    public static string Pgbench()
    {
        var packaged = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin", "pgbench"))
            : [];
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "pgbench"));
        return packaged.Concat(onPath).FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("pgbench not found (apt-get install -y postgresql).");
    }

    public async Task<double> TransactionsPerSecondAsync(string file, int clients, TimeSpan duration, CancellationToken ct)
    {
        if (_done.TryGetValue((file, clients), out var known))
            return known;
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Pgbench())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "-n", "-f", file, "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, 2).ToString(CultureInfo.InvariantCulture),
            "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-M", "prepared",
            "-h", cs.Host!, "-p", cs.Port.ToString(CultureInfo.InvariantCulture), "-U", cs.Username!,
        })
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in variables)
        {
            start.ArgumentList.Add("-D");
            start.ArgumentList.Add($"{name}={value}");
        }
        start.ArgumentList.Add(cs.Database!);
        start.Environment["PGPASSWORD"] = cs.Password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var text = await output + await errors;
        var tps = Tps().Match(text);
        // No transaction in the window (a machine too busy to even connect all clients in time) reads as no figure, not as 0.
        if (process.ExitCode == 0 && text.Contains("number of transactions actually processed: 0", StringComparison.Ordinal))
            return _done[(file, clients)] = double.NaN;
        if (process.ExitCode != 0 || !tps.Success)
            throw new InvalidOperationException($"pgbench on {Path.GetFileName(file)} failed (exit {process.ExitCode}):\n{text}");
        var perSecond = double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture);
        return _done[(file, clients)] = perSecond > 0 ? perSecond : double.NaN;
    }

    /// <summary>
    /// Waits (at most <paramref name="limit"/>) until no other session runs a statement in the database: requests the load
    /// generator abandoned at the end of its window may still be running in the service, and would take pgbench's cores.
    /// </summary>
    public async Task<TimeSpan> WaitUntilIdleAsync(TimeSpan limit, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var busy = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()", connection);
        while ((long)(await busy.ExecuteScalarAsync(ct))! > 0 && waited.Elapsed < limit)
            await Task.Delay(200, ct);
        return waited.Elapsed;
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}
