using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>"Retry now" (<see cref="RetryDelivery"/>) through <c>POST /api/deliveries/{id}/retry</c>, against the real webhook listener and SMTP server.</summary>
[Collection(JobServerCollection.Name)]
[Trait("Category", "JobServer")]
public sealed class DeliveryRetryTests(DeliveryApp app) : IClassFixture<DeliveryApp>
{
    [Fact]
    public async Task A_delivery_that_failed_with_the_listener_down_is_sent_once_when_retry_now_is_asked_twice_with_it_up()
    {
        var id = await FailedDeliveryAsync(DeliveryChannel.Webhook, () => { app.Webhook.Failing = true; return Task.CompletedTask; });
        app.Webhook.Failing = false;
        var admin = await app.AdminClient();

        var answers = await Task.WhenAll(admin.PostAsync($"/api/deliveries/{id}/retry", null), admin.PostAsync($"/api/deliveries/{id}/retry", null));

        // The second waited for the first's lock, then found the retry queued (or, had the job been quicker, the delivery sent).
        var queued = new List<bool>();
        foreach (var answer in answers)
        {
            Assert.True(answer.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
            if (answer.StatusCode == HttpStatusCode.OK)
                queued.Add((await app.ReadAsync<RetryResult>(answer)).Queued);
        }
        Assert.Equal(1, queued.Count(q => q));
        var sent = await SentAsync(id);
        Assert.Equal(2, sent.Attempts);
        Assert.Null(sent.LastError);
        Assert.Null(sent.NextAttemptAt);
        Assert.Single(app.Webhook.Received, h => h.Headers["X-Tracker-Delivery"] == id.ToString());

        // Sent is sent: a third request is refused and sends nothing.
        var again = await admin.PostAsync($"/api/deliveries/{id}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("delivery-sent", await again.Content.ReadAsStringAsync());
        Assert.Single(app.Webhook.Received, h => h.Headers["X-Tracker-Delivery"] == id.ToString());
    }

    [Fact]
    public async Task An_email_that_failed_with_the_smtp_server_down_is_sent_once_by_retry_now_and_the_log_shows_each_state()
    {
        var id = await FailedDeliveryAsync(DeliveryChannel.Email, app.Smtp.StopAsync);
        var admin = await app.AdminClient();
        var failing = (await admin.GetFromJsonAsync<Paged<DeliveryDto>>("/api/deliveries?status=Pending&pageSize=200", TrackerApp.Json))!.Items.Single(d => d.Id == id);
        Assert.Equal(1, failing.Attempts);
        Assert.NotNull(failing.LastError);

        await app.Smtp.RestartAsync();
        var answer = await admin.PostAsync($"/api/deliveries/{id}/retry", null);
        Assert.True((await app.ReadAsync<RetryResult>(answer.EnsureSuccessStatusCode())).Queued);

        await SentAsync(id);
        var mails = await app.Smtp.WaitForAsync(1, TimeSpan.FromSeconds(60));
        Assert.Single(mails);
    }

    [Fact]
    public async Task Retry_now_is_for_supervisors_and_admins_and_an_unknown_delivery_is_not_found()
    {
        var official = await app.OfficialOf((await app.NewPlaceAsync()).CountyDepartmentId);
        Assert.Equal(HttpStatusCode.Forbidden, (await official.PostAsync("/api/deliveries/1/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.AdminClient()).PostAsync("/api/deliveries/999999999/retry", null)).StatusCode);
    }

    /// <summary>A digest with one delivery, tried once by <see cref="DeliveryJob"/> with its channel down (<paramref name="down"/>): Pending, one failed attempt.</summary>
    private async Task<long> FailedDeliveryAsync(DeliveryChannel channel, Func<Task> down)
    {
        await using var db = app.Db();
        var message = new InboxMessage
        {
            Period = new DateOnly(2026, 6, 1),
            RecipientEmail = $"retry-{Guid.NewGuid():N}@example.gov.cn",
            RecipientName = "责任人",
            Subject = "【督办提醒】重试",
            Body = "1 个事项需要处理。",
            ItemCount = 1,
            CreatedAt = app.Clock.GetUtcNow(),
        };
        db.Inbox.Add(message);
        await db.SaveChangesAsync();
        var delivery = new Delivery { MessageId = message.Id, Channel = channel, Status = DeliveryStatus.Pending };
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync();

        await down();
        // Run here, not by Hangfire, so that no automatic retry races the one asked for by hand.
        await using (var scope = app.Services.CreateAsyncScope())
            await Assert.ThrowsAsync<DeliveryFailedException>(() => scope.ServiceProvider.GetRequiredService<DeliveryJob>().DeliverAsync(delivery.Id, CancellationToken.None));
        var failed = await db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == delivery.Id);
        Assert.Equal((DeliveryStatus.Pending, 1), (failed.Status, failed.Attempts));
        Assert.NotNull(failed.LastError);
        return delivery.Id;
    }

    /// <summary>
    /// Waits for Hangfire's worker to send the delivery. It leaves no signal to await but the row itself, so this reads
    /// it, bounded by a deadline (as <see cref="DeliveryTests"/> does).
    /// </summary>
    private async Task<Delivery> SentAsync(long id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var db = app.Db();
            var delivery = await db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == id);
            if (delivery.Status == DeliveryStatus.Sent)
                return delivery;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Delivery {id} not sent: {delivery.Attempts} attempts, {delivery.LastError}");
            await Task.Delay(200);
        }
    }
}
