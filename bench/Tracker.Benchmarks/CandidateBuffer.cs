using System.Collections;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Tracker.Benchmarks;

/// <summary>
/// Bench-only stand-in for the fix proposed in docs/benchmarks.md. ReminderSweep streams its candidate
/// query and writes a batch of reminders every 2,000 rows on the same connection while that query's
/// reader is still open, which Npgsql refuses ("A command is already in progress"). When enabled, this
/// interceptor reads the candidate query to the end into memory and hands EF a reader over the copy, as
/// <c>ToListAsync()</c> in the sweep would; everything else the sweep does runs unchanged.
/// </summary>
public sealed class CandidateBuffer : DbCommandInterceptor
{
    public bool Enabled { get; set; }

    private static bool IsCandidateQuery(DbCommand command) =>
        command.CommandText.StartsWith("SELECT i.id,", StringComparison.Ordinal) && command.CommandText.Contains("FROM lagging_watch", StringComparison.Ordinal);

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (!Enabled || !IsCandidateQuery(command))
            return result;
        await using (result)
            return await BufferedReader.ReadAsync(result, cancellationToken);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result) =>
        !Enabled || !IsCandidateQuery(command) ? result : throw new NotSupportedException("The sweep reads asynchronously.");

    /// <summary>A forward-only reader over rows already read; converts what Npgsql's GetValue returns to the types EF asks for.</summary>
    private sealed class BufferedReader : DbDataReader
    {
        private readonly string[] _names;
        private readonly Type[] _types;
        private readonly string[] _dataTypeNames;
        private readonly List<object[]> _rows;
        private readonly int _recordsAffected;
        private int _index = -1;
        private bool _closed;

        private BufferedReader(string[] names, Type[] types, string[] dataTypeNames, List<object[]> rows, int recordsAffected)
        {
            (_names, _types, _dataTypeNames, _rows, _recordsAffected) = (names, types, dataTypeNames, rows, recordsAffected);
        }

        public static async Task<BufferedReader> ReadAsync(DbDataReader source, CancellationToken ct)
        {
            var count = source.FieldCount;
            var names = Enumerable.Range(0, count).Select(source.GetName).ToArray();
            var types = Enumerable.Range(0, count).Select(source.GetFieldType).ToArray();
            var dataTypeNames = Enumerable.Range(0, count).Select(source.GetDataTypeName).ToArray();
            var rows = new List<object[]>();
            while (await source.ReadAsync(ct))
            {
                var row = new object[count];
                source.GetValues(row);
                rows.Add(row);
            }
            return new BufferedReader(names, types, dataTypeNames, rows, source.RecordsAffected);
        }

        private object[] Row => _index >= 0 && _index < _rows.Count ? _rows[_index] : throw new InvalidOperationException("No current row.");

        public override T GetFieldValue<T>(int ordinal) => Row[ordinal] switch
        {
            DBNull => throw new InvalidCastException($"Column {_names[ordinal]} is null."),
            T value => value,
            DateTime d when typeof(T) == typeof(DateOnly) => (T)(object)DateOnly.FromDateTime(d),
            DateTime d when typeof(T) == typeof(DateTimeOffset) => (T)(object)new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            var other => (T)Convert.ChangeType(other, typeof(T), System.Globalization.CultureInfo.InvariantCulture),
        };

        public override object GetValue(int ordinal) => Row[ordinal];
        public override int GetValues(object[] values)
        {
            var n = Math.Min(values.Length, Row.Length);
            Array.Copy(Row, values, n);
            return n;
        }
        public override bool IsDBNull(int ordinal) => Row[ordinal] is DBNull;
        public override bool Read() => ++_index < _rows.Count;
        public override bool NextResult() => false;
        public override void Close() => _closed = true;
        public override int FieldCount => _names.Length;
        public override object this[int ordinal] => GetValue(ordinal);
        public override object this[string name] => GetValue(GetOrdinal(name));
        public override int RecordsAffected => _recordsAffected;
        public override bool HasRows => _rows.Count > 0;
        public override bool IsClosed => _closed;
        public override int Depth => 0;
        public override string GetName(int ordinal) => _names[ordinal];
        public override int GetOrdinal(string name) => Array.IndexOf(_names, name);
        public override Type GetFieldType(int ordinal) => _types[ordinal];
        public override string GetDataTypeName(int ordinal) => _dataTypeNames[ordinal];
        public override bool GetBoolean(int ordinal) => GetFieldValue<bool>(ordinal);
        public override byte GetByte(int ordinal) => GetFieldValue<byte>(ordinal);
        public override char GetChar(int ordinal) => GetFieldValue<char>(ordinal);
        public override DateTime GetDateTime(int ordinal) => GetFieldValue<DateTime>(ordinal);
        public override decimal GetDecimal(int ordinal) => GetFieldValue<decimal>(ordinal);
        public override double GetDouble(int ordinal) => GetFieldValue<double>(ordinal);
        public override float GetFloat(int ordinal) => GetFieldValue<float>(ordinal);
        public override Guid GetGuid(int ordinal) => GetFieldValue<Guid>(ordinal);
        public override short GetInt16(int ordinal) => GetFieldValue<short>(ordinal);
        public override int GetInt32(int ordinal) => GetFieldValue<int>(ordinal);
        public override long GetInt64(int ordinal) => GetFieldValue<long>(ordinal);
        public override string GetString(int ordinal) => GetFieldValue<string>(ordinal);
        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();
        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();
        public override IEnumerator GetEnumerator() => throw new NotSupportedException();
    }
}
