using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MimeKit;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>
/// A real SMTP server for tests: Debian's aiosmtpd writing every message it accepts into a Maildir of its own.
/// It can be stopped and restarted on the same port, so tests can see what the app does while the mail server is down.
/// </summary>
public sealed partial class SmtpSink : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private const string InstallHint = "Install it with: apt-get install -y python3-aiosmtpd";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    // aiosmtpd does not die with the test host; a sink a test forgot to dispose must not outlive the run.
    private static readonly ConcurrentDictionary<Process, byte> Running = new();

    static SmtpSink() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Keys)
        {
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { } // Already gone.
        }
    };

    private readonly string _directory;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;
    private Socket? _reservation;
    private bool _disposed;

    private SmtpSink(string directory, Socket reservation)
    {
        _directory = directory;
        _reservation = reservation;
        Port = ((IPEndPoint)reservation.LocalEndPoint!).Port;
    }

    public string Host => "127.0.0.1";
    public int Port { get; }

    /// <summary>The Maildir (messages land in its <c>new</c> folder); useful when a test fails and the files need a look.</summary>
    public string MaildirPath => _directory;

    private string NewDirectory => Path.Combine(_directory, "new");

    public static async Task<SmtpSink> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("tracker-smtp-").FullName;
        // Made up front so Messages() and the watcher in WaitForAsync work before aiosmtpd has created them.
        foreach (var sub in new[] { "tmp", "new", "cur" })
            Directory.CreateDirectory(Path.Combine(directory, sub));
        var sink = new SmtpSink(directory, Reserve(0));
        try
        {
            await sink.LaunchAsync();
            return sink;
        }
        catch
        {
            await sink.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the server (no goodbye to connected clients), like a mail server going down. The port stays reserved.</summary>
    public async Task StopAsync()
    {
        await _gate.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await KillAsync();
            _reservation ??= Reserve(Port);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts the server again on the same port and Maildir; messages received before are still there.</summary>
    public async Task RestartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await KillAsync();
            _reservation ??= Reserve(Port);
            await LaunchAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every message received so far, parsed, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        // Maildir.add writes into tmp/ and renames into new/, so any file seen in new/ is complete.
        var files = Directory.GetFiles(NewDirectory)
            .Select(path => (Path: path, Order: ArrivalOrder(path)))
            .OrderBy(f => f.Order.Seconds).ThenBy(f => f.Order.Microseconds).ThenBy(f => f.Order.Written).ThenBy(f => f.Order.Count)
            .Select(f => f.Path);
        return [.. files.Select(path => MimeMessage.Load(path))];
    }

    /// <summary>Completes once at least <paramref name="count"/> messages have arrived.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        // aiosmtpd signals nothing when it stores a message, so the Maildir itself is watched. The semaphore is
        // deliberately not disposed: a watcher callback already in flight could otherwise hit a disposed object.
        var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(NewDirectory) { NotifyFilter = NotifyFilters.FileName };
        watcher.Created += (_, _) => changed.Release();
        watcher.Renamed += (_, _) => changed.Release();
        watcher.EnableRaisingEvents = true;
        while (true)
        {
            var messages = Messages();
            if (messages.Count >= count)
                return messages;
            var remaining = timeout - deadline.Elapsed;
            if (remaining <= TimeSpan.Zero)
                throw new TimeoutException(
                    $"Expected {count} message(s) at {Host}:{Port} within {timeout.TotalSeconds:0.#} s, got {messages.Count}: " +
                    (messages.Count == 0 ? "none" : string.Join("; ", messages.Select(m => $"\"{m.Subject}\" to {m.To}"))) +
                    $". aiosmtpd log tail:{Environment.NewLine}{LogTail()}");
            // inotify drops events when its queue overflows, so the folder is also re-read at least twice a second.
            await changed.WaitAsync(remaining < TimeSpan.FromMilliseconds(500) ? remaining : TimeSpan.FromMilliseconds(500));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
                return;
            _disposed = true;
            await KillAsync();
            _reservation?.Dispose();
            _reservation = null;
            try { Directory.Delete(_directory, recursive: true); }
            catch (IOException) { } // A leftover temp folder must not fail the test that owned it.
            catch (UnauthorizedAccessException) { }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Holds the port while no server runs: a bound socket that never listens refuses connections exactly like a
    /// stopped server, and keeps other sockets (including the kernel's choice of outgoing ports) off it.
    /// </summary>
    private static Socket Reserve(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Connections to the killed server may linger in TIME_WAIT; without this the re-bind would fail.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task LaunchAsync()
    {
        var start = new ProcessStartInfo(Python)
        {
            // -d makes aiosmtpd log "Server is listening" once its socket is bound: that line is the readiness signal.
            ArgumentList = { "-m", "aiosmtpd", "-n", "-d", "-l", $"{Host}:{Port}", "-c", "aiosmtpd.handlers.Mailbox", _directory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            Record(e.Data);
            if (e.Data?.Contains("Server is listening on", StringComparison.Ordinal) == true)
                ready.TrySetResult();
        };

        // Released only now: aiosmtpd must be able to bind the port.
        _reservation?.Dispose();
        _reservation = null;
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            process.Dispose();
            throw new InvalidOperationException($"Cannot run {Python} for the test SMTP server ({e.Message}). {InstallHint}", e);
        }
        _process = process;
        Running.TryAdd(process, 0);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = FailWhenExitedAsync(process, ready);

        try
        {
            await ready.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException(
                $"aiosmtpd did not report listening on {Host}:{Port} within {StartTimeout.TotalSeconds} s. Output:{Environment.NewLine}{LogTail()}");
        }

        // The log line comes right after the bind; one real connection confirms the port accepts TCP.
        using var probe = new TcpClient(AddressFamily.InterNetwork);
        using var connectTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await probe.ConnectAsync(IPAddress.Loopback, Port, connectTimeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"aiosmtpd reported listening but {Host}:{Port} refuses connections ({e.Message}). Output:{Environment.NewLine}{LogTail()}", e);
        }
    }

    private async Task FailWhenExitedAsync(Process process, TaskCompletionSource ready)
    {
        // Also waits for the redirected output to drain, so the message below holds the whole traceback.
        await process.WaitForExitAsync();
        if (ready.Task.IsCompleted)
            return;
        var log = LogTail();
        var hint = log.Contains("No module named aiosmtpd", StringComparison.Ordinal) ? $" {InstallHint}." : "";
        ready.TrySetException(new InvalidOperationException(
            $"aiosmtpd exited with code {process.ExitCode} before listening on {Host}:{Port}.{hint} Output:{Environment.NewLine}{log}"));
    }

    private async Task KillAsync()
    {
        if (_process is not { } process)
            return;
        _process = null;
        Running.TryRemove(process, out _);
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Exited on its own between the check and the kill.
        }
        finally
        {
            process.Dispose();
        }
    }

    private void Record(string? line)
    {
        if (line is null)
            return;
        _log.Enqueue(line);
        // -d logs every SMTP command; only the tail is useful in an error message.
        while (_log.Count > 200)
            _log.TryDequeue(out _);
    }

    private string LogTail() => _log.IsEmpty ? "(nothing)" : string.Join(Environment.NewLine, _log);

    /// <summary>
    /// Python's Maildir names files "SECONDS.MMICROSECONDSPpidQcount.host"; the microseconds are not zero-padded,
    /// so the names do not sort as text. The write time breaks ties should a name not match.
    /// </summary>
    private static (long Seconds, long Microseconds, DateTime Written, long Count) ArrivalOrder(string path)
    {
        var written = File.GetLastWriteTimeUtc(path);
        var match = MaildirName().Match(Path.GetFileName(path));
        if (!match.Success)
            return (long.MaxValue, 0, written, 0);
        return (long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            written,
            long.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^(\d+)\.M(\d+)P\d+Q(\d+)\.")]
    private static partial Regex MaildirName();
}
