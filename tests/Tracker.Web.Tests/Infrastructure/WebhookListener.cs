using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>One webhook request as the listener received it. Header names are case-insensitive; repeated headers are joined with ", ".</summary>
public sealed record ReceivedWebhook(string Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At)
{
    /// <summary>The query string as sent, with its "?" (a DingTalk robot's signature travels there).</summary>
    public string Query { get; init; } = "";
}

/// <summary>
/// A real HTTP endpoint on 127.0.0.1 (Kestrel, not TestServer) for the app to deliver webhooks to. It can be told to
/// fail, so tests can see retries: a failing answer counts as an attempt but not as a delivery.
/// </summary>
public sealed class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _lock = new();
    private readonly List<ReceivedWebhook> _received = [];
    private readonly List<(int Count, TaskCompletionSource<IReadOnlyList<ReceivedWebhook>> Done)> _waiters = [];
    private int _attempts;
    private volatile bool _failing;

    private WebhookListener(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>While true, every request is answered 503 and is not recorded in <see cref="Received"/>.</summary>
    public bool Failing { get => _failing; set => _failing = value; }

    /// <summary>Every request to the hook, failed or not.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>The requests answered 200, oldest first.</summary>
    public IReadOnlyList<ReceivedWebhook> Received
    {
        get { lock (_lock) return [.. _received]; }
    }

    public static async Task<WebhookListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The test output folder holds the web project's appsettings.json (with "Urls" and logging levels);
        // none of it is meant for this listener.
        builder.Configuration.Sources.Clear();
        // Port 0: Kestrel picks a free one, read back from app.Urls once started.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0" });
        builder.Logging.ClearProviders();

        var app = builder.Build();
        var listener = new WebhookListener(app);
        app.MapPost("/hook", listener.HandleAsync);
        try
        {
            await app.StartAsync();
            var bound = new Uri(app.Urls.Single());
            listener.Url = new UriBuilder(bound) { Path = "/hook" }.Uri;
            return listener;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Completes as soon as at least <paramref name="count"/> requests have been received (answered 200).</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan timeout)
    {
        TaskCompletionSource<IReadOnlyList<ReceivedWebhook>> done;
        lock (_lock)
        {
            if (_received.Count >= count)
                return [.. _received];
            done = new TaskCompletionSource<IReadOnlyList<ReceivedWebhook>>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
        }
        try
        {
            return await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            List<ReceivedWebhook> received;
            lock (_lock)
            {
                _waiters.RemoveAll(w => w.Done == done);
                received = [.. _received];
            }
            throw new TimeoutException(
                $"Expected {count} webhook(s) at {Url} within {timeout.TotalSeconds:0.#} s, got {received.Count} " +
                $"({Attempts} attempt(s) in all, failing: {Failing})" +
                (received.Count == 0 ? "." : ":" + string.Concat(received.Select(r => $"{Environment.NewLine}  {r.At:O} {r.Body}"))));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _attempts);
        if (Failing)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var webhook = new ReceivedWebhook(body, headers, DateTimeOffset.UtcNow) { Query = context.Request.QueryString.Value ?? "" };

        // Recorded before the 200 goes out, so a sender that saw success always finds its request here.
        List<TaskCompletionSource<IReadOnlyList<ReceivedWebhook>>> satisfied;
        IReadOnlyList<ReceivedWebhook> snapshot;
        lock (_lock)
        {
            _received.Add(webhook);
            snapshot = [.. _received];
            satisfied = [.. _waiters.Where(w => w.Count <= _received.Count).Select(w => w.Done)];
            _waiters.RemoveAll(w => w.Count <= _received.Count);
        }
        foreach (var done in satisfied)
            done.TrySetResult(snapshot);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
