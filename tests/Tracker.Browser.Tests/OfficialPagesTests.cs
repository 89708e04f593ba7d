using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Progress;
using Tracker.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

/// <summary>The officials' pages: their items, an item, the progress form and the inbox.</summary>
[Trait("Category", "Browser")]
public sealed class OfficialPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task An_official_lands_on_the_departments_items_and_sees_no_other_departments()
    {
        var official = await app.PersonAsync(Roles.Official, departmentCode: "HS-MZJ");
        var page = await app.SignInAsync(official);

        await Expect(page).ToHaveURLAsync(new Regex("/official$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "我的事项" })).ToBeVisibleAsync();
        var row = page.Locator("tr[data-code='HS-MS-01']");
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "特困老人居家适老化改造", Exact = true })).ToBeVisibleAsync();
        await Expect(row.Locator("[data-colour]")).ToBeVisibleAsync();
        await Expect(row.GetByRole(AriaRole.Progressbar)).ToBeVisibleAsync();
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "报送进度：特困老人居家适老化改造" })).ToHaveAttributeAsync("href", new Regex(@"^/items/\d+/report$"));
        // HS-MS-07 is the city administration's, with the housing bureau co-operating: not the civil affairs bureau's.
        await Expect(page.Locator("tr[data-code='HS-MS-07']")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-count=overdue]")).ToBeVisibleAsync();
        await page.SaveAsync("official-01-home");
    }

    [Fact]
    public async Task Overdue_items_come_first_then_silent_ones_then_the_rest()
    {
        // The city administration leads an overdue item (HS-MS-07) and co-operates on others.
        var official = await app.PersonAsync(Roles.Official, departmentCode: "HS-CGJ");
        var page = await app.SignInAsync(official, phone: true);
        await page.GotoAsync("/official");

        await Expect(page.Locator("tbody tr").First).ToHaveAttributeAsync("data-code", "HS-MS-07");
        await Expect(page.Locator("tr[data-code='HS-MS-07'] [data-flag=overdue]")).ToBeVisibleAsync();
        var rows = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('table.mine tbody tr')].map(tr => " +
            "(tr.querySelector('[data-flag=overdue]') ? 0 : tr.querySelector('[data-flag=silent]') ? 1 : 2) + ':' + tr.dataset.code)");
        Assert.True(rows.Length >= 3, string.Join(", ", rows));
        var ranks = rows.Select(r => r[0] - '0').ToList();
        Assert.Equal(ranks.Order().ToList(), ranks);
        await page.SaveAsync("official-02-home-phone");
    }

    [Fact]
    public async Task An_official_reports_progress_with_a_photo()
    {
        var id = await app.ItemIdAsync("HS-MS-02");
        var before = await app.ReportCountAsync(id);
        var official = await app.PersonAsync(Roles.Official, departmentCode: "HS-ZJJ");
        var page = await app.SignInAsync(official);

        await page.Locator("tr[data-code='HS-MS-02']").GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/items/{id}$"));
        var overall = page.Locator("[data-testid=overall]");
        var overallBefore = (await overall.TextContentAsync())!.Trim();
        await Expect(page.Locator("svg.chart")).ToBeVisibleAsync();
        await page.SaveAsync("official-03-item");

        await page.GetByRole(AriaRole.Link, new() { Name = "报送进度", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/items/{id}/report$"));
        await Expect(page.GetByLabel("开工小区数（个）")).ToBeVisibleAsync();
        var narrative = $"新开工小区外墙保温全部完成 {Guid.NewGuid():N}";
        await page.GetByLabel("开工小区数（个）").FillAsync("228");
        await page.GetByLabel("完工小区数（个）").FillAsync("90");
        await page.GetByLabel("当前阶段").SelectOptionAsync("MainStructureDone");
        await page.GetByLabel("进展情况（必填）").FillAsync(narrative);
        await page.GetByLabel("存在问题").FillAsync("部分小区居民对管线改造时间有异议。");
        await page.GetByLabel("下一步计划").FillAsync("逐户沟通，错峰施工。");
        await page.GetByLabel("现场照片或材料").SetInputFilesAsync(new FilePayload
        {
            Name = "site.png",
            MimeType = "image/png",
            Buffer = Seeded.Png(),
        });
        await page.SaveAsync("official-04-report-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交报送" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/items/{id}$"));
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("进度已报送");
        var report = page.Locator("article.report").First;
        await Expect(report).ToContainTextAsync(narrative);
        await Expect(report).ToContainTextAsync("主体完工");
        var photo = report.Locator("img");
        await Expect(photo).ToHaveAttributeAsync("src", new Regex("^/api/attachments/"));
        await Expect(photo).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await photo.EvaluateAsync<int>("img => img.naturalWidth") > 0);
        await Expect(overall).Not.ToHaveTextAsync(overallBefore);
        await Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "完工小区数" })).ToHaveAttributeAsync("aria-valuenow", "39");
        Assert.Equal(before + 1, await app.ReportCountAsync(id));
        await page.SaveAsync("official-05-item-after-report");
    }

    [Fact]
    public async Task A_refused_report_shows_errors_beside_the_fields_keeps_what_was_typed_and_writes_nothing()
    {
        var id = await app.ItemIdAsync("HS-MS-02");
        var before = await app.ReportCountAsync(id);
        var official = await app.PersonAsync(Roles.Official, departmentCode: "HS-ZJJ");
        var page = await app.SignInAsync(official, phone: true);
        await page.GotoAsync($"/items/{id}/report");

        await page.Locator("#Input_Values_0__Value").FillAsync("-5");
        await page.Locator("#Input_Values_1__Value").FillAsync("75");
        await page.Locator("#Input_Phase").SelectOptionAsync("MainStructureDone");
        await page.Locator("#Input_Problems").FillAsync("雨季影响外墙施工。");
        await page.Locator("#Input_NextSteps").FillAsync("增加施工班组。");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交报送" }).ClickAsync();

        // Checked on the page: the negative figure; and by the report's validator: the empty narrative.
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await Expect(page.Locator("[data-valmsg-for='Input.Values[0].Value']")).ToContainTextAsync("不能为负数");
        await Expect(page.Locator("[data-valmsg-for='Input.Narrative']")).ToContainTextAsync("进展情况"); // the field's name in the page's language, not 'Narrative'
        // Screen readers hear the error with the field: it is invalid and described by its message.
        await Expect(page.GetByLabel("进展情况（必填）")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("进展情况（必填）")).ToHaveAccessibleDescriptionAsync(new Regex("进展情况"));
        await Expect(page.Locator("#Input_Values_0__Value")).ToHaveAccessibleDescriptionAsync(new Regex("不能为负数"));
        await Expect(page.Locator("#Input_Values_1__Value")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("[data-valmsg-for='Input.Values[1].Value']")).ToBeEmptyAsync();
        await Expect(page.Locator("#Input_Values_0__Value")).ToHaveValueAsync("-5");
        await Expect(page.Locator("#Input_Values_1__Value")).ToHaveValueAsync("75");
        await Expect(page.Locator("#Input_Phase")).ToHaveValueAsync("MainStructureDone");
        await Expect(page.Locator("#Input_Problems")).ToHaveValueAsync("雨季影响外墙施工。");
        await Expect(page.Locator("#Input_NextSteps")).ToHaveValueAsync("增加施工班组。");
        await page.SaveAsync("official-06-report-errors-phone");
        Assert.Equal(before, await app.ReportCountAsync(id));

        // The figures now pass; the handler itself refuses the empty narrative, and the figures stay as typed.
        await page.Locator("#Input_Values_0__Value").FillAsync("228");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交报送" }).ClickAsync();
        await Expect(page.Locator("[data-valmsg-for='Input.Values[0].Value']")).ToBeEmptyAsync();
        await Expect(page.Locator("[data-valmsg-for='Input.Narrative']")).ToContainTextAsync("进展情况");
        await Expect(page.Locator("#Input_Values_0__Value")).ToHaveValueAsync("228");
        await Expect(page.Locator("#Input_Values_1__Value")).ToHaveValueAsync("75");
        await Expect(page.Locator("#Input_Problems")).ToHaveValueAsync("雨季影响外墙施工。");
        Assert.Equal(before, await app.ReportCountAsync(id));
    }

    [Fact]
    public async Task A_report_posted_without_its_antiforgery_token_is_refused()
    {
        var id = await app.ItemIdAsync("HS-MS-02");
        var before = await app.ReportCountAsync(id);
        var official = await app.PersonAsync(Roles.Official, departmentCode: "HS-ZJJ");
        var page = await app.SignInAsync(official);
        await page.GotoAsync($"/items/{id}/report");
        var targetId = await page.Locator("#Input_Values_0__TargetId").InputValueAsync();

        var form = page.APIRequest.CreateFormData();
        form.Set("Input.Values[0].TargetId", targetId);
        form.Set("Input.Values[0].Value", "228");
        form.Set("Input.Phase", "Started");
        form.Set("Input.Narrative", "没有令牌的报送");
        var response = await page.APIRequest.PostAsync($"/items/{id}/report", new() { Form = form });

        Assert.Equal(400, response.Status);
        Assert.Equal(before, await app.ReportCountAsync(id));
    }

    [Fact]
    public async Task An_official_answers_a_supervision_notice_in_the_inbox()
    {
        var itemId = await app.ItemIdAsync("HS-MS-01");
        var departmentId = await app.DepartmentIdAsync("HS-MZJ");
        var reason = $"入户改造进度报送不及时，请说明原因并提交整改方案（{Guid.NewGuid():N}）";
        long noticeId;
        await using (var db = app.Db())
        {
            var now = app.Clock.GetUtcNow();
            var today = new DateOnly(2026, 6, 15);
            var notice = SupervisionNotice.Raise(itemId, departmentId, reason, today, today.AddDays(5), now);
            db.Notices.Add(notice);
            await db.SaveChangesAsync();
            noticeId = notice.Id;
        }

        var official = await app.PersonAsync(Roles.Official, departmentCode: "HS-MZJ");
        var page = await app.SignInAsync(official);
        await page.GotoAsync("/inbox");
        var card = page.Locator($"[data-notice='{noticeId}']");
        await Expect(card).ToContainTextAsync(reason);
        await Expect(card.Locator("[data-status]")).ToHaveTextAsync("待答复");

        // An empty plan is refused beside its field.
        await card.GetByRole(AriaRole.Button, new() { Name = "提交整改方案" }).ClickAsync();
        await Expect(page.Locator($"#plan-{noticeId}-error")).Not.ToBeEmptyAsync();
        await page.SaveAsync("official-07-inbox-error");

        await card.GetByLabel("整改方案").FillAsync("本周内补报全部入户数据，专人每周报送。");
        await card.GetByRole(AriaRole.Button, new() { Name = "提交整改方案" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("整改方案已提交");
        await Expect(card.Locator("[data-status]")).ToHaveTextAsync("已答复");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "提交整改方案" })).ToHaveCountAsync(0);
        await page.SaveAsync("official-08-inbox-answered");

        await using var check = app.Db();
        Assert.Equal(NoticeStatus.Answered, await check.Notices.Where(n => n.Id == noticeId).Select(n => n.Status).SingleAsync());
    }

    [Fact]
    public async Task A_reminder_digest_is_marked_as_read()
    {
        var official = await app.PersonAsync(Roles.Official, departmentCode: "HS-MZJ");
        long messageId;
        await using (var db = app.Db())
        {
            var message = new Tracker.Web.Features.Reminders.InboxMessage
            {
                Period = new DateOnly(2026, 6, 15),
                RecipientEmail = official.Email!.ToLowerInvariant(),
                RecipientName = "测试",
                Subject = "督办提醒：1 个事项需要处理",
                Body = "HS-MS-01 特困老人居家适老化改造：即将到期。",
                ItemCount = 1,
                CreatedAt = app.Clock.GetUtcNow(),
            };
            db.Inbox.Add(message);
            await db.SaveChangesAsync();
            messageId = message.Id;
        }

        var page = await app.SignInAsync(official, phone: true);
        await page.GotoAsync("/inbox");
        var card = page.Locator($"[data-message='{messageId}']");
        await Expect(card).ToContainTextAsync("督办提醒：1 个事项需要处理");
        await Expect(card.GetByText("未读")).ToBeVisibleAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "标记为已读" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已标记为已读");
        await Expect(card.GetByText("未读")).ToHaveCountAsync(0);
        await page.SaveAsync("official-10-inbox-phone");
        await using var check = app.Db();
        Assert.NotNull(await check.Inbox.Where(m => m.Id == messageId).Select(m => m.ReadAt).SingleAsync());
    }

    [Fact]
    public async Task An_official_gets_404_for_an_item_of_another_county()
    {
        // TC-GZ-01 belongs to 桃城区, led by its housing bureau: nothing to do with the city's civil affairs bureau.
        var id = await app.ItemIdAsync("TC-GZ-01");
        var official = await app.PersonAsync(Roles.Official, departmentCode: "HS-MZJ");
        var page = await app.SignInAsync(official);

        var item = await page.GotoAsync($"/items/{id}");
        Assert.Equal(404, item!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "找不到该页面" })).ToBeVisibleAsync();
        await page.SaveAsync("official-09-not-found");
        Assert.Equal(404, (await page.GotoAsync($"/items/{id}/report"))!.Status);
    }

    [Fact]
    public async Task Only_officials_who_report_on_an_item_open_its_progress_form()
    {
        var id = await app.ItemIdAsync("HS-MS-01");
        var supervisor = await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS");
        var page = await app.SignInAsync(supervisor);

        Assert.Equal(200, (await page.GotoAsync($"/items/{id}"))!.Status);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "下督办单" })).ToHaveAttributeAsync("href", $"/supervisor/notices/new?initiativeId={id}");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "报送进度", Exact = true })).ToHaveCountAsync(0);
        Assert.Equal(403, (await page.GotoAsync($"/items/{id}/report"))!.Status);
    }

    [Fact]
    public async Task The_officials_pages_read_in_English()
    {
        var id = await app.ItemIdAsync("HS-MS-01");
        var official = await app.PersonAsync(Roles.Official, departmentCode: "HS-MZJ");
        var page = await app.SignInAsync(official);

        await page.GotoAsync("/official?culture=en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My items" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Days left" })).ToBeVisibleAsync();
        await page.GotoAsync($"/items/{id}?culture=en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Progress over time" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await page.SaveAsync("official-12-item-english");
        await page.GotoAsync($"/items/{id}/report?culture=en");
        await Expect(page.GetByLabel("Progress made (required)")).ToBeVisibleAsync();
        await page.GotoAsync("/inbox?culture=en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Supervision notices" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_official_cannot_open_the_supervisors_board()
    {
        var official = await app.PersonAsync(Roles.Official, departmentCode: "HS-MZJ");
        var page = await app.SignInAsync(official);

        var response = await page.GotoAsync("/supervisor");
        Assert.Equal(403, response!.Status);
        await page.SaveAsync("official-11-forbidden");
    }

    [Fact]
    public async Task A_file_over_the_limit_is_shown_beside_the_form_and_an_upload_over_the_request_limit_gets_an_error_page()
    {
        var id = await app.ItemIdAsync("HS-MS-02");
        var before = await app.ReportCountAsync(id);
        var page = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: "HS-ZJJ"));
        var png = Seeded.Png();

        // The tests allow 1 MiB a file and 3 files: a 2 MiB photo is refused by the evidence check, on the form.
        await page.GotoAsync($"/items/{id}/report");
        await page.GetByLabel("进展情况（必填）").FillAsync("外墙施工照片");
        await page.GetByLabel("现场照片或材料").SetInputFilesAsync(new FilePayload { Name = "big.png", MimeType = "image/png", Buffer = [.. png, .. new byte[2 * 1024 * 1024]] });
        await page.GetByRole(AriaRole.Button, new() { Name = "提交报送" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("每个文件最多 1,048,576 字节");
        await Expect(page.GetByLabel("进展情况（必填）")).ToHaveValueAsync("外墙施工照片");

        // Three 1.5 MiB files are more than the whole request may carry: the server stops reading and says why.
        FilePayload Big(int n) => new() { Name = $"big{n}.png", MimeType = "image/png", Buffer = [.. png, .. new byte[1536 * 1024]] };
        await page.GetByLabel("现场照片或材料").SetInputFilesAsync(new[] { Big(1), Big(2), Big(3) });
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "提交报送" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(413, response.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "上传的内容太大" })).ToBeVisibleAsync();
        Assert.Equal(before, await app.ReportCountAsync(id));
        await page.SaveAsync("official-13-upload-too-large");
    }

    [Fact]
    public async Task An_items_reports_come_ten_a_page_with_links_to_older_and_newer()
    {
        var id = await app.ItemIdAsync("HS-MS-06");
        var api = await app.OfficialOf(await app.DepartmentIdAsync("HS-CGJ"));
        for (var n = 0; n < Tracker.Web.Features.Initiatives.ItemModel.ReportsPerPage + 1; n++)
            (await api.PostAsJsonAsync($"/api/initiatives/{id}/reports",
                new ReportInput(Phase.Started, $"第 {n} 次巡查", null, null, null, null), TrackerApp.Json)).EnsureSuccessStatusCode();

        var page = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: "HS-CGJ"));
        await page.GotoAsync($"/items/{id}");
        var pager = page.GetByRole(AriaRole.Navigation, new() { Name = "报送翻页" });
        await Expect(pager.GetByRole(AriaRole.Link, new() { Name = "较新的报送" })).ToHaveCountAsync(0);
        await Expect(page.Locator("article.report")).ToHaveCountAsync(Tracker.Web.Features.Initiatives.ItemModel.ReportsPerPage);

        await pager.GetByRole(AriaRole.Link, new() { Name = "较早的报送" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/items/{id}\\?p=2#reports-h$"));
        await Expect(pager.GetByRole(AriaRole.Link, new() { Name = "较新的报送" })).ToHaveAttributeAsync("href", "?p=1#reports-h");
        await Expect(page.Locator("article.report").First).ToContainTextAsync("第 0 次巡查");
    }
}
