using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tracker.Domain;
using Tracker.Web.Features.Bulletins;
using Tracker.Web.Features.Progress;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>Issue 15: bulletins issued once per jurisdiction, kind and period, numbered, kept whole; special ones and withdrawals.</summary>
public sealed class BulletinTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task A_bulletin_is_issued_once_whatever_retries_or_servers_and_only_where_switched_on()
    {
        var place = await app.NewPlaceAsync();
        var other = await app.NewPlaceAsync();
        var supervisor = await app.SupervisorOf(place.CountyId);
        (await supervisor.PutAsJsonAsync($"/api/jurisdictions/{place.CountyId}/bulletin-settings", new BulletinSettingsInput(true, true, false))).EnsureSuccessStatusCode();
        await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId));

        // Two servers at once, then the recurring job twice (a retry).
        var racing = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<IssueBulletin>().RunAsync(place.CountyId, BulletinKind.Daily, CancellationToken.None)).Id;
        }));
        await RunJobAsync(BulletinKind.Daily);
        await RunJobAsync(BulletinKind.Daily);
        await RunJobAsync(BulletinKind.Weekly);
        await RunJobAsync(BulletinKind.Monthly);

        Assert.Equal(racing[0], racing[1]);
        await using var db = app.Db();
        var issued = await db.Bulletins.Where(b => b.JurisdictionId == place.CountyId).OrderBy(b => b.Kind).ToListAsync();
        Assert.Equal([(BulletinKind.Daily, "2026-06-15", 1), (BulletinKind.Weekly, "2026-W24", 1)], issued.Select(b => (b.Kind, b.PeriodKey, b.Number)));
        Assert.Equal((new DateOnly(2026, 6, 8), new DateOnly(2026, 6, 14)), (issued[1].PeriodFrom, issued[1].PeriodTo));
        Assert.False(await db.Bulletins.AnyAsync(b => b.JurisdictionId == other.CountyId));
        Assert.Equal(new BulletinSettingsInput(true, true, false), await supervisor.GetFromJsonAsync<BulletinSettingsInput>($"/api/jurisdictions/{place.CountyId}/bulletin-settings"));
    }

    [Fact]
    public async Task A_supervisor_issues_a_special_bulletin_and_withdraws_it_which_is_kept_and_nothing_else_changes_it()
    {
        var place = await app.NewPlaceAsync();
        var supervisor = await app.SupervisorOf(place.CountyId);
        await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with { PlannedStart = new(2026, 1, 1), Deadline = new(2026, 6, 1), Milestones = [] });

        var created = await supervisor.PostAsJsonAsync("/api/bulletins", new SpecialBulletinInput(place.CountyId, "关于城区燃气安全隐患整治进展的通报", "各责任单位："));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var bulletin = (await created.Content.ReadFromJsonAsync<BulletinDetail>(TrackerApp.Json))!;
        Assert.Equal(("2026年第1期", BulletinKind.Special, "各责任单位："), (bulletin.Number, bulletin.Kind, bulletin.Text));
        Assert.Equal((1, 1, 1), (bulletin.Content.Counts.Items, bulletin.Content.Counts.Overdue, bulletin.Content.NewlyOverdueTotal));
        var second = (await (await supervisor.PostAsJsonAsync("/api/bulletins", new SpecialBulletinInput(place.CountyId, "第二份", "正文"))).Content.ReadFromJsonAsync<BulletinDetail>(TrackerApp.Json))!;
        Assert.Equal(("2026年第2期", 0), (second.Number, second.Content.NewlyOverdueTotal));   // nothing newly overdue since the first

        var refused = await supervisor.PostAsJsonAsync($"/api/bulletins/{bulletin.Id}/withdraw", new WithdrawalInput(""));
        var withdrawn = await supervisor.PostAsJsonAsync($"/api/bulletins/{bulletin.Id}/withdraw", new WithdrawalInput("数据有误，更正后重发"));
        var again = await supervisor.PostAsJsonAsync($"/api/bulletins/{bulletin.Id}/withdraw", new WithdrawalInput("再撤一次"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("数据有误，更正后重发", (await withdrawn.Content.ReadFromJsonAsync<BulletinDetail>(TrackerApp.Json))!.WithdrawnReason);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var archive = (await supervisor.GetFromJsonAsync<Tracker.Web.Infrastructure.Paged<BulletinSummary>>($"/api/bulletins?jurisdictionId={place.CountyId}", TrackerApp.Json))!;
        Assert.Equal([(second.Id, false), (bulletin.Id, true)], archive.Items.Select(b => (b.Id, b.Withdrawn)));

        await using var db = app.Db();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var sql in new[] { $"UPDATE bulletins SET title = 'x' WHERE id = {second.Id}", $"UPDATE bulletins SET withdrawn_reason = 'x' WHERE id = {bulletin.Id}", $"DELETE FROM bulletins WHERE id = {second.Id}" })
            await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task Only_the_supervisors_of_a_jurisdiction_read_issue_and_withdraw_its_bulletins()
    {
        var place = await app.NewPlaceAsync();
        var other = await app.NewPlaceAsync();
        var bulletin = (await (await (await app.SupervisorOf(place.CountyId)).PostAsJsonAsync("/api/bulletins", new SpecialBulletinInput(place.CountyId, "通报", "正文")))
            .Content.ReadFromJsonAsync<BulletinDetail>(TrackerApp.Json))!;
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var stranger = await app.SupervisorOf(other.CountyId);

        Assert.Equal(HttpStatusCode.Forbidden, (await official.GetAsync($"/api/bulletins/{bulletin.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await official.PostAsJsonAsync("/api/bulletins", new SpecialBulletinInput(place.CountyId, "通报", "正文"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/bulletins/{bulletin.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/bulletins/{bulletin.Id}/withdraw", new WithdrawalInput("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PutAsJsonAsync($"/api/jurisdictions/{place.CountyId}/bulletin-settings", new BulletinSettingsInput(true, true, true))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await app.SupervisorOf(place.CityId)).GetAsync($"/api/bulletins/{bulletin.Id}")).StatusCode);   // from above
        Assert.Equal(HttpStatusCode.OK, (await (await app.AdminClient()).GetAsync($"/api/bulletins/{bulletin.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_supervisor_publishes_a_bulletins_negative_list_to_the_public_without_personal_data_and_takes_it_down_audited()
    {
        var place = await app.NewPlaceAsync();
        var supervisor = await app.SupervisorOf(place.CountyId);
        await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "PUB-1") with
        {
            PlannedStart = new(2026, 1, 1),
            Deadline = new(2026, 6, 1),
            Milestones = [],
            ResponsiblePerson = new("赵责任", "科长", "13912345678", "zhao@example.gov.cn"),
            LeaderInCharge = new("钱副县长", null, "0318-7654321", null),
        });
        var bulletin = (await (await supervisor.PostAsJsonAsync("/api/bulletins", new SpecialBulletinInput(place.CountyId, "月度通报", "正文")))
            .Content.ReadFromJsonAsync<BulletinDetail>(TrackerApp.Json))!;
        var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/public/bulletins/{bulletin.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.OfficialOf(place.CountyDepartmentId))
            .PostAsJsonAsync($"/api/bulletins/{bulletin.Id}/publication", new PublicationInput(true, null))).StatusCode);

        (await supervisor.PostAsJsonAsync($"/api/bulletins/{bulletin.Id}/publication", new PublicationInput(true, null))).EnsureSuccessStatusCode();
        var list = await anonymous.GetFromJsonAsync<List<PublicBulletinSummary>>($"/api/public/bulletins?jurisdictionId={place.CountyId}", TrackerApp.Json);
        var shown = await anonymous.GetStringAsync($"/api/public/bulletins/{bulletin.Id}");
        var page = await anonymous.GetStringAsync($"/public/bulletins/{bulletin.Id}");

        Assert.Equal([bulletin.Id], list!.Select(b => b.Id));
        Assert.Contains("PUB-1", shown);
        Assert.Contains("PUB-1", page);
        foreach (var personal in new[] { "赵责任", "13912345678", "zhao@", "钱副县长", "0318-7654321", "@example" })
        {
            Assert.DoesNotContain(personal, shown);
            Assert.DoesNotContain(personal, page);
        }

        var refused = await supervisor.PostAsJsonAsync($"/api/bulletins/{bulletin.Id}/publication", new PublicationInput(false, null));
        (await supervisor.PostAsJsonAsync($"/api/bulletins/{bulletin.Id}/publication", new PublicationInput(false, "口径调整"))).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/public/bulletins/{bulletin.Id}")).StatusCode);
        Assert.Empty((await anonymous.GetFromJsonAsync<List<PublicBulletinSummary>>($"/api/public/bulletins?jurisdictionId={place.CountyId}", TrackerApp.Json))!);
        await using var db = app.Db();
        var audit = await db.AuditLog.Where(a => a.EntityType == nameof(BulletinPublication)).OrderBy(a => a.Id).ToListAsync();
        Assert.Contains(audit, a => a.Action == "Created" && a.After!.Contains($"\"BulletinId\": {bulletin.Id}"));
        Assert.Contains(audit, a => a.Action == "Updated" && a.After!.Contains("口径调整"));

        // A withdrawn bulletin is not published.
        (await supervisor.PostAsJsonAsync($"/api/bulletins/{bulletin.Id}/withdraw", new WithdrawalInput("重发"))).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Conflict, (await supervisor.PostAsJsonAsync($"/api/bulletins/{bulletin.Id}/publication", new PublicationInput(true, null))).StatusCode);
    }

    [Fact]
    public async Task A_bulletin_in_the_inbox_does_not_stand_in_for_the_days_digest_and_a_withdrawn_one_is_not_posted()
    {
        var place = await app.NewPlaceAsync();
        var lead = await app.OfficialOf(place.CountyDepartmentId);
        await lead.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with { PlannedStart = new(2026, 1, 1), Deadline = new(2026, 6, 1), Milestones = [] });
        var supervisor = await app.SupervisorOf(place.CountyId);
        await using var robot = await WebhookListener.StartAsync();
        (await supervisor.PostAsJsonAsync($"/api/jurisdictions/{place.CountyId}/robots", new RobotInput(RobotKind.WeCom, "值班群", $"{robot.Url}?key=k", null), TrackerApp.Json))
            .EnsureSuccessStatusCode();
        var bulletin = (await (await supervisor.PostAsJsonAsync("/api/bulletins", new SpecialBulletinInput(place.CountyId, "通报", "正文")))
            .Content.ReadFromJsonAsync<BulletinDetail>(TrackerApp.Json))!;
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DeliverBulletin>().RunAsync(bulletin.Id, CancellationToken.None);

        await app.SweepAsync();
        await using var db = app.Db();
        var email = await db.Users.Where(u => u.DepartmentId == place.CountyDepartmentId).Select(u => u.Email!.ToLower()).SingleAsync();
        Assert.Equal([true, false], await db.Inbox.Where(m => m.RecipientEmail == email).OrderBy(m => m.Id).Select(m => m.BulletinId != null).ToListAsync());

        (await supervisor.PostAsJsonAsync($"/api/bulletins/{bulletin.Id}/withdraw", new WithdrawalInput("有误"))).EnsureSuccessStatusCode();
        var delivery = await db.RobotDeliveries.SingleAsync(d => d.BulletinId == bulletin.Id);
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<RobotJob>().SendAsync(delivery.Id, CancellationToken.None);
        await db.Entry(delivery).ReloadAsync();
        Assert.Equal((0, DeliveryStatus.Pending, 1), (robot.Attempts, delivery.Status, delivery.Attempts));
        Assert.Contains("withdrawn", delivery.LastError);
    }

    [Fact]
    public void A_long_text_is_cut_to_what_a_robot_takes()
    {
        var text = string.Concat(Enumerable.Repeat("各责任单位要高度重视，", 1000));
        var cut = RobotJob.Fit(text, 4000);
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(cut), 3900, 4000);
        Assert.EndsWith("（全文见督查督办系统）", cut);
        Assert.Equal("短文", RobotJob.Fit("短文", 4000));
    }

    private async Task RunJobAsync(BulletinKind kind)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BulletinRunner>().RunAsync(kind, CancellationToken.None);
    }
}

