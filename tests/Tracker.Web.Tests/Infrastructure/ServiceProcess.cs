using System.Diagnostics;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>The service's own program (Tracker.Web.dll, copied beside the tests) run as a process, as an operator runs it.</summary>
public static class ServiceProcess
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Tracker.Web.dll"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (name, value) in settings)
            start.Environment[name] = value;
        return start;
    }

    /// <summary>Runs it to its end: the exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, IReadOnlyDictionary<string, string> settings)
    {
        using var process = Process.Start(StartInfo(arguments, settings))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`Tracker.Web {string.Join(' ', arguments)}` did not end: {await stdout}{await stderr}");
        }
        return (process.ExitCode, $"{await stdout}{await stderr}");
    }
}
