using Npgsql;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>
/// A cheap fingerprint of every table of a database, one value per table, taken in one statement on a connection of
/// its own; it covers every base table of every schema (the service's and Hangfire's), found in the catalog once.
/// <see cref="AccessWorld.FingerprintAsync"/> hashes every row's text, sorted, which costs tens of milliseconds once
/// the audit trail has grown; a fuzz run takes thousands. This one hashes what PostgreSQL changes on every committed
/// write instead: the row count and the sum of a hash of each row version's <c>xmin</c> (the transaction that wrote
/// it) and <c>ctid</c> (where it lies). An insert, update or delete that commits changes it; a rolled-back one does not.
/// It is stricter than a content hash only for an update that writes the same values again, which is still a write.
/// Leaves out the public send limit's windows: a refused send still counts against its address (a bot's malformed
/// sends must), and that count is not data.
/// </summary>
public sealed class TableFingerprint : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlCommand _command = null!;

    private TableFingerprint(NpgsqlConnection connection) => _connection = connection;

    public IReadOnlyList<string> Tables { get; private set; } = [];

    public static async Task<TableFingerprint> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var fingerprint = new TableFingerprint(connection);
        var tables = new List<string>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT quote_ident(table_schema) || '.' || quote_ident(table_name)
            FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
              AND table_name <> 'rate_windows'
            ORDER BY 1
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        fingerprint.Tables = tables;
        // The names come from the catalog, quoted by quote_ident. Prepared once: planning the statement costs more than running it.
        fingerprint._command = new NpgsqlCommand("SELECT ARRAY[" + string.Join(", ", tables.Select(t =>
            $"(SELECT count(*)::text || ':' || coalesce(sum(hashtext(x.xmin::text || x.ctid::text)::bigint), 0)::text FROM {t} x)")) + "]", connection);
        await fingerprint._command.PrepareAsync();
        return fingerprint;
    }

    public async Task<Snapshot> TakeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return new Snapshot(Tables, (string[])(await _command.ExecuteScalarAsync())!);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _command.DisposeAsync();
        await _connection.DisposeAsync();
    }

    public sealed record Snapshot(IReadOnlyList<string> Tables, string[] Values)
    {
        /// <summary>The tables whose rows differ from <paramref name="before"/>.</summary>
        public IReadOnlyList<string> ChangedSince(Snapshot before) =>
            [.. Tables.Where((_, i) => Values[i] != before.Values[i])];
    }
}