/// <summary>Days walked on a fake clock: each daily bulletin lists what is newly overdue since the one before, and the ranking's moves.</summary>
public sealed class BulletinWalkTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task Each_daily_bulletin_is_numbered_lists_the_newly_overdue_and_shows_the_rankings_moves()
    {
        var place = await app.NewPlaceAsync();
        var county = await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "WALK-A") with
        {
            PlannedStart = new(2026, 1, 1),
            Deadline = new(2026, 6, 10),
            Milestones = [],                    // overdue from the start
        });
        var township = await app.CreateAsync(TestData.NewInitiative(place.TownshipId, place.TownshipDepartmentId, "WALK-B") with
        {
            PlannedStart = new(2026, 1, 1),
            Deadline = new(2026, 6, 16),
            Milestones = [],                    // overdue from 06-17
        });

        var first = await IssueAsync();                                                                      // Monday 2026-06-15
        (await (await app.OfficialOf(place.TownshipDepartmentId)).PostAsJsonAsync($"/api/initiatives/{township.Detail.Id}/reports",
            new ReportInput(Phase.Started, "过半", null, null, [new ReportValueInput(township.Detail.Targets[0].Id, 114)], null), TrackerApp.Json)).EnsureSuccessStatusCode();
        app.Clock.Advance(TimeSpan.FromDays(2));
        var third = await IssueAsync();                                                                      // Wednesday 2026-06-17

        // By hand: on 06-15 only A is overdue; the county's department has an item due (A), the township's none yet, so
        // the county ranks first. On 06-17 B is overdue too, both departments have one item due and none on time, and the
        // township's is half done (114 of 228): the township moves up one, the county down one.
        Assert.Equal(("2026年第1期", "2026年第2期"), (first.Number, third.Number));
        Assert.Equal(["WALK-A"], first.Content.NewlyOverdue.Select(i => i.Code));
        Assert.Equal(["WALK-B"], third.Content.NewlyOverdue.Select(i => i.Code));
        Assert.Equal((2, 1, 2), (first.Content.Counts.Items, first.Content.Counts.Overdue, third.Content.Counts.Overdue));
        Assert.Equal([(place.CountyDepartmentId, 1, (int?)null), (place.TownshipDepartmentId, 2, null)],
            first.Content.Ranking.Select(r => (r.DepartmentId, r.Rank, r.Change)));
        Assert.Equal([(place.TownshipDepartmentId, 1, (int?)1), (place.CountyDepartmentId, 2, -1)],
            third.Content.Ranking.Select(r => (r.DepartmentId, r.Rank, r.Change)));
        Assert.Equal(["↑1", "↓1"], third.Content.Ranking.Select(r => BulletinRules.RankChangeText(r.Change)));
        Assert.Equal([place.CountyDepartmentId, place.TownshipDepartmentId], third.Content.NegativeList.Select(d => d.Id).Order());

        // Its tables as a workbook: a sheet each, the ranking's moves as printed.
        var xlsx = await (await app.SupervisorOf(place.CountyId)).GetAsync($"/api/bulletins/{third.Id}/export");
        Assert.Equal(Sheets.ContentType(SheetFormat.Xlsx), xlsx.Content.Headers.ContentType!.MediaType);
        using var book = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Equal(["总体情况", "新增逾期", "新增严重滞后", "未按时报送", "本期完成", "调度完成情况", "部门排名", "负面清单"], MiniExcelLibs.MiniExcel.GetSheetNames(book));
        var ranking = MiniExcelLibs.MiniExcel.Query(book, useHeaderRow: true, sheetName: "部门排名").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(["↑1", "↓1"], ranking.Select(r => r["变化"]?.ToString()));
        Assert.Equal(["WALK-B"], MiniExcelLibs.MiniExcel.Query(book, useHeaderRow: true, sheetName: "新增逾期").Cast<IDictionary<string, object?>>().Select(r => r["编号"]?.ToString()));

        async Task<BulletinDetail> IssueAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
            var bulletin = await scope.ServiceProvider.GetRequiredService<IssueBulletin>().RunAsync(place.CountyId, BulletinKind.Daily, CancellationToken.None);
            return await (await app.SupervisorOf(place.CountyId)).GetFromJsonAsync<BulletinDetail>($"/api/bulletins/{bulletin.Id}", TrackerApp.Json)
                ?? throw new InvalidOperationException();
        }
    }
}

