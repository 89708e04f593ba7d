using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Tracker.Cluster.Tests;

/// <summary>Where the instances send their webhook deliveries: counts each delivery id (X-Tracker-Delivery) it is sent.</summary>
public sealed class WebhookSink : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookSink(WebApplication app) => _app = app;

    public ConcurrentDictionary<long, int> Received { get; } = new();

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        // Port 0: a free one, read back once started.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0" });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new WebhookSink(app);
        app.MapPost("/hook", (HttpRequest request) =>
        {
            if (long.TryParse(request.Headers["X-Tracker-Delivery"], out var id))
                sink.Received.AddOrUpdate(id, 1, (_, n) => n + 1);
            return Results.Ok();
        });
        await app.StartAsync();
        sink.Url = new Uri(new Uri(app.Urls.Single()), "/hook");
        return sink;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
