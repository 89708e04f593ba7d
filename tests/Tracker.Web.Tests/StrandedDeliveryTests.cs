using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>Email digests configured, no job server: what the sweep queues stays in Hangfire's queue to be looked at.</summary>
public sealed class QueuedDeliveriesApp : TrackerApp
{
    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Tracker:Reminders:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Tracker:Reminders:Smtp:Port", "9");
    }
}

public sealed class StrandedDeliveryTests(QueuedDeliveriesApp app) : IClassFixture<QueuedDeliveriesApp>
{
    [Fact]
    public async Task A_sweep_run_again_after_its_instance_died_between_commit_and_queueing_queues_todays_untried_deliveries()
    {
        await app.OverdueItemsAsync();

        var first = await app.SweepAsync();
        // The instance dies after the sweep's commit, before its deliveries reach the queue: none is queued.
        await using (var db = app.Db())
            await db.Database.ExecuteSqlRawAsync("DELETE FROM hangfire.jobqueue");
        var again = await app.SweepAsync();

        await using var check = app.Db();
        var pending = await check.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Pending && d.Attempts == 0);
        var queued = await check.Database.SqlQuery<int>($"""SELECT count(*)::int AS "Value" FROM hangfire.jobqueue""").SingleAsync();
        Assert.True(first.Deliveries > 0);
        Assert.Equal(0, again.Deliveries);   // the re-run makes nothing new…
        Assert.Equal(pending, queued);       // …and queues every delivery of the day not yet tried, once
        Assert.True(queued >= first.Deliveries);
    }
}
