using System.Collections.Concurrent;
using System.Text.Json;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>A case given to one person, with its place in the run.</summary>
public sealed record FuzzRequest(int Seq, FuzzCase Case, string Who)
{
    public string Describe() => $"#{Seq} {Who,-15} {Case.Method} {Shorten(Case.Url, 160)}";

    private static string Shorten(string s, int max) => s.Length <= max ? s : $"{s[..max]}… ({s.Length:N0} chars)";
}

/// <summary>What the service answered (status 0: the request threw in the client or the test server).</summary>
public sealed record FuzzResult(FuzzRequest Request, int Status, string? Title, string? Detail, string? Exception, bool Replay)
{
    /// <summary>From sending to the whole answer read (under the run's concurrency).</summary>
    public TimeSpan Took { get; init; }

    /// <summary>An accepted write: the one kind of request allowed to change data.</summary>
    public bool MayWrite => !Request.Case.IsRead && Status is >= 200 and < 300;

    public string StatusClass => Status switch { >= 200 and < 300 => "2xx", >= 300 and < 400 => "3xx", >= 400 and < 500 => "4xx", >= 500 => "5xx", _ => "no answer" };
}

/// <summary>A refused request after which some tables were not as before; <paramref name="Allowed"/> when it may.</summary>
public sealed record DataChange(FuzzResult Result, IReadOnlyList<string> Tables, string How, bool Allowed);

