using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>
/// A logger provider added to a running host that keeps every exception logged at Error or above, by the request
/// it happened in: the request's activity id (which the problem document carries as <c>traceId</c>) and its
/// <c>RequestId</c> (the fallback <c>traceId</c> when there is no activity). A 500's problem document only says
/// "An unexpected error occurred."; this says what was thrown, and where in the service.
/// </summary>
public sealed class ServerErrorLog : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentDictionary<string, Exception> _byRequest = new();
    private int _logged;
    private IExternalScopeProvider? _scopes;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    /// <summary>What was thrown while answering the request with this problem document <c>traceId</c>, if anything.</summary>
    public string? Find(string? traceId) => traceId is not null && _byRequest.TryGetValue(traceId, out var e) ? Describe(e) : null;

    /// <summary>How many exceptions were logged at Error or above.</summary>
    public int Logged => _logged;

    public void Dispose()
    {
    }

    /// <summary>
    /// The exception's type and message, and its inner exceptions' (a message that only points to the inner exception
    /// left out), then where it was thrown: the first frame in the service's code, and the first in a feature when that
    /// one is in shared code (the database context, paging).
    /// </summary>
    public static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
            parts.Add(e.InnerException is not null && e.Message.Contains("inner exception", StringComparison.Ordinal)
                ? e.GetType().Name : $"{e.GetType().Name}: {FirstLine(e.Message)}");
        var frames = exception.ToString().Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("at Tracker.", StringComparison.Ordinal) && !l.StartsWith("at Tracker.Web.Tests.", StringComparison.Ordinal))
            .Select(Frame).ToList();
        var where = frames.FirstOrDefault();
        var feature = frames.FirstOrDefault(f => f.StartsWith("at Tracker.Web.Features.", StringComparison.Ordinal));
        if (where is not null && feature is not null && feature != where)
            where += " via " + feature[3..];
        return string.Join(" ---> ", parts) + (where is null ? "" : $" [{where}]");
    }

    /// <summary>"at Type.Method(args) in /…/src/File.cs:line 12" → "at Type.Method in src/File.cs:line 12".</summary>
    private static string Frame(string line)
    {
        var method = line.Split('(')[0];
        var source = line.LastIndexOf("/src/", StringComparison.Ordinal) is var i and >= 0 ? " in " + line[(i + 1)..] : "";
        return method + source;
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();

    private void Record(Exception exception)
    {
        var keys = new List<string>();
        if (Activity.Current?.Id is { } activity)
            keys.Add(activity);
        _scopes?.ForEachScope((scope, found) =>
        {
            if (scope is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values)
                    if (key == "RequestId" && value?.ToString() is { } id)
                        found.Add(id);
        }, keys);
        Interlocked.Increment(ref _logged);
        // EF Core logs a failed command as it fails, before the exception has unwound through the service's code; the
        // exception handler logs it last, with the whole stack. The last one is kept.
        foreach (var key in keys)
            _byRequest[key] = exception;
    }

    private sealed class Logger(ServerErrorLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error && exception is not null)
                log.Record(exception);
        }
    }
}
