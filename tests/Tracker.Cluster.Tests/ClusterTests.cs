using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Xunit.Abstractions;

namespace Tracker.Cluster.Tests;

/// <summary>
/// Issue 18's proof: three instances behind nginx, through pgbouncer to a primary with a streaming replica, do a day's
/// work while one of them is killed in the middle of the reminder sweep, and nothing is lost or doubled.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ClusterTests(ITestOutputHelper output)
{
    private const string DemoPassword = "Demo-2026-tracker";

    /// <summary>ReminderSweep's advisory lock (the one sweep at a time), as pg_locks shows it.</summary>
    private const long SweepLock = 0x7377_6565_7000;

    /// <summary>The staleness the pages state for replica reads (Tracker:Replica:MaxLagSeconds, default 30).</summary>
    private static readonly TimeSpan ReplicaStaleness = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_day_through_the_proxy_keeps_every_write_once_when_an_instance_dies_mid_sweep()
    {
        await using var hook = await WebhookSink.StartAsync();
        var clock = Stopwatch.StartNew();
        await using var cluster = await LocalCluster.StartAsync(3, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",   // the demo users
            ["Tracker__Reminders__Webhook__Url"] = hook.Url.ToString(),
            // The killed instance's sweep is run by another once its lease lapses: 15 s rather than 5 minutes.
            ["Tracker__Reminders__JobInvisibilitySeconds"] = "15",
        });
        output.WriteLine($"cluster started in {clock.Elapsed.TotalSeconds:F1} s");
        try
        {
            await DriveADayAsync(cluster, hook);
        }
        catch
        {
            output.WriteLine(cluster.LogTails());
            throw;
        }
    }

    private async Task DriveADayAsync(LocalCluster cluster, WebhookSink hook)
    {
        using var proxy = new HttpClient { BaseAddress = cluster.Proxy, Timeout = TimeSpan.FromSeconds(60) };
        var admin = await SignInAsync(proxy, "admin@demo.tracker", DemoPassword);
        var supervisor = await SignInAsync(proxy, "supervisor@demo.tracker", DemoPassword);
        var demoOfficial = await SignInAsync(proxy, "official@demo.tracker", DemoPassword);

        // A sign-in made on any instance is honoured by every other: their data-protection key ring is one, made by the
        // migrator before they started (instances started together on an empty ring each made a key of their own).
        Assert.Equal(1, (await QueryAsync(cluster.Primary, "SELECT count(*) FROM data_protection_keys", r => r.GetInt64(0))).Single());
        foreach (var issuer in cluster.InstancePorts)
        {
            using var at = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{issuer}") };
            var token = await SignInAsync(at, "deputy@demo.tracker", DemoPassword);
            foreach (var reader in cluster.InstancePorts)
            {
                using var other = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{reader}") };
                Assert.Equal("deputy@demo.tracker", (await GetAsync(other, token, "/api/auth/me")).GetProperty("email").GetString());
            }
        }

        // Several officials: the demo one, and two more the admin makes in the departments leading most items in progress.
        var ownDepartment = (await GetAsync(proxy, demoOfficial, "/api/auth/me")).GetProperty("departmentId").GetInt32();
        var departments = await QueryAsync(cluster.Primary, """
            SELECT lead_department_id FROM initiatives WHERE status = 'InProgress' AND lead_department_id <> @own
            GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2
            """, r => r.GetInt32(0), ("own", ownDepartment));
        var officials = new List<string> { demoOfficial };
        var userIds = new List<string>();
        foreach (var (department, n) in departments.Select((d, n) => (d, n + 2)))
        {
            var (email, password) = ($"official{n}@cluster.tracker", "Cluster-2026-official");
            var user = await PostAsync(proxy, admin, "/api/admin/users",
                new { email, displayName = $"办事员{n}", password, roles = new[] { "Official" }, departmentId = department }, HttpStatusCode.Created);
            userIds.Add(user.GetProperty("id").GetString()!);
            officials.Add(await SignInAsync(proxy, email, password));
        }

        // Each reports on two items of theirs in progress; the ids answered are the writes acknowledged.
        var reportIds = new List<long>();
        foreach (var official in officials)
        {
            var items = (await GetAsync(proxy, official, "/api/initiatives?status=InProgress&pageSize=2")).GetProperty("items");
            Assert.True(items.GetArrayLength() > 0, "an official with no item in progress");
            foreach (var item in items.EnumerateArray())
            {
                var report = await PostAsync(proxy, official, $"/api/initiatives/{item.GetProperty("id").GetInt64()}/reports",
                    new { phase = item.GetProperty("phase").GetString(), narrative = "本周按计划推进（集群测试）" }, HttpStatusCode.Created);
                reportIds.Add(report.GetProperty("id").GetInt64());
            }
        }

        // The sweep, held at its digests by a lock of ours so that the kill lands in its middle: its reminders and notices
        // written, its transaction open, its worker's instance known from the job's state.
        var sweepStarted = Stopwatch.StartNew();
        await using var holder = new NpgsqlConnection(cluster.Primary);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE inbox_messages IN SHARE MODE", holder, hold))
            await lockTable.ExecuteNonQueryAsync();
        var jobId = long.Parse((await PostAsync(proxy, supervisor, "/api/reminders/sweep", null, HttpStatusCode.Accepted)).GetProperty("jobId").GetString()!);
        var serverId = await PollAsync("the sweep to reach its digests", TimeSpan.FromSeconds(60), async () =>
            (await QueryAsync(cluster.Primary, """
                SELECT s.data::jsonb ->> 'ServerId' FROM hangfire.job j JOIN hangfire.state s ON s.id = j.stateid
                WHERE j.id = @job AND j.statename = 'Processing'
                  AND EXISTS (SELECT 1 FROM pg_locks w JOIN pg_locks a ON a.pid = w.pid
                              WHERE w.relation = 'inbox_messages'::regclass AND NOT w.granted
                                AND a.locktype = 'advisory' AND a.granted AND ((a.classid::int8 << 32) | a.objid::int8) = @sweep)
                """, r => r.GetString(0), ("job", jobId), ("sweep", SweepLock))).SingleOrDefault());
        // Hangfire's server id is host:pid:guid.
        var victim = int.Parse(serverId.Split(':')[^2]);
        Assert.Contains(victim, cluster.InstancePids);
        using (var process = Process.GetProcessById(victim))
            process.Kill();   // SIGKILL: no shutdown, no Hangfire goodbye
        var killedAt = DateTimeOffset.UtcNow;
        await PollAsync("the killed instance to be gone", TimeSpan.FromSeconds(10), () => Task.FromResult(Exists(victim) ? null : "gone"));
        await hold.RollbackAsync();
        output.WriteLine($"killed instance (pid {victim}) {sweepStarted.Elapsed.TotalSeconds:F1} s into the sweep");

        // Another instance's server runs the sweep again once the dead one's lease has lapsed.
        var rerunAt = await PollValueAsync("the sweep to be run again and succeed", TimeSpan.FromSeconds(90), async () =>
            (await QueryAsync(cluster.Primary, """
                SELECT p.createdat FROM hangfire.job j JOIN hangfire.state p ON p.jobid = j.id
                WHERE j.id = @job AND j.statename = 'Succeeded' AND p.name = 'Processing' AND p.data::jsonb ->> 'ServerId' <> @dead
                ORDER BY p.id LIMIT 1
                """, r => (DateTime?)r.GetDateTime(0), ("job", jobId), ("dead", serverId))).SingleOrDefault());
        output.WriteLine($"the sweep was picked up again {(rerunAt.ToUniversalTime() - killedAt.UtcDateTime).TotalSeconds:F1} s after the kill");

        // The proxy passes the dead instance's share on: every request answers.
        for (var i = 0; i < 2 * cluster.InstancePorts.Count; i++)
            await GetAsync(proxy, supervisor, "/api/auth/me");
        // A sign-in on one instance is honoured by another (sessions and data-protection keys are in PostgreSQL).
        var alive = cluster.InstancePorts.Where((_, i) => cluster.InstancePids[i] != victim).ToList();
        using (var first = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{alive[0]}") })
        using (var second = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{alive[1]}") })
        {
            var token = await SignInAsync(first, "deputy@demo.tracker", DemoPassword);
            Assert.Equal("deputy@demo.tracker", (await GetAsync(second, token, "/api/auth/me")).GetProperty("email").GetString());
        }

        // A bulletin, issued and copied to its readers by the surviving instances.
        var jurisdiction = (await GetAsync(proxy, supervisor, "/api/auth/me")).GetProperty("jurisdictionId").GetInt32();
        var bulletinId = (await PostAsync(proxy, supervisor, "/api/bulletins",
            new { jurisdictionId = jurisdiction, title = "集群测试专报", text = "一个实例在提醒扫描中途退出后的专报。" }, HttpStatusCode.Created))
            .GetProperty("id").GetInt64();

        // Every delivery sent, each received once.
        var (_, total) = await PollValueAsync("every delivery to be sent", TimeSpan.FromSeconds(90), async () =>
        {
            var counts = (await QueryAsync(cluster.Primary, "SELECT count(*) FILTER (WHERE status = 'Sent'), count(*) FROM deliveries",
                r => (Sent: r.GetInt64(0), Total: r.GetInt64(1)))).Single();
            var bulletinCopied = (await QueryAsync(cluster.Primary, "SELECT count(*) FROM inbox_messages WHERE bulletin_id = @b",
                r => r.GetInt64(0), ("b", bulletinId))).Single() > 0;
            return counts.Total > 0 && counts.Sent == counts.Total && bulletinCopied && hook.Received.Count == counts.Total
                ? ((long, long)?)(counts.Sent, counts.Total) : null;
        });
        Assert.All(hook.Received, r => Assert.Equal(1, r.Value));
        output.WriteLine($"{total} deliveries sent; the day's work took {sweepStarted.Elapsed.TotalSeconds:F1} s from the sweep");

        // Once each, by their natural keys.
        await AssertNoneAsync(cluster.Primary, "reminders twice",
            "SELECT 1 FROM reminders GROUP BY initiative_id, reason, level, period HAVING count(*) > 1");
        await AssertNoneAsync(cluster.Primary, "notices twice",
            "SELECT 1 FROM supervision_notices GROUP BY initiative_id, raised_on HAVING count(*) > 1");
        await AssertNoneAsync(cluster.Primary, "digests twice",
            "SELECT 1 FROM inbox_messages WHERE bulletin_id IS NULL AND dispatch_round_id IS NULL GROUP BY period, recipient_email HAVING count(*) > 1");
        await AssertNoneAsync(cluster.Primary, "bulletin copies twice",
            "SELECT 1 FROM inbox_messages WHERE bulletin_id IS NOT NULL GROUP BY bulletin_id, recipient_email HAVING count(*) > 1");
        await AssertNoneAsync(cluster.Primary, "deliveries twice",
            "SELECT 1 FROM deliveries GROUP BY message_id, channel HAVING count(*) > 1");
        await AssertNoneAsync(cluster.Primary, "a digest without its webhook delivery",
            "SELECT 1 FROM inbox_messages m WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.channel = 'Webhook')");
        var (reminders, digests) = (await QueryAsync(cluster.Primary, """
            SELECT (SELECT count(*) FROM reminders), (SELECT count(*) FROM inbox_messages WHERE bulletin_id IS NULL AND dispatch_round_id IS NULL)
            """, r => (r.GetInt64(0), r.GetInt64(1)))).Single();
        Assert.True(reminders > 0 && digests > 0, $"the sweep made {reminders} reminders and {digests} digests");
        Assert.Equal(1, (await QueryAsync(cluster.Primary, "SELECT count(*) FROM bulletins WHERE id = @b", r => r.GetInt64(0), ("b", bulletinId))).Single());

        // Reads that may lag are served by the replica (through pgbouncer's tracker_ro) and say how old they are.
        using (var read = await proxy.GetAsync("/api/public/initiatives"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.True(read.Headers.TryGetValues("X-Read-As-Of", out var asOf), "a public read through the proxy was not served by the replica");
            output.WriteLine($"a public read through the proxy came from the replica, as of {asOf.Single()}");
        }

        // Every acknowledged write is on the primary, and on the replica within the stated staleness.
        const string Reports = "SELECT count(*) FROM progress_reports WHERE id = ANY(@ids)";
        const string Users = "SELECT count(*) FROM users WHERE id = ANY(@users)";
        Assert.Equal(reportIds.Count, (await QueryAsync(cluster.Primary, Reports, r => r.GetInt64(0), ("ids", reportIds.ToArray()))).Single());
        Assert.Equal(userIds.Count, (await QueryAsync(cluster.Primary, Users, r => r.GetInt64(0), ("users", userIds.ToArray()))).Single());
        var replicaClock = Stopwatch.StartNew();
        await PollAsync("the replica to have every acknowledged write", ReplicaStaleness, async () =>
        {
            var reports = (await QueryAsync(cluster.Replica, Reports, r => r.GetInt64(0), ("ids", reportIds.ToArray()))).Single();
            var users = (await QueryAsync(cluster.Replica, Users, r => r.GetInt64(0), ("users", userIds.ToArray()))).Single();
            var bulletins = (await QueryAsync(cluster.Replica, "SELECT count(*) FROM bulletins WHERE id = @b", r => r.GetInt64(0), ("b", bulletinId))).Single();
            return reports == reportIds.Count && users == userIds.Count && bulletins == 1 ? "there" : null;
        });
        output.WriteLine($"{reportIds.Count} reports, {reminders} reminders, {digests} digests; on the replica after {replicaClock.Elapsed.TotalSeconds:F1} s more");
    }

    private static bool Exists(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<string> SignInAsync(HttpClient client, string email, string password)
    {
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.True(response.IsSuccessStatusCode, $"sign-in of {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string token, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<List<T>> QueryAsync<T>(string connectionString, string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
            rows.Add(read(reader));
        return rows;
    }

    private static async Task AssertNoneAsync(string connectionString, string what, string sql) =>
        Assert.True((await QueryAsync(connectionString, sql, _ => 1)).Count == 0, what);

    /// <summary>Asks until the answer is there or the time is up: these are other processes, so real time with a deadline.</summary>
    private static async Task<T> PollAsync<T>(string what, TimeSpan limit, Func<Task<T?>> ask) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await ask() is { } answer)
                return answer;
            if (clock.Elapsed > limit)
                throw new TimeoutException($"Waited {limit.TotalSeconds:F0} s for {what}.");
            await Task.Delay(100);
        }
    }

    private static async Task<T> PollValueAsync<T>(string what, TimeSpan limit, Func<Task<T?>> ask) where T : struct =>
        (await PollAsync(what, limit, async () => await ask() is { } value ? new Box<T>(value) : null)).Value;

    private sealed record Box<T>(T Value);
}
