using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Tracker.Benchmarks;

/// <summary>
/// One kind of SQL statement the sweep sent: how often, and how long the database took. Execute runs
/// until the first result (a query) or the end (a write); ReaderOpen from execution until the reader was
/// disposed, which for a streamed query includes the client's work between rows.
/// </summary>
public sealed record StatementTime(string Statement, int Count, TimeSpan Execute, TimeSpan ReaderOpen, int Failed);

/// <summary>Time between two commands, spent in the client.</summary>
public sealed record ClientGap(TimeSpan Idle, string After, string Before);

/// <summary>
/// Times every command the sweep's DbContext sends, grouped by the statement's opening words, so that a
/// run shows where its time goes without touching src/. The cost is two timestamps and a dictionary
/// update per command.
/// </summary>
public sealed partial class CommandProfiler : DbCommandInterceptor
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (int Count, TimeSpan Execute, TimeSpan ReaderOpen, int Failed)> _statements = [];
    private readonly Dictionary<DbCommand, (DateTimeOffset Start, string Label)> _open = [];
    private readonly List<(DateTimeOffset Start, DateTimeOffset End, string Label)> _timeline = [];

    public void Reset()
    {
        lock (_lock)
        {
            _statements.Clear();
            _open.Clear();
            _timeline.Clear();
        }
    }

    /// <summary>The longest stretches with no command running: time the client spent on its own work.</summary>
    public List<ClientGap> Gaps(int take)
    {
        lock (_lock)
        {
            var events = _timeline.OrderBy(e => e.Start).ToList();
            return [.. events.Zip(events.Skip(1), (a, b) => new ClientGap(b.Start - a.End, a.Label, b.Label))
                .OrderByDescending(g => g.Idle).Take(take)];
        }
    }

    public List<StatementTime> Snapshot()
    {
        lock (_lock)
            return [.. _statements.Select(s => new StatementTime(s.Key, s.Value.Count, s.Value.Execute, s.Value.ReaderOpen, s.Value.Failed))
                .OrderByDescending(s => s.Execute + s.ReaderOpen)];
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration, TimeSpan.Zero, failed: false, reader: eventData.StartTime);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Record(command, eventData.Duration, TimeSpan.Zero, failed: false, reader: eventData.StartTime);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration, TimeSpan.Zero, failed: false);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Record(command, eventData.Duration, TimeSpan.Zero, failed: false);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration, TimeSpan.Zero, failed: false);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        Record(command, TimeSpan.Zero, eventData.Duration, failed: false, counted: false);
        lock (_lock)
            if (_open.Remove(command, out var open))
                _timeline.Add((open.Start, open.Start + eventData.Duration, open.Label));
        return result;
    }

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration, TimeSpan.Zero, failed: true);
        return Task.CompletedTask;
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) =>
        Record(command, eventData.Duration, TimeSpan.Zero, failed: true);

    private void Record(DbCommand command, TimeSpan execute, TimeSpan readerOpen, bool failed, bool counted = true, DateTimeOffset? reader = null)
    {
        var key = Label(command.CommandText);
        lock (_lock)
        {
            var s = _statements.GetValueOrDefault(key);
            _statements[key] = (s.Count + (counted ? 1 : 0), s.Execute + execute, s.ReaderOpen + readerOpen, s.Failed + (failed ? 1 : 0));
            // A reader runs until it is disposed; anything else until it returned.
            if (reader is { } start)
                _open[command] = (start, key);
            else if (counted)
                _timeline.Add((DateTimeOffset.UtcNow - execute, DateTimeOffset.UtcNow, key));
        }
    }

    /// <summary>The statement's first words with whitespace collapsed and parameter numbers dropped, e.g. "INSERT INTO reminders (initiative_id, …".</summary>
    private static string Label(string sql)
    {
        var text = Whitespace().Replace(sql, " ").Trim();
        text = Parameter().Replace(text, "@p");
        return text.Length <= 90 ? text : text[..90] + "…";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();
}
