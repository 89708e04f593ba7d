using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Tracker.Web.Infrastructure;

/// <summary>
/// A PostgreSQL server run from the machine's own binaries, for when no connection string is configured
/// (the dev service) and for the test suite. The server listens on 127.0.0.1 only and asks for a password
/// (SCRAM-SHA-256): one generated when the cluster is made, kept in <see cref="PasswordFileName"/> in the cluster's
/// folder (mode 0600) and read on every start. A cluster made before that (trust) is switched on its next start.
/// </summary>
public sealed partial class LocalPostgres : IAsyncDisposable
{
    /// <summary>The file in the data directory that holds the superuser's password, readable by its owner only.</summary>
    public const string PasswordFileName = "tracker-password";

    private const string ServiceUser = "postgres";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _binDirectory;
    private readonly bool _asRoot;
    private readonly bool _ephemeral;
    private readonly string _socketDirectory;
    private readonly ILogger _logger;
    private readonly string _database;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private string? _password;
    private bool _started;
    private int _disposed;

    private LocalPostgres(string dataDirectory, string database, bool ephemeral, string binDirectory, bool asRoot, ILogger logger,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        DataDirectory = dataDirectory;
        _settings = settings ?? new Dictionary<string, string>();
        Port = FreePort();
        _database = database;
        _ephemeral = ephemeral;
        _binDirectory = binDirectory;
        _asRoot = asRoot;
        _logger = logger;
        _socketDirectory = Path.Combine(dataDirectory, "sock");
        // The socket path (dir + "/.s.PGSQL.<port>") must fit sockaddr_un, and -k takes a comma-separated
        // list that pg_ctl passes through a shell: anything unusual goes to a short private folder instead.
        var socketPath = Path.Combine(_socketDirectory, ".s.PGSQL.65535");
        if (Encoding.UTF8.GetByteCount(socketPath) >= 107 || socketPath.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('/' or '.' or '_' or '-')))
            _socketDirectory = Path.Combine("/tmp", $"tracker-pg-{Guid.NewGuid():N}"[..20]);
    }

    /// <summary>The database's connection string, with the password (once the server has started).</summary>
    public string ConnectionString => _password is null
        ? throw new InvalidOperationException("The server has not started yet.")
        : Connect("127.0.0.1", Port, _database, _password);

    public int Port { get; }
    public string DataDirectory { get; }

    private string LogFile => Path.Combine(DataDirectory, "postgres.log");
    private string HbaFile => Path.Combine(DataDirectory, "pg_hba.conf");
    private string PasswordFile => Path.Combine(DataDirectory, PasswordFileName);
    private string PidFile => Path.Combine(DataDirectory, "postmaster.pid");
    private string PgCtl => Path.Combine(_binDirectory, "pg_ctl");
    private bool SocketDirectoryIsPrivate => !_socketDirectory.StartsWith(DataDirectory + "/", StringComparison.Ordinal);

    /// <summary>
    /// Starts (or reuses, if <paramref name="dataDirectory"/> already holds a cluster) a server in that directory and
    /// makes sure <paramref name="database"/> exists. <paramref name="ephemeral"/> trades durability for speed and
    /// deletes the directory on dispose (tests); otherwise the data is kept across runs (the dev service).
    /// <paramref name="settings"/> are further server settings (<c>-c name=value</c>, e.g. <c>shared_buffers=512MB</c>), given
    /// last so that they override the defaults above (an ephemeral server's <c>fsync=off</c> too).
    /// </summary>
    public static async Task<LocalPostgres> StartAsync(string dataDirectory, string database, bool ephemeral, ILogger logger, CancellationToken ct = default,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        // pg_ctl passes the options through a shell: plain names and values only.
        if (settings?.FirstOrDefault(s => !IsPlainSetting(s.Key) || !IsPlainSetting(s.Value)) is { Key: not null } bad)
            throw new ArgumentException($"Server setting {bad.Key}={bad.Value} is not a plain name and value.", nameof(settings));
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("The embedded PostgreSQL runs on Linux/macOS only; set ConnectionStrings__Tracker instead.");

        var stopwatch = Stopwatch.StartNew();
        var fullPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        var server = new LocalPostgres(fullPath, database, ephemeral, FindBinaries(), await IsRootAsync(ct), logger, settings);
        try
        {
            var fresh = await server.StartServerAsync(ct);
            await server.EnsureDatabaseAsync(database, ct);
            server._started = true;
            AppDomain.CurrentDomain.ProcessExit += server.OnProcessExit;
            logger.LogInformation("PostgreSQL started on port {Port} in {Elapsed} ms ({Kind} cluster in {Directory})",
                server.Port, stopwatch.ElapsedMilliseconds, fresh ? "new" : "existing", fullPath);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server (fast shutdown); deletes the directory if ephemeral. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        await StopAsync();
    }

    // A test run or a dev service that ends without disposing must not leave a server (and a temp folder) behind.
    // Since .NET 10 a bare SIGTERM no longer raises ProcessExit; the web host handles SIGTERM itself and disposes us.
    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        try { StopAsync().GetAwaiter().GetResult(); }
        catch (Exception) { /* Best effort: the logging pipeline may already be gone at this point. */ }
    }

    [UnsupportedOSPlatform("windows")]
    private async Task<bool> StartServerAsync(CancellationToken ct)
    {
        var parent = Path.GetDirectoryName(DataDirectory)!;
        Directory.CreateDirectory(parent);
        if (_asRoot)
        {
            // PostgreSQL refuses to run as root, so it runs as the postgres user, which must be able to reach
            // the data directory. Only the search bit (o+x, not o+r) is added, and only on the directories this
            // path goes through: for a data directory under /root this means /root itself gets o+x, which lets
            // other users open paths inside it they already know the name of, but not list it.
            for (var dir = parent; dir is not null; dir = Path.GetDirectoryName(dir))
            {
                var mode = File.GetUnixFileMode(dir);
                if (!mode.HasFlag(UnixFileMode.OtherExecute))
                    File.SetUnixFileMode(dir, mode | UnixFileMode.OtherExecute);
            }
        }

        var fresh = !File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));
        if (fresh)
            await CreateClusterAsync(ct);
        else if (_asRoot)
            // Also covers a cluster left by a non-root run of the same checkout.
            await RunAsync(false, "chown", ["-R", $"{ServiceUser}:", DataDirectory], ct);
        var trusting = HbaTrusts();
        _password = ReadPassword() ?? (trusting
            ? WritePassword(PasswordFile)
            : throw new InvalidOperationException(
                $"The PostgreSQL cluster in {DataDirectory} asks for a password, but {PasswordFile} is missing. Put the file back, or delete the folder to start afresh."));

        Directory.CreateDirectory(_socketDirectory, OwnerOnly);
        if (_asRoot)
            await RunAsync(false, "chown", [$"{ServiceUser}:", _socketDirectory], ct);

        await StopLeftoverServerAsync(ct);

        var options = $"-p {Port} -k {_socketDirectory} -c listen_addresses=127.0.0.1 -c max_connections=200"
            + (_ephemeral ? " -c fsync=off -c synchronous_commit=off -c full_page_writes=off" : "")
            + string.Concat(_settings.Select(s => $" -c {s.Key}={s.Value}"));
        _logger.LogDebug("Starting PostgreSQL on port {Port} in {Directory}", Port, DataDirectory);
        try
        {
            // Not cancelled half-way: killing pg_ctl could leave a postmaster that has not yet written its pid file, which
            // nothing would then stop. The start takes a second or so (at most 60 s); a cancellation is honoured right after,
            // and the caller's clean-up stops the server.
            await RunAsync(_asRoot, PgCtl, ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options], CancellationToken.None);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException(
                $"PostgreSQL did not start in {DataDirectory} on port {Port}. {ex.Message}{Environment.NewLine}Last lines of {LogFile}:{Environment.NewLine}{LogTail(30)}", ex);
        }
        ct.ThrowIfCancellationRequested();
        if (trusting)
            await RequirePasswordAsync(ct);
        return fresh;
    }

    /// <summary>
    /// A cluster made when the embedded server still used trust: give the superuser the password of <see cref="PasswordFile"/>
    /// (written before the server started), then ask every connection for it. Each step can be repeated, so a start
    /// interrupted half-way finishes the switch next time.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    private async Task RequirePasswordAsync(CancellationToken ct)
    {
        _logger.LogWarning("The PostgreSQL cluster in {Directory} let any local user in (trust): switching it to a password (SCRAM-SHA-256)", DataDirectory);
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var alter = new NpgsqlCommand(
                $"SET password_encryption = 'scram-sha-256'; ALTER ROLE \"{ServiceUser}\" PASSWORD '{_password}'", connection);
            await alter.ExecuteNonQueryAsync(ct);
            var lines = (await File.ReadAllLinesAsync(HbaFile, ct)).Select(line => TrustToScram().Replace(line, "${rule}scram-sha-256$1"));
            await WriteServerFileAsync(HbaFile, string.Join('\n', lines) + "\n", ct);
            await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", connection);
            await reload.ExecuteNonQueryAsync(ct);
        }
        if (HbaTrusts())
            throw new InvalidOperationException($"{HbaFile} still has a trust rule after the switch; change it to scram-sha-256 by hand.");
    }

    // A rule's method is its 4th field (local) or 5th (host…, CIDR address); options may follow, a comment may follow.
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<rule>\s*(?:local(?:\s+\S+){2}|host\S*(?:\s+\S+){3})\s+)trust(\s|$)")]
    private static partial System.Text.RegularExpressions.Regex TrustToScram();

    private bool HbaTrusts() => File.Exists(HbaFile) && File.ReadLines(HbaFile).Any(line => TrustToScram().IsMatch(line));

    private string? ReadPassword()
    {
        if (!File.Exists(PasswordFile))
            return null;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(PasswordFile) & ~OwnerReadWrite) != 0)
        {
            _logger.LogWarning("{File} could be read by others; making it readable by its owner only", PasswordFile);
            File.SetUnixFileMode(PasswordFile, OwnerReadWrite);
        }
        var password = File.ReadAllText(PasswordFile).Trim();
        return password.Length > 0 ? password : throw new InvalidOperationException($"{PasswordFile} is empty.");
    }

    /// <summary>A new random password, written (owner-only, complete or not at all) to <paramref name="path"/>.</summary>
    [UnsupportedOSPlatform("windows")]
    private static string WritePassword(string path)
    {
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        WriteOwnerOnly(path, password + "\n");
        return password;
    }

    [UnsupportedOSPlatform("windows")]
    private static void WriteOwnerOnly(string path, string content)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = OwnerReadWrite,
        }))
        using (var writer = new StreamWriter(stream))
            writer.Write(content);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Replaces a file the server reads, keeping it the server's (the postgres user's when we are root).</summary>
    [UnsupportedOSPlatform("windows")]
    private async Task WriteServerFileAsync(string path, string content, CancellationToken ct)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        WriteOwnerOnly(temporary, content);
        if (_asRoot)
            await RunAsync(false, "chown", [$"{ServiceUser}:", temporary], ct);
        File.Move(temporary, path, overwrite: true);
    }

    internal static string Connect(string host, int port, string database, string password) => new NpgsqlConnectionStringBuilder
    {
        Host = host,
        Port = port,
        Username = ServiceUser,
        Password = password,
        Database = database,
    }.ConnectionString;

    // initdb fills a sibling folder that is moved into place only once complete, so an interrupted initdb
    // (cancellation, crash) never leaves a half-made cluster that the next start would take for a usable one.
    [UnsupportedOSPlatform("windows")]
    private async Task CreateClusterAsync(CancellationToken ct)
    {
        if (Directory.Exists(DataDirectory) && Directory.EnumerateFileSystemEntries(DataDirectory).Any())
            throw new InvalidOperationException($"{DataDirectory} is not empty but holds no PostgreSQL cluster; remove it or choose another directory.");
        _logger.LogInformation("Creating a PostgreSQL cluster in {Directory}", DataDirectory);
        var staging = DataDirectory + ".initdb";
        // initdb reads the superuser's password from a file (never the command line); the postgres user must be able to.
        var initialPassword = staging + "-password";
        DeleteDirectory(staging);
        Directory.CreateDirectory(staging, OwnerOnly);
        try
        {
            var password = WritePassword(initialPassword);
            if (_asRoot)
                await RunAsync(false, "chown", [$"{ServiceUser}:", staging, initialPassword], ct);
            // --no-sync only where losing the cluster to an OS crash does not matter.
            await RunAsync(_asRoot, Path.Combine(_binDirectory, "initdb"),
                ["-D", staging, "-U", ServiceUser, "--auth=scram-sha-256", $"--pwfile={initialPassword}", "-E", "UTF8", "--locale=C.UTF-8",
                    .. _ephemeral ? ["--no-sync"] : Array.Empty<string>()], ct);
            WriteOwnerOnly(Path.Combine(staging, PasswordFileName), password + "\n");
        }
        catch
        {
            try { DeleteDirectory(staging); } catch (IOException) { /* Removed by the next start. */ }
            throw;
        }
        finally
        {
            File.Delete(initialPassword);
        }
        if (Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory);
        Directory.Move(staging, DataDirectory);
    }

    // A process that crashed (or was killed) leaves its server running and holding the data directory.
    private async Task StopLeftoverServerAsync(CancellationToken ct)
    {
        if (!File.Exists(PidFile))
            return;
        if (ServerIsRunning())
        {
            _logger.LogWarning("Stopping a PostgreSQL server left running in {Directory}", DataDirectory);
            try { await RunAsync(_asRoot, PgCtl, ["stop", "-D", DataDirectory, "-m", "immediate", "-w"], ct); }
            catch (InvalidOperationException ex) { _logger.LogWarning(ex, "Could not stop the leftover server"); }
        }
        else
        {
            // After a reboot the recorded PID can belong to an unrelated process of the same user, which
            // pg_ctl would signal and postgres would take for a running server.
            File.Delete(PidFile);
        }
    }

    private bool ServerIsRunning() => IsRunning(PidFile);

    /// <summary>
    /// The connection string of a server that is running now in <paramref name="dataDirectory"/> (started by a service
    /// that is still running), from its pid file and password file; null when none is.
    /// </summary>
    public static string? RunningServer(string dataDirectory, string database)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        var passwordFile = Path.Combine(dataDirectory, PasswordFileName);
        if (!IsRunning(pidFile) || !File.Exists(passwordFile))
            return null;
        // postmaster.pid: pid, data directory, start time, port, socket directory, listen address, shared memory key, status.
        var lines = File.ReadAllLines(pidFile);
        return lines.Length > 7 && int.TryParse(lines[3], out var port) && lines[7].Trim() == "ready"
            ? Connect("127.0.0.1", port, database, File.ReadAllText(passwordFile).Trim())
            : null;
    }

    private static bool IsRunning(string pidFile)
    {
        try
        {
            if (!int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid))
                return false;
            if (Directory.Exists("/proc/self"))
            {
                // "pid (comm) state ...": a killed postmaster can linger as a zombie, which pg_ctl would wait on in vain.
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var close = stat.LastIndexOf(')');
                return stat[(stat.IndexOf('(') + 1)..close] is "postgres" or "postmaster" && stat[close + 2] != 'Z';
            }
            using var process = Process.GetProcessById(pid);
            return process.ProcessName is "postgres" or "postmaster";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private async Task EnsureDatabaseAsync(string database, CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", connection);
        exists.Parameters.AddWithValue("n", database);
        if (await exists.ExecuteScalarAsync(ct) is not null)
            return;
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\"", connection);
        try { await create.ExecuteNonQueryAsync(ct); }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase) { /* Created concurrently. */ }
    }

    private async Task StopAsync()
    {
        try
        {
            if (ServerIsRunning())
                await RunAsync(_asRoot, PgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w"], CancellationToken.None);
            // A failed start keeps its directory (and log) for inspection.
            if (_ephemeral && _started)
                DeleteDirectory(DataDirectory);
            if (SocketDirectoryIsPrivate)
                DeleteDirectory(_socketDirectory);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Could not stop or clean up the PostgreSQL in {Directory}", DataDirectory);
        }
    }

    private static void DeleteDirectory(string path)
    {
        // The postmaster may still be unlinking its sockets right after pg_ctl reports it stopped.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                    Directory.Delete(path, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(50 * attempt);
            }
        }
    }

    /// <summary>
    /// A PostgreSQL client program (pg_dump, pg_restore): from <c>TRACKER_PG_BIN</c>, the newest <c>/usr/lib/postgresql/*/bin</c>,
    /// or PATH. It must be at least as new as the server it talks to.
    /// </summary>
    internal static string FindTool(string name)
    {
        var configured = Environment.GetEnvironmentVariable("TRACKER_PG_BIN");
        var packaged = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(dir => (Version: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1, Bin: Path.Combine(dir, "bin")))
                .Where(c => c.Version >= 0).OrderByDescending(c => c.Version).Select(c => c.Bin)
            : [];
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return (string.IsNullOrWhiteSpace(configured) ? [] : new[] { configured }).Concat(packaged).Concat(onPath)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"{name} not found: install PostgreSQL's client programs (`apt-get install -y postgresql-client`) or set TRACKER_PG_BIN.");
    }

    private static string FindBinaries()
    {
        const string notFound = "PostgreSQL server binaries not found; install them (`apt-get install -y postgresql`) or set TRACKER_PG_BIN, "
            + "or set ConnectionStrings__Tracker to use an existing database.";
        static bool HasServer(string dir) => File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "initdb"));

        var configured = Environment.GetEnvironmentVariable("TRACKER_PG_BIN");
        if (!string.IsNullOrWhiteSpace(configured))
            return HasServer(configured) ? Path.GetFullPath(configured) : throw new InvalidOperationException($"TRACKER_PG_BIN={configured} holds no pg_ctl/initdb. {notFound}");

        var packaged = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(dir => (Version: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1, Bin: Path.Combine(dir, "bin")))
                .Where(c => c.Version >= 0).OrderByDescending(c => c.Version).Select(c => c.Bin)
            : [];
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return packaged.Concat(onPath).FirstOrDefault(HasServer) ?? throw new InvalidOperationException(notFound);
    }

    private static async Task<bool> IsRootAsync(CancellationToken ct) =>
        Environment.UserName == "root" || (await RunAsync(false, "id", ["-u"], ct)).Trim() == "0";

    private static bool IsPlainSetting(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string LogTail(int lines)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Max(0, stream.Length - 64 * 1024), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            return string.Join(Environment.NewLine, reader.ReadToEnd().TrimEnd().Split('\n').TakeLast(lines));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"(log not readable: {ex.Message})";
        }
    }

    /// <summary>Runs a program (as the postgres user when we are root), returning its output; throws on a non-zero exit.</summary>
    private static async Task<string> RunAsync(bool asServiceUser, string program, IEnumerable<string> arguments, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(asServiceUser ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The postgres user may not be able to enter our working directory (e.g. /root).
            WorkingDirectory = "/",
        };
        foreach (var argument in (asServiceUser ? ["-u", ServiceUser, "--", program] : Array.Empty<string>()).Concat(arguments))
            startInfo.ArgumentList.Add(argument);
        return await RunToEndAsync(startInfo, ct);
    }

    /// <summary>
    /// Runs a PostgreSQL tool to its end and returns what it printed; kills it (and its children) when cancelled, and
    /// throws with its command line and output on a non-zero exit. Also used by the backup and restore commands.
    /// </summary>
    internal static async Task<string> RunToEndAsync(ProcessStartInfo startInfo, CancellationToken ct)
    {
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { /* Already exited. */ }
            throw;
        }
        var output = $"{await stdout}{await stderr}".Trim();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"`{string.Join(' ', startInfo.ArgumentList.Prepend(startInfo.FileName).Select(a => a.Contains(' ') ? $"\"{a}\"" : a))}` exited with code {process.ExitCode}: {output}");
        return output;
    }
}
