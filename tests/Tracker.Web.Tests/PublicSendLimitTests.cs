using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>A second instance of the service on a <see cref="StrictProposalsApp"/>'s database, as behind a balancer.</summary>
public sealed class SecondStrictInstance(StrictProposalsApp first) : TrackerApp
{
    public override Task InitializeAsync()
    {
        ConnectionString = first.ConnectionString;
        return Task.CompletedTask;
    }

    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("Tracker:Livelihood:PublicProposalsPerMinute", "2");
}

/// <summary>The public's send limit is kept in PostgreSQL: instances behind a balancer count one address's sends together.</summary>
public sealed class PublicSendLimitTests(StrictProposalsApp app) : IClassFixture<StrictProposalsApp>
{
    private static readonly IPAddress Resident = IPAddress.Parse("198.51.100.7");
    private static readonly IPAddress Neighbour = IPAddress.Parse("198.51.100.8");

    [Fact]
    public async Task Two_instances_count_an_addresss_sends_together_refuse_the_third_with_a_wait_and_let_it_send_again_next_minute()
    {
        await using var second = new SecondStrictInstance(app);
        await second.InitializeAsync();
        var place = await app.NewPlaceAsync();
        // 20 s into the next minute's window, so the wait below is the window's other 40 s.
        var now = app.Clock.GetUtcNow();
        var start = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMinute)).AddSeconds(80);
        app.Clock.SetUtcNow(start);
        second.Clock.SetUtcNow(start);

        var first = await SendAsync(app, Resident, place.CountyId, "甲 一");
        var other = await SendAsync(second, Resident, place.CountyId, "甲 二");
        var refused = await SendAsync(app, Resident, place.CountyId, "甲 三");
        var elsewhere = await SendAsync(second, Neighbour, place.CountyId, "乙 一");

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created], [first.StatusCode, other.StatusCode]);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("40", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
        await using (var db = app.Db())
            Assert.False(await db.Proposals.AnyAsync(p => p.Title == "甲 三"));

        app.Clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(app, Resident, place.CountyId, "甲 四")).StatusCode);
    }

    [Fact]
    public async Task The_purge_deletes_windows_over_an_hour_old_and_nothing_more_when_run_again()
    {
        var place = await app.NewPlaceAsync();
        await SendAsync(app, IPAddress.Parse("198.51.100.9"), place.CountyId, "旧 一");
        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await SendAsync(app, IPAddress.Parse("198.51.100.10"), place.CountyId, "新 一");

        await using var scope = app.Services.CreateAsyncScope();
        var limit = scope.ServiceProvider.GetRequiredService<PublicSendLimit>();
        var purged = await limit.PurgeAsync(CancellationToken.None);
        var again = await limit.PurgeAsync(CancellationToken.None);

        await using var db = app.Db();
        var keys = await db.Database.SqlQuery<string>($"""SELECT key AS "Value" FROM rate_windows""").ToListAsync();
        Assert.True(purged >= 1);
        Assert.Equal(0, again);
        Assert.DoesNotContain("public-send:198.51.100.9", keys);
        Assert.Contains("public-send:198.51.100.10", keys);
    }

    private static async Task<HttpResponseMessage> SendAsync(TrackerApp instance, IPAddress from, int jurisdictionId, string title)
    {
        using var client = new HttpClient(instance.Server.CreateHandler(c => c.Connection.RemoteIpAddress = from)) { BaseAddress = instance.Server.BaseAddress };
        return await client.PostAsJsonAsync("/api/public/proposals", new ProposalInput(jurisdictionId, 2026, title, null), TrackerApp.Json);
    }
}
