using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Web.Features.Bulletins;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>A job-server host with a DingTalk-style and a WeCom-style robot listening on 127.0.0.1.</summary>
public sealed class RobotApp : DeliveryApp
{
    public WebhookListener DingTalk { get; private set; } = null!;
    public WebhookListener WeCom { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        DingTalk = await WebhookListener.StartAsync();
        WeCom = await WebhookListener.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await DingTalk.DisposeAsync();
        await WeCom.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Issue 15: a bulletin goes to everyone in its scope (inbox, e-mail) and to each work-group robot, once.</summary>
[Collection(JobServerCollection.Name)]
[Trait("Category", "JobServer")]
public sealed class BulletinDeliveryTests(RobotApp app) : IClassFixture<RobotApp>
{
    private const string DingTalkSecret = "SEC0123456789abcdef";

    [Fact]
    public async Task A_bulletin_reaches_everyone_in_scope_and_each_robot_once_signed_even_after_an_outage()
    {
        var place = await app.NewPlaceAsync();
        var elsewhere = await app.NewPlaceAsync();
        var supervisor = await app.SupervisorOf(place.CountyId);
        await app.OfficialOf(place.TownshipDepartmentId);
        await app.OfficialOf(elsewhere.CountyDepartmentId);
        (await supervisor.PostAsJsonAsync($"/api/jurisdictions/{place.CountyId}/robots",
            new RobotInput(RobotKind.DingTalk, "县督查工作群", $"{app.DingTalk.Url}?access_token=t1", DingTalkSecret), TrackerApp.Json)).EnsureSuccessStatusCode();
        (await supervisor.PostAsJsonAsync($"/api/jurisdictions/{place.CountyId}/robots",
            new RobotInput(RobotKind.WeCom, "县政府值班群", $"{app.WeCom.Url}?key=k1", null), TrackerApp.Json)).EnsureSuccessStatusCode();
        app.DingTalk.Failing = true;
        app.WeCom.Failing = true;

        var issued = await supervisor.PostAsJsonAsync("/api/bulletins", new SpecialBulletinInput(place.CountyId, "关于第一季度重点工作进展的通报", "各单位："), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var bulletin = (await issued.Content.ReadFromJsonAsync<BulletinDetail>(TrackerApp.Json))!;
        await EveryRobotDeliveryAsync(bulletin.Id, d => d.Attempts >= 2 && d.Status == DeliveryStatus.Pending, "failed twice");
        app.DingTalk.Failing = false;
        app.WeCom.Failing = false;
        var dingTalk = (await app.DingTalk.WaitForAsync(1, TimeSpan.FromSeconds(60))).Single();
        var weCom = (await app.WeCom.WaitForAsync(1, TimeSpan.FromSeconds(60))).Single();
        await EveryRobotDeliveryAsync(bulletin.Id, d => d.Status == DeliveryStatus.Sent, "sent");

        // Sent on its way again (a retry of the fan-out): nothing is added, nothing arrives twice.
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DeliverBulletin>().RunAsync(bulletin.Id, CancellationToken.None);
        await using var db = app.Db();
        var inScope = await db.Users.Where(u => u.DepartmentId == place.CountyDepartmentId || u.DepartmentId == place.TownshipDepartmentId || u.JurisdictionId == place.CountyId)
            .Select(u => u.Email!.ToLower()).ToListAsync();
        var inbox = await db.Inbox.Where(m => m.BulletinId == bulletin.Id).Select(m => m.RecipientEmail).ToListAsync();
        Assert.Equal(inScope.Order(), inbox.Order());
        var mails = await app.Smtp.WaitForAsync(inScope.Count, TimeSpan.FromSeconds(60));
        Assert.Equal(inScope.Order(), mails.Select(m => m.To.Mailboxes.Single().Address).Order());
        Assert.All(mails, m => Assert.StartsWith("【通报】关于第一季度重点工作进展的通报 2026年第1期", m.Subject));
        Assert.Equal((1, 1), (app.DingTalk.Received.Count, app.WeCom.Received.Count));
        Assert.Equal(2, await db.RobotDeliveries.CountAsync(d => d.BulletinId == bulletin.Id));

        // DingTalk: signed as its robot checks it (HMAC-SHA256 of "timestamp\nsecret", base64), markdown with a title.
        var query = QueryHelpers.ParseQuery(dingTalk.Query);
        Assert.Equal("t1", query["access_token"]);
        var timestamp = long.Parse(query["timestamp"]!);
        Assert.Equal(app.Clock.GetUtcNow().ToUnixTimeMilliseconds(), timestamp);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(DingTalkSecret), Encoding.UTF8.GetBytes($"{timestamp}\n{DingTalkSecret}")));
        Assert.Equal(expected, query["sign"]);
        var ding = JsonNode.Parse(dingTalk.Body)!;
        Assert.Equal("markdown", ding["msgtype"]!.GetValue<string>());
        Assert.Equal("关于第一季度重点工作进展的通报 2026年第1期", ding["markdown"]!["title"]!.GetValue<string>());
        Assert.StartsWith("### 关于第一季度重点工作进展的通报", ding["markdown"]!["text"]!.GetValue<string>());
        // WeCom: its markdown message.
        var we = JsonNode.Parse(weCom.Body)!;
        Assert.Equal("markdown", we["msgtype"]!.GetValue<string>());
        Assert.Contains("2026年第1期", we["markdown"]!["content"]!.GetValue<string>());
        Assert.Equal("?key=k1", weCom.Query);

        var attempts = await db.RobotAttempts.Join(db.RobotDeliveries.Where(d => d.BulletinId == bulletin.Id), a => a.RobotDeliveryId, d => d.Id, (a, d) => a)
            .GroupBy(a => a.RobotDeliveryId).Select(g => new { Failed = g.Count(a => !a.Succeeded), Succeeded = g.Count(a => a.Succeeded) }).ToListAsync();
        Assert.All(attempts, a => Assert.True(a.Failed >= 2 && a.Succeeded == 1, $"{a.Failed} failed, {a.Succeeded} succeeded"));
    }

    [Fact]
    public async Task A_dingtalk_robot_needs_its_secret_and_a_stranger_cannot_add_robots()
    {
        var place = await app.NewPlaceAsync();
        var other = await app.NewPlaceAsync();
        var refused = await (await app.SupervisorOf(place.CountyId)).PostAsJsonAsync($"/api/jurisdictions/{place.CountyId}/robots",
            new RobotInput(RobotKind.DingTalk, "群", "https://oapi.dingtalk.com/robot/send?access_token=x", null), TrackerApp.Json);
        var stranger = await (await app.SupervisorOf(other.CountyId)).PostAsJsonAsync($"/api/jurisdictions/{place.CountyId}/robots",
            new RobotInput(RobotKind.WeCom, "群", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", null), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Secret", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
    }

    /// <summary>Hangfire's workers leave no signal but the rows: read them until they are in the state, bounded by a deadline.</summary>
    private async Task EveryRobotDeliveryAsync(long bulletin, Func<RobotDelivery, bool> state, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var db = app.Db();
            var deliveries = await db.RobotDeliveries.AsNoTracking().Where(d => d.BulletinId == bulletin).ToListAsync();
            if (deliveries.Count == 2 && deliveries.All(state))
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Robot deliveries not all {what}: {string.Join(", ", deliveries.Select(d => $"{d.Status}/{d.Attempts}"))}");
            await Task.Delay(200);
        }
    }
}