/// <summary>Two weeks and a day walked over a county: every daily, weekly and monthly bulletin's number, period and newly overdue items, worked out by hand.</summary>
public sealed class BulletinFortnightTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task Walking_two_weeks_each_daily_weekly_and_monthly_bulletin_says_what_became_overdue_since_its_last()
    {
        var place = await app.NewPlaceAsync();
        (await (await app.SupervisorOf(place.CountyId)).PutAsJsonAsync($"/api/jurisdictions/{place.CountyId}/bulletin-settings", new BulletinSettingsInput(true, true, true)))
            .EnsureSuccessStatusCode();
        // A is overdue from the start; B, C and D fall overdue the day after their deadlines: 06-17, 06-21, 06-26.
        foreach (var (code, deadline) in new[] { ("FN-A", new DateOnly(2026, 6, 10)), ("FN-B", new(2026, 6, 16)), ("FN-C", new(2026, 6, 20)), ("FN-D", new(2026, 6, 25)) })
            await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, code) with { PlannedStart = new(2026, 1, 1), Deadline = deadline, Milestones = [] });

        var daily = new List<(DateOnly Day, BulletinDetail Bulletin)>();
        var weekly = new List<BulletinDetail>();
        BulletinDetail? monthly = null;
        for (var day = new DateOnly(2026, 6, 15); day <= new DateOnly(2026, 7, 1); day = day.AddDays(1))
        {
            app.Clock.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));   // 17:00 in the office
            daily.Add((day, await IssueAsync(BulletinKind.Daily)));
            if (day.DayOfWeek == DayOfWeek.Monday)
                weekly.Add(await IssueAsync(BulletinKind.Weekly));
            if (day.Day == 1)
                monthly = await IssueAsync(BulletinKind.Monthly);
        }

        // Daily: numbered 1 to 17; each lists only what fell overdue since the day before.
        Assert.Equal(Enumerable.Range(1, 17).Select(n => $"2026年第{n}期"), daily.Select(d => d.Bulletin.Number));
        var newly = daily.Where(d => d.Bulletin.Content.NewlyOverdue.Count > 0).Select(d => (d.Day, string.Join(",", d.Bulletin.Content.NewlyOverdue.Select(i => i.Code))));
        Assert.Equal([(new DateOnly(2026, 6, 15), "FN-A"), (new DateOnly(2026, 6, 17), "FN-B"), (new DateOnly(2026, 6, 21), "FN-C"), (new DateOnly(2026, 6, 26), "FN-D")], newly);
        Assert.Equal([1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4], daily.Select(d => d.Bulletin.Content.Counts.Overdue));
        // Weekly, issued on Mondays for the week before: 06-15 (W24), 06-22 (W25), 06-29 (W26); new since the last weekly.
        Assert.Equal(["2026年第1期", "2026年第2期", "2026年第3期"], weekly.Select(w => w.Number));
        Assert.Equal([(new DateOnly(2026, 6, 8), new DateOnly(2026, 6, 14)), (new(2026, 6, 15), new(2026, 6, 21)), (new(2026, 6, 22), new(2026, 6, 28))],
            weekly.Select(w => (w.PeriodFrom, w.PeriodTo)));
        Assert.Equal(["FN-A", "FN-B,FN-C", "FN-D"], weekly.Select(w => string.Join(",", w.Content.NewlyOverdue.Select(i => i.Code).Order())));
        // Monthly, on the 1st for June: the first of its kind, so everything overdue is new to it.
        Assert.Equal(("2026年第1期", new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30)), (monthly!.Number, monthly.PeriodFrom, monthly.PeriodTo));
        Assert.Equal(["FN-A", "FN-B", "FN-C", "FN-D"], monthly.Content.NewlyOverdue.Select(i => i.Code).Order());
        await using var db = app.Db();
        Assert.Equal(17 + 3 + 1, await db.Bulletins.CountAsync(b => b.JurisdictionId == place.CountyId));

        async Task<BulletinDetail> IssueAsync(BulletinKind kind)
        {
            await using (var scope = app.Services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<BulletinRunner>().RunAsync(kind, CancellationToken.None);
            await using var read = app.Db();
            var period = BulletinPeriod.Of(kind, app.Services.GetRequiredService<OfficeClock>().Today);
            var id = await read.Bulletins.Where(b => b.JurisdictionId == place.CountyId && b.Kind == kind && b.PeriodKey == period.Key).Select(b => b.Id).SingleAsync();
            return (await (await app.SupervisorOf(place.CountyId)).GetFromJsonAsync<BulletinDetail>($"/api/bulletins/{id}", TrackerApp.Json))!;
        }
    }
}