/// <summary>
/// Sends fuzz requests and checks the two rules: no answer is a 5xx (the caller reads <see cref="Results"/>), and a
/// refused request (anything but a 2xx write) changes no table. Checking the second after every request would need a
/// fingerprint per request, so requests go in concurrent batches with one fingerprint after each batch:
/// <list type="bullet">
/// <item>each (operation, person) pair has an acceptance rate learnt so far. Of every window of requests, those of
/// pairs never accepted yet go in large batches; the others in small ones, each expected to hold at most
/// <see cref="ExpectedAcceptsPerBatch"/> accepted writes (a pair that is often accepted goes alone);</item>
/// <item>if the tables did not change, no refused request of the batch changed anything;</item>
/// <item>if they did, its refused requests are sent again, all at once, and fingerprinted; if that changed tables,
/// each half again, and so on (bisection), down to a single request that is refused again and changes tables, which
/// is reported. If the batch accepted no write and bisection finds nothing, the batch is reported as a whole, unless
/// one of its requests is one that may change those tables though refused (<c>mayChange</c>, e.g. a failed sign-in
/// counting the failure).</item>
/// </list>
/// Reads are checked the same way, as refused requests: reads change nothing. What is sent is fixed by the caller;
/// within a window the order follows the rates, and the replays follow the answers.
/// </summary>
public sealed class FuzzRunner(FuzzWorld world, Func<FuzzResult, IReadOnlyList<string>, bool> mayChange,
    int parallelism = 4, int maxBatch = 64, int window = 128)
{
    private const double ExpectedAcceptsPerBatch = 0.5;

    private readonly ConcurrentDictionary<(string, string), (int Accepted, int Total)> _rates = new();
    private readonly ConcurrentDictionary<string, string> _eTags = new();
    private readonly System.Diagnostics.Stopwatch _fingerprinting = new();
    private TableFingerprint.Snapshot? _current;

    public List<FuzzResult> Results { get; } = [];
    public List<DataChange> Changes { get; } = [];
    public int Fingerprints { get; private set; }
    public TimeSpan FingerprintTime => _fingerprinting.Elapsed;
    public int Batches { get; private set; }
    public int Replays { get; private set; }
    public int DirtyBatches { get; private set; }

    /// <summary>The (operation, person) pairs with an accepted write, with how many of their writes were accepted.</summary>
    public string AcceptedPairs() => string.Join("\n", _rates.Where(r => r.Value.Accepted > 0).OrderByDescending(r => r.Value.Total)
        .Select(r => $"  {r.Key.Item1} as {r.Key.Item2}: {r.Value.Accepted}/{r.Value.Total}"));

    public async Task RunAsync(IReadOnlyList<FuzzRequest> requests)
    {
        _current ??= await FingerprintAsync();
        foreach (var part in requests.Chunk(window))
        {
            var rated = part.Select(r => (Request: r, Rate: Rate(r))).ToList();
            foreach (var quiet in rated.Where(r => r.Rate == 0).Select(r => r.Request).Chunk(maxBatch))
                await RunBatchAsync(quiet);
            var pending = new Queue<FuzzRequest>(rated.Where(r => r.Rate > 0).Select(r => r.Request));
            while (pending.Count > 0)
            {
                var batch = new List<FuzzRequest>();
                var expected = 0.0;
                while (pending.Count > 0 && batch.Count < maxBatch)
                {
                    var rate = Rate(pending.Peek());
                    if (batch.Count > 0 && expected + rate > ExpectedAcceptsPerBatch)
                        break;
                    batch.Add(pending.Dequeue());
                    expected += rate;
                }
                await RunBatchAsync(batch);
            }
        }
    }

    private double Rate(FuzzRequest r)
    {
        if (r.Case.IsRead)
            return 0;
        var (accepted, total) = _rates.GetValueOrDefault((r.Case.Operation, r.Who));
        return (double)accepted / (total + 2);
    }

    private async Task<FuzzResult[]> SendAllAsync(IReadOnlyList<FuzzRequest> requests, bool replay)
    {
        var results = new FuzzResult[requests.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            async (i, _) => results[i] = await SendAsync(requests[i], replay));
        if (replay)
            Replays += requests.Count;
        Record(results);
        return results;
    }

    private async Task RunBatchAsync(IReadOnlyList<FuzzRequest> batch)
    {
        Batches++;
        var before = _current!;
        var results = await SendAllAsync(batch, replay: false);
        var after = _current = await FingerprintAsync();
        var changed = after.ChangedSince(before);
        if (changed.Count == 0)
            return;
        DirtyBatches++;

        var refused = results.Where(r => !r.MayWrite).ToList();
        if (batch.Count == 1)
        {
            if (refused.Count == 1)
                Changes.Add(new DataChange(refused[0], changed, "sent alone", mayChange(refused[0], changed)));
            return;
        }
        if (!await BisectAsync(refused.ToDictionary(r => r.Request.Seq, r => r.Status), [.. refused.Select(r => r.Request)])
            && results.All(r => !r.MayWrite) && !refused.Any(r => mayChange(r, changed)))
            foreach (var r in refused)
                Changes.Add(new DataChange(r, changed, $"a batch of {batch.Count} refused requests changed these tables; no replay did", false));
    }

    /// <summary>Sends the suspects again together; if tables change, each half of those refused again, and so on.
    /// True when some request was found to change tables while refused.</summary>
    private async Task<bool> BisectAsync(Dictionary<int, int> firstAnswers, IReadOnlyList<FuzzRequest> suspects)
    {
        if (suspects.Count == 0)
            return false;
        var ahead = _current!;
        var again = await SendAllAsync(suspects, replay: true);
        _current = await FingerprintAsync();
        var tables = _current.ChangedSince(ahead);
        if (tables.Count == 0)
            return false;
        var still = again.Where(r => !r.MayWrite).ToList();
        if (suspects.Count == 1)
        {
            if (still.Count == 1)
                Changes.Add(new DataChange(still[0], tables, $"sent again alone (first answer {firstAnswers[still[0].Request.Seq]})", mayChange(still[0], tables)));
            return still.Count == 1;
        }
        var half = still.Count / 2;
        var left = await BisectAsync(firstAnswers, [.. still.Take(half).Select(r => r.Request)]);
        var right = await BisectAsync(firstAnswers, [.. still.Skip(half).Select(r => r.Request)]);
        return left || right;
    }

    private void Record(IEnumerable<FuzzResult> results)
    {
        foreach (var r in results)
        {
            Results.Add(r);
            if (!r.Request.Case.IsRead)
                _rates.AddOrUpdate((r.Request.Case.Operation, r.Request.Who), _ => (r.MayWrite ? 1 : 0, 1),
                    (_, old) => (old.Accepted + (r.MayWrite ? 1 : 0), old.Total + 1));
        }
    }

    private async Task<TableFingerprint.Snapshot> FingerprintAsync()
    {
        Fingerprints++;
        _fingerprinting.Start();
        try
        {
            return await world.Fingerprint.TakeAsync();
        }
        finally
        {
            _fingerprinting.Stop();
        }
    }

    private async Task<FuzzResult> SendAsync(FuzzRequest request, bool replay)
    {
        var c = request.Case;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var message = new HttpRequestMessage(new HttpMethod(c.Method), c.Url);
            if (c.Body is not null)
            {
                message.Content = new ByteArrayContent(c.Body);
                if (c.ContentType is not null)
                    message.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
            }
            foreach (var (name, value) in c.Headers)
                message.Headers.TryAddWithoutValidation(name, value);
            if (c.ETagFrom is not null && await ETagAsync(c.ETagFrom) is { } eTag)
                message.Headers.TryAddWithoutValidation("If-Match", eTag);

            using var response = await world.Client(request.Who).SendAsync(message);
            if (c.ETagFrom is not null)
            {
                if (response.Headers.ETag is { } next)
                    _eTags[c.ETagFrom] = next.ToString();
                else if ((int)response.StatusCode is 409 or 412 or 428)
                    _eTags.TryRemove(c.ETagFrom, out _);
            }
            var text = await response.Content.ReadAsStringAsync();
            string? title = null, detail = null, traceId = null;
            if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                try
                {
                    using var problem = JsonDocument.Parse(text);
                    title = Text(problem.RootElement, "title");
                    detail = Text(problem.RootElement, "detail");
                    traceId = Text(problem.RootElement, "traceId");
                    if (problem.RootElement.TryGetProperty("errors", out var errors))
                        detail = (detail is null ? "" : detail + " ") + Cut(errors.GetRawText(), 300);
                }
                catch (JsonException)
                {
                    detail = Cut(text, 300);
                }
            }
            else if ((int)response.StatusCode >= 400)
            {
                detail = Cut(text, 300);
            }
            return new FuzzResult(request, (int)response.StatusCode, title, detail, world.Errors.Find(traceId), replay) { Took = clock.Elapsed };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new FuzzResult(request, 0, "The request threw instead of being answered.", null, ServerErrorLog.Describe(e), replay) { Took = clock.Elapsed };
        }
    }

    /// <summary>
    /// The item's current ETag for a request that must send it (If-Match): the one the last answer about the item
    /// carried, or, when none did or it went stale (409, 412, 428), the one its GET answers with now.
    /// </summary>
    private async Task<string?> ETagAsync(string path)
    {
        if (_eTags.TryGetValue(path, out var known))
            return known;
        using var response = await world.Client("admin").GetAsync(path);
        if (response.Headers.ETag?.ToString() is not { } eTag)
            return null;
        _eTags[path] = eTag;
        return eTag;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
