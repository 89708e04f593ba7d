using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>
/// An EF Core interceptor that counts every command a context of the host executes (reader, scalar and
/// non-query), charged to the request that sent it. A test opens a <see cref="CommandTally"/>, sends its id in the
/// <see cref="Header"/> header, and <see cref="CountingStartupFilter"/> makes that tally the ambient one
/// (an <see cref="AsyncLocal{T}"/>) for the whole of that request, pipeline and page rendering included.
/// Commands outside a tallied request (the test's own reads, other requests, background work) are
/// counted apart in <see cref="Untallied"/>.
/// </summary>
public sealed class SqlCommandCounter : DbCommandInterceptor
{
    public const string Header = "X-Tracker-Sql-Tally";

    private static readonly AsyncLocal<CommandTally?> Ambient = new();
    private readonly ConcurrentDictionary<string, CommandTally> _open = new();
    private int _untallied;

    /// <summary>Commands executed outside any tallied request since the host started.</summary>
    public int Untallied => Volatile.Read(ref _untallied);

    /// <summary>A tally for one request to come: send its <see cref="CommandTally.Id"/> in <see cref="Header"/>.</summary>
    public CommandTally Open()
    {
        var tally = new CommandTally(Guid.NewGuid().ToString("N"));
        _open[tally.Id] = tally;
        return tally;
    }

    /// <summary>Runs one request under its tally; a tally counts exactly one request.</summary>
    internal async Task RunAsync(string id, Func<Task> request)
    {
        if (!_open.TryRemove(id, out var tally))
        {
            await request();
            return;
        }
        Ambient.Value = tally;
        try
        {
            await request();
        }
        finally
        {
            Ambient.Value = null;
            tally.Finish();
        }
    }

    private void Record(DbCommand command)
    {
        if (Ambient.Value is { } tally)
            tally.Add(command.CommandText);
        else
            Interlocked.Increment(ref _untallied);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }
}

/// <summary>The commands of one request, in the order they were sent.</summary>
public sealed class CommandTally(string id)
{
    private readonly ConcurrentQueue<string> _commands = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id { get; } = id;
    public int Count => _commands.Count;
    public IReadOnlyList<string> Commands => [.. _commands];

    /// <summary>Completes when the request has left the pipeline, after anything it sent after the response body.</summary>
    public Task Finished => _finished.Task;

    internal void Add(string sql) => _commands.Enqueue(sql);
    internal void Finish() => _finished.TrySetResult();
}

/// <summary>Puts the tally named by the request's header around the whole pipeline, ahead of the app's own middleware.</summary>
internal sealed class CountingStartupFilter(SqlCommandCounter counter) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, pipeline) =>
        {
            if (context.Request.Headers.TryGetValue(SqlCommandCounter.Header, out var id) && id.ToString() is { Length: > 0 } tally)
                await counter.RunAsync(tally, () => pipeline(context));
            else
                await pipeline(context);
        });
        next(app);
    };
}
