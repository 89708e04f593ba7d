using System.Diagnostics;

namespace Tracker.ProvinceBench;

public sealed record LoadResult(int Requests, int Errors, string? FirstError, double MedianMs, double P95Ms, double PerSecond);

/// <summary>
/// A closed-loop HTTP load: N workers over N keep-alive connections, each sending its next request when the last one's
/// body has been read (as wrk does). Requests that start and end inside the measured window count; the warm-up's don't.
/// </summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(Uri baseAddress, Func<HttpRequestMessage> request, int connections,
        TimeSpan warmUp, TimeSpan duration, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseCookies = false,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        // What is still in flight a second after the window is abandoned (it would not count anyway): a figure takes its
        // window, however slow the endpoint.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(warmUp + duration + TimeSpan.FromSeconds(1));
        var token = stop.Token;
        var clock = Stopwatch.StartNew();
        var windowStart = warmUp.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        var windowEnd = (warmUp + duration).Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        var errors = 0;
        string? firstError = null;

        async Task<List<long>> WorkerAsync()
        {
            var latencies = new List<long>(4096);
            var buffer = new byte[64 * 1024];
            while (clock.ElapsedTicks < windowEnd && !token.IsCancellationRequested)
            {
                var started = clock.ElapsedTicks;
                bool ok;
                string? failure = null;
                try
                {
                    using var message = request();
                    using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token);
                    await using var body = await response.Content.ReadAsStreamAsync(token);
                    while (await body.ReadAsync(buffer, token) > 0) { }
                    ok = response.IsSuccessStatusCode;
                    if (!ok)
                        failure = $"{(int)response.StatusCode} {message.Method} {message.RequestUri}";
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    break;   // past the window
                }
                catch (HttpRequestException e)
                {
                    ok = false;
                    failure = e.Message;
                }
                var ended = clock.ElapsedTicks;
                if (started < windowStart || ended > windowEnd)
                    continue;
                if (ok)
                    latencies.Add(ended - started);
                else
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, failure, null);
                }
            }
            return latencies;
        }

        var all = (await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(WorkerAsync, ct)))).SelectMany(l => l).ToArray();
        Array.Sort(all);
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double Percentile(double p) => all.Length == 0 ? double.NaN : Ms(all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)]);
        return new LoadResult(all.Length, errors, firstError, Percentile(0.50), Percentile(0.95), all.Length / duration.TotalSeconds);
    }
}
