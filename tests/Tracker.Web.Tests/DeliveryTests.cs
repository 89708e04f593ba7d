using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>A host with a Hangfire server, a real SMTP server and a real webhook listener.</summary>
public class DeliveryApp : TrackerApp
{
    public const string Secret = "robot-secret";

    public SmtpSink Smtp { get; private set; } = null!;
    public WebhookListener Webhook { get; private set; } = null!;

    protected override bool JobServer => true;

    public override async Task InitializeAsync()
    {
        Smtp = await SmtpSink.StartAsync();
        Webhook = await WebhookListener.StartAsync();
        await base.InitializeAsync();
    }

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Tracker:Reminders:Smtp:Host", Smtp.Host);
        builder.UseSetting("Tracker:Reminders:Smtp:Port", Smtp.Port.ToString());
        builder.UseSetting("Tracker:Reminders:Webhook:Url", Webhook.Url.ToString());
        builder.UseSetting("Tracker:Reminders:Webhook:Secret", Secret);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
        await Webhook.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// Job-server tests run one class at a time: a stopped SMTP sink holds its port with a bound socket,
/// which another sink started meanwhile could share, and Hangfire keeps some state per process.
/// </summary>
[CollectionDefinition(Name)]
public sealed class JobServerCollection
{
    public const string Name = "Job servers";
}

[Collection(JobServerCollection.Name)]
[Trait("Category", "JobServer")]
public sealed class DeliveryTests(DeliveryApp app) : IClassFixture<DeliveryApp>
{
    [Fact]
    public async Task Digests_go_out_by_email_and_webhook_once_each_even_when_both_channels_were_down_first()
    {
        var people = await app.OverdueItemsAsync();
        await app.Smtp.StopAsync();
        app.Webhook.Failing = true;

        var sweep = await app.SweepAsync();
        Assert.Equal(3, sweep.Digests);
        Assert.Equal(6, sweep.Deliveries);
        await EveryDeliveryAsync(d => d.Attempts >= 2 && d.Status == DeliveryStatus.Pending, "failed twice");

        await app.Smtp.RestartAsync();
        app.Webhook.Failing = false;
        var mails = await app.Smtp.WaitForAsync(3, TimeSpan.FromSeconds(60));
        var hooks = await app.Webhook.WaitForAsync(3, TimeSpan.FromSeconds(60));
        await EveryDeliveryAsync(d => d.Status == DeliveryStatus.Sent, "sent");

        // Exactly once: nothing more arrives after every delivery is marked sent, and a second sweep adds nothing.
        var again = await app.SweepAsync();
        Assert.Equal((0, 0), (again.Digests, again.Deliveries));
        Assert.Equal(3, app.Smtp.Messages().Count);
        Assert.Equal(3, app.Webhook.Received.Count);
        Assert.Equal(people, mails.Select(m => m.To.Mailboxes.Single().Address).Order());
        Assert.All(mails, m => Assert.StartsWith("【督办提醒】2026-06-15", m.Subject));
        Assert.Equal(3, hooks.Select(h => h.Headers["X-Tracker-Delivery"]).Distinct().Count());
        foreach (var hook in hooks)
        {
            var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(DeliveryApp.Secret), Encoding.UTF8.GetBytes(hook.Body)));
            Assert.Equal(signature, hook.Headers["X-Tracker-Signature"]);
        }

        await using var db = app.Db();
        var attempts = await db.DeliveryAttempts.GroupBy(a => a.DeliveryId)
            .Select(g => new { Failed = g.Count(a => !a.Succeeded), Succeeded = g.Count(a => a.Succeeded) }).ToListAsync();
        Assert.Equal(6, attempts.Count);
        Assert.All(attempts, a => Assert.True(a.Failed >= 2 && a.Succeeded == 1, $"{a.Failed} failed, {a.Succeeded} succeeded"));
    }

    /// <summary>
    /// Waits for Hangfire's workers to bring every delivery to a state. They leave no signal to await
    /// but the rows themselves, so this reads them, bounded by a deadline.
    /// </summary>
    private async Task EveryDeliveryAsync(Func<Delivery, bool> state, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var db = app.Db();
            var deliveries = await db.Deliveries.AsNoTracking().ToListAsync();
            if (deliveries.Count > 0 && deliveries.All(state))
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not every delivery {what}: {string.Join(", ", deliveries.Select(d => $"{d.Id}:{d.Status}/{d.Attempts}"))}");
            await Task.Delay(200);
        }
    }
}

/// <summary>A second host with its own Hangfire server on the first one's database.</summary>
public sealed class SecondServer(DeliveryApp first) : TrackerApp
{
    protected override bool JobServer => true;

    public override Task InitializeAsync()
    {
        ConnectionString = first.ConnectionString;
        return Task.CompletedTask;
    }

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Tracker:Reminders:Smtp:Host", first.Smtp.Host);
        builder.UseSetting("Tracker:Reminders:Smtp:Port", first.Smtp.Port.ToString());
        builder.UseSetting("Tracker:Reminders:Webhook:Url", first.Webhook.Url.ToString());
        builder.UseSetting("Tracker:Reminders:Webhook:Secret", DeliveryApp.Secret);
    }
}

[Collection(JobServerCollection.Name)]
[Trait("Category", "JobServer")]
public sealed class TwoServerTests(DeliveryApp app) : IClassFixture<DeliveryApp>
{
    [Fact]
    public async Task Two_servers_sweeping_at_the_same_time_create_and_deliver_everything_once()
    {
        await app.OverdueItemsAsync();
        await using var second = new SecondServer(app);
        await second.InitializeAsync();
        second.Clock.SetUtcNow(app.Clock.GetUtcNow());

        var results = await Task.WhenAll(app.SweepAsync(), second.SweepAsync());

        Assert.Equal(3, results.Sum(r => r.Digests));
        Assert.Equal(1, results.Count(r => r.Digests > 0));   // the other waited for the first, then found the day done
        var hooks = await app.Webhook.WaitForAsync(3, TimeSpan.FromSeconds(60));
        var mails = await app.Smtp.WaitForAsync(3, TimeSpan.FromSeconds(60));
        await using var db = app.Db();
        Assert.Equal(await db.Reminders.CountAsync(), await db.Reminders.Select(r => new { r.InitiativeId, r.Reason, r.Level, r.Period }).Distinct().CountAsync());
        Assert.Equal(3, await db.Inbox.CountAsync());
        Assert.Equal(6, await db.Deliveries.CountAsync());     // email and webhook per digest
        Assert.Equal(3, hooks.Select(h => h.Headers["X-Tracker-Delivery"]).Distinct().Count());
        Assert.Equal(3, mails.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
        while (await db.Deliveries.AnyAsync(d => d.Status != DeliveryStatus.Sent))
            await Task.Delay(200); // the rows are the only signal Hangfire's workers leave; the test's timeout bounds this
        Assert.Equal((3, 3), (app.Webhook.Received.Count, app.Smtp.Messages().Count));
    }
}
