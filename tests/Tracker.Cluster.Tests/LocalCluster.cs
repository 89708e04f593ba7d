using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Tracker.Cluster.Tests;

/// <summary>
/// The cluster of deploy/local-cluster, started and stopped by its own script (so the script is what is tested), with the
/// ports, processes and connection strings it wrote to <c>cluster.env</c>.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _script;

    private LocalCluster(string script, string data, IReadOnlyDictionary<string, string> values)
    {
        _script = script;
        Data = data;
        Proxy = new Uri(values["PROXY_URL"]);
        Primary = values["PRIMARY"];
        Replica = values["REPLICA_DIRECT"];
        InstancePorts = [.. values["INSTANCE_PORTS"].Split(' ').Select(int.Parse)];
        InstancePids = [.. values["INSTANCE_PIDS"].Split(' ').Select(int.Parse)];
    }

    public string Data { get; }
    public Uri Proxy { get; }

    /// <summary>Straight to the primary, not through pgbouncer: what the test checks is what was committed.</summary>
    public string Primary { get; }

    /// <summary>Straight to the replica.</summary>
    public string Replica { get; }

    public IReadOnlyList<int> InstancePorts { get; }
    public IReadOnlyList<int> InstancePids { get; }

    public static async Task<LocalCluster> StartAsync(int instances, IReadOnlyDictionary<string, string> settings)
    {
        var repository = Repository();
        var script = Path.Combine(repository, "deploy", "local-cluster", "run");
        var data = Path.Combine(Path.GetTempPath(), $"tracker-cluster-{Guid.NewGuid():N}"[..24]);
        var configuration = typeof(LocalCluster).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var (exit, output) = await RunAsync(script, ["start", "--data", data, "--instances", $"{instances}", "--config", configuration, "--ephemeral"],
            settings, TimeSpan.FromMinutes(4));
        if (exit != 0)
        {
            await RunAsync(script, ["stop", "--data", data], new Dictionary<string, string>(), TimeSpan.FromMinutes(1));
            DeleteData(data);
            throw new InvalidOperationException($"The cluster did not start (exit {exit}):{Environment.NewLine}{output}");
        }
        var values = File.ReadAllLines(Path.Combine(data, "cluster.env"))
            .Select(line => line.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1].Trim('"'));
        return new LocalCluster(script, data, values);
    }

    /// <summary>The last lines each process logged, for a failure's message.</summary>
    public string LogTails(int lines = 25)
    {
        var text = new StringBuilder();
        foreach (var log in Directory.EnumerateFiles(Data, "log", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Data, "*.log", SearchOption.AllDirectories)).Order())
        {
            text.AppendLine($"--- {Path.GetRelativePath(Data, log)}");
            try
            {
                foreach (var line in File.ReadLines(log).TakeLast(lines))
                    text.AppendLine(line);
            }
            catch (IOException e)
            {
                text.AppendLine(e.Message);
            }
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync(_script, ["stop", "--data", Data], new Dictionary<string, string>(), TimeSpan.FromMinutes(1));
        DeleteData(Data);
    }

    private static void DeleteData(string data)
    {
        try
        {
            if (Directory.Exists(data))
                Directory.Delete(data, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in the temporary folder; nothing runs from it any more.
        }
    }

    private static string Repository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Tracker.sln")))
                return directory.FullName;
        throw new InvalidOperationException($"No Tracker.sln above {AppContext.BaseDirectory}.");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string script, string[] arguments, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in settings)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        lock (output)
            return (process.ExitCode, output.ToString());
    }
}
