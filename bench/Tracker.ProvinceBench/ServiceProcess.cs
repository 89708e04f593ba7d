using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Tracker.ProvinceBench;

/// <summary>
/// The real service, built in Release and run as its own process on 127.0.0.1 against the bench's database: it migrates,
/// seeds (Development: the demo users) and serves as `dotnet Tracker.Web.dll` does. The Hangfire server is off so that
/// no job competes with the measured requests.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    public const string DemoPassword = "Demo-2026-tracker";

    private readonly Process? _process;
    private readonly string _logFile;

    private ServiceProcess(Process? process, Uri baseAddress, string logFile)
    {
        _process = process;
        BaseAddress = baseAddress;
        _logFile = logFile;
    }

    public Uri BaseAddress { get; }

    /// <summary>A service this one did not start (the local cluster's proxy): signed in to, never stopped.</summary>
    public static ServiceProcess At(Uri baseAddress, string logFile) => new(null, baseAddress, logFile);

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Tracker.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Tracker.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>`dotnet build -c Release src/Tracker.Web` (incremental: seconds when nothing changed); returns the dll.</summary>
    public static async Task<string> BuildAsync(string root, CancellationToken ct)
    {
        var build = new ProcessStartInfo("dotnet", ["build", "-c", "Release", "--nologo", "-v", "q", Path.Combine(root, "src", "Tracker.Web")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        using var process = Process.Start(build)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet build failed:\n{await output}\n{await errors}");
        var dll = Path.Combine(root, "src", "Tracker.Web", "bin", "Release", "net10.0", "Tracker.Web.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} not found after the build.");
    }

    public static async Task<ServiceProcess> StartAsync(string dll, string root, string connectionString, string logFile, CancellationToken ct)
    {
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,   // the content root: seed/ is found from here
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";   // the demo users exist only there
        // Logged as in production: Development's per-request information lines would cost more than some requests.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        start.Environment["ConnectionStrings__Tracker"] = connectionString;
        start.Environment["Urls"] = url.ToString().TrimEnd('/');
        start.Environment["Tracker__Seed"] = "true";
        start.Environment["Tracker__Reminders__Server"] = "false";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the service.");
        var log = new StreamWriter(logFile) { AutoFlush = true };
        var gate = new object();
        void Append(string? line)
        {
            if (line is null) return;
            lock (gate) log.WriteLine(line);
        }
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Exited += (_, _) => { lock (gate) log.Dispose(); };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new ServiceProcess(process, url, logFile);
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The service exited with code {process.ExitCode}; see {logFile}.");
            try
            {
                using var health = await http.GetAsync("/health", ct);
                if (health.StatusCode == HttpStatusCode.OK)
                    return service;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            if (deadline.Elapsed > TimeSpan.FromMinutes(5))
            {
                await service.DisposeAsync();
                throw new TimeoutException($"The service did not answer /health within 5 minutes; see {logFile}.");
            }
            await Task.Delay(250, ct);
        }
    }

    /// <summary>A bearer token from POST /api/auth/login.</summary>
    public async Task<string> TokenAsync(string email, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        using var response = await http.PostAsJsonAsync("/api/auth/login", new { email, password = DemoPassword }, ct);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>The sign-in cookie (as a Cookie header) from POST /api/auth/login?useCookies=true, as the pages take it.</summary>
    public async Task<string> CookieAsync(string email, CancellationToken ct)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = BaseAddress };
        using var response = await http.PostAsJsonAsync("/api/auth/login?useCookies=true", new { email, password = DemoPassword }, ct);
        response.EnsureSuccessStatusCode();
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]).ToList() : [];
        return cookies.Count > 0 ? string.Join("; ", cookies) : throw new InvalidOperationException($"No cookie for {email}.");
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (_process is null)
            return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    public override string ToString() => $"{BaseAddress} (log {_logFile})";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
