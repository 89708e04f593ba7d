using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Supervision;
using Tracker.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

[Trait("Category", "Browser")]
public sealed class SupervisorPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static ILocator Row(IPage page, string code) => page.Locator($"table[data-test=board] tr[data-code='{code}']");

    [Fact]
    public async Task A_city_supervisor_lands_on_the_board_sees_the_red_items_and_filters_by_kind_and_county()
    {
        await app.SweepAsync();
        var supervisor = await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS");
        var page = await app.SignInAsync(supervisor);

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/supervisor$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "督查看板", Exact = true })).ToBeVisibleAsync();
        // 建设城市口袋公园 is 12 days past its deadline: red, level 2 (from day 7 overdue), an open overdue reminder.
        var park = Row(page, "HS-MS-07");
        await Expect(park.Locator("[data-colour=Red]")).ToHaveTextAsync("严重滞后");
        await Expect(park.Locator("[data-flag=overdue]")).ToContainTextAsync("逾期 12 天");
        await Expect(park.Locator("[data-test=days-overdue]")).ToHaveTextAsync("12");
        await Expect(park.Locator("[data-test=level]")).ToHaveAttributeAsync("data-level", "2");
        await Expect(park.Locator("[data-test=level]")).ToContainTextAsync("已告知包联领导和部门负责人");
        await Expect(park).ToContainTextAsync("逾期");
        await Expect(park.GetByRole(AriaRole.Link, new() { Name = "建设城市口袋公园" })).ToHaveAttributeAsync("href", $"/items/{await app.ItemIdAsync("HS-MS-07")}");
        await Expect(Row(page, "HS-KJ-03").Locator("[data-colour=Red]")).ToBeVisibleAsync();
        await Expect(Row(page, "HX-MS-01")).ToBeVisibleAsync();           // a township's item is within the city
        await Expect(page.Locator("[data-count=Red]")).Not.ToHaveTextAsync("0");
        await Expect(page.Locator("table[data-test=by-jurisdiction]")).ToContainTextAsync("衡水市");
        await page.SaveAsync("supervision-01-board");

        await page.Locator("#Kind").SelectOptionAsync(nameof(InitiativeKind.KeyProject));
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Expect(Row(page, "HS-KJ-03")).ToBeVisibleAsync();
        await Expect(Row(page, "HS-MS-07")).ToHaveCountAsync(0);
        await Expect(Row(page, "HX-MS-01")).ToHaveCountAsync(0);
        await page.SaveAsync("supervision-02-board-key-projects");

        await page.Locator("#Kind").SelectOptionAsync("");
        await page.Locator("#JurisdictionId").SelectOptionAsync((await app.JurisdictionIdAsync("HS-TC")).ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Expect(Row(page, "HX-MS-01")).ToBeVisibleAsync();
        await Expect(Row(page, "TC-GZ-01")).ToBeVisibleAsync();
        await Expect(Row(page, "HS-MS-07")).ToHaveCountAsync(0);
        await Expect(Row(page, "HS-KJ-03")).ToHaveCountAsync(0);
        await page.SaveAsync("supervision-03-board-county");
    }

    [Fact]
    public async Task A_county_supervisor_sees_the_county_but_not_the_city_items()
    {
        var supervisor = await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS-TC");
        var page = await app.SignInAsync(supervisor, phone: true);

        await page.GotoAsync("/supervisor");
        await Expect(Row(page, "HX-MS-01")).ToBeVisibleAsync();
        await Expect(Row(page, "HS-MS-07")).ToHaveCountAsync(0);
        await Expect(Row(page, "HS-KJ-03")).ToHaveCountAsync(0);
        await Expect(page.Locator($"#JurisdictionId option[value='{await app.JurisdictionIdAsync("HS")}']")).ToHaveCountAsync(0);
        await Expect(page.Locator($"#JurisdictionId option[value='{await app.JurisdictionIdAsync("HS-TC")}']")).ToHaveCountAsync(1);
        // The wide table scrolls in its own region; the page itself fits the phone.
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"));
        await page.SaveAsync("supervision-04-board-county-phone");

        var cityItem = await page.GotoAsync($"/supervisor/notices/new?initiativeId={await app.ItemIdAsync("HS-MS-07")}");
        Assert.Equal(404, cityItem!.Status);
    }

    [Fact]
    public async Task Typing_in_the_department_picker_narrows_its_choices_and_choosing_one_filters_the_board()
    {
        var place = await app.NewPlaceAsync();
        var overdue = TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with { PlannedStart = new(2026, 1, 1), Deadline = new(2026, 6, 5) };
        var countyItem = (await app.CreateAsync(overdue)).Detail;
        var townshipItem = (await app.CreateAsync(overdue with { Code = $"MS-{Guid.NewGuid():N}"[..9], JurisdictionId = place.TownshipId, LeadDepartmentId = place.TownshipDepartmentId })).Detail;
        string tag;
        await using (var db = app.Db())
            tag = (await db.Jurisdictions.SingleAsync(j => j.Id == place.CountyId)).Name["county ".Length..];
        var page = await app.SignInAsync(await app.NewUserAsync([Roles.Supervisor], jurisdictionId: place.CityId), phone: true);
        await page.GotoAsync("/supervisor");
        await Expect(Row(page, countyItem.Code)).ToBeVisibleAsync();
        await Expect(Row(page, townshipItem.Code)).ToBeVisibleAsync();
        var departments = page.Locator("#DepartmentId option:not([value=''])");
        await Expect(departments).ToHaveCountAsync(3);   // the city's, the county's and the township's

        // Choosing the township narrows the departments to those within it, at once.
        await page.Locator("#JurisdictionId").SelectOptionAsync(place.TownshipId.ToString());
        await Expect(departments).ToHaveCountAsync(1);
        await Expect(departments).ToHaveAttributeAsync("value", place.TownshipDepartmentId.ToString());
        await page.Locator("#JurisdictionId").SelectOptionAsync("");
        await Expect(departments).ToHaveCountAsync(3);

        // Typing part of a name asks the directory: only the matching department is left to choose.
        await page.GetByLabel("按名称查找：牵头单位").PressSequentiallyAsync($"county {tag}", new() { Delay = 20 });
        await Expect(departments).ToHaveCountAsync(1);
        await Expect(departments).ToHaveTextAsync($"住建局 county {tag} · county {tag}");
        await Expect(page.Locator("#DepartmentId-hint")).ToHaveTextAsync("找到 1 个，请在下方选择。");
        await page.SaveAsync("supervision-15-department-picker");
        await page.Locator("#DepartmentId").SelectOptionAsync(place.CountyDepartmentId.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"DepartmentId={place.CountyDepartmentId}"));
        await Expect(Row(page, countyItem.Code)).ToBeVisibleAsync();
        await Expect(Row(page, townshipItem.Code)).ToHaveCountAsync(0);
        await Expect(page.Locator("#DepartmentId")).ToHaveValueAsync(place.CountyDepartmentId.ToString());
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"));
        await page.SaveAsync("supervision-16-board-by-department");
    }

    [Fact]
    public async Task The_ranking_and_the_negative_list_name_the_departments_the_seed_makes_red()
    {
        var supervisor = await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS");
        var page = await app.SignInAsync(supervisor);

        await page.GotoAsync("/supervisor/ranking");
        await Expect(page.Locator("#Year")).ToHaveValueAsync("2026");
        var parks = page.Locator("table[data-test=ranking] tr[data-department='衡水市城市管理综合行政执法局']");
        await Expect(parks.Locator("[data-test=red]")).ToHaveTextAsync("1");
        var health = page.Locator("table[data-test=ranking] tr[data-department='衡水市医疗保障局']");
        await Expect(health.Locator("[data-test=red]")).ToHaveTextAsync("0");
        await Expect(health).ToContainTextAsync("100%");
        await page.SaveAsync("supervision-05-ranking");

        await page.GotoAsync("/supervisor/negative-list");
        var list = page.Locator("table[data-test=negative-list]");
        await Expect(list.Locator("tbody[data-department='衡水市城市管理综合行政执法局']")).ToContainTextAsync("HS-MS-07");
        await Expect(list.Locator("tbody[data-department='衡水市城市管理综合行政执法局']")).ToContainTextAsync("逾期未完成");
        await Expect(list.Locator("tbody[data-department='衡水市工业和信息化局']")).ToContainTextAsync("进度严重滞后");
        await Expect(list.Locator("tbody[data-department='衡水市民政局']")).ToHaveCountAsync(0);
        await Expect(list.Locator("tbody[data-department='衡水市医疗保障局']")).ToHaveCountAsync(0);
        await page.SaveAsync("supervision-06-negative-list");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator("header.top")).ToBeHiddenAsync();
        await page.SaveAsync("supervision-07-negative-list-print");
    }

    [Fact]
    public async Task A_notice_raised_from_the_board_is_listed_a_second_is_refused_and_closing_finishes_it()
    {
        var place = await app.NewPlaceAsync();
        var item = (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with
        {
            PlannedStart = new(2026, 1, 1),
            Deadline = new(2026, 6, 5),
        })).Detail;
        var page = await app.SignInAsync(await app.NewUserAsync([Roles.Supervisor], jurisdictionId: place.CityId));

        await page.GotoAsync("/supervisor");
        await Row(page, item.Code).GetByRole(AriaRole.Link, new() { Name = "下督办单" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "下督办单" })).ToBeVisibleAsync();
        await Expect(page.Locator("#Input_AnswerDue")).ToHaveValueAsync("2026-06-20");   // today + 5 answer days
        await page.GetByRole(AriaRole.Button, new() { Name = "下发督办单" }).ClickAsync();
        await Expect(page.Locator("[data-valmsg-for='Input.Reason']")).ToHaveTextAsync("请填写督办事由。");
        await page.GetByLabel("督办事由").FillAsync("已逾期10天仍未完工，请于5日内报送整改方案。");
        await page.SaveAsync("supervision-08-new-notice");
        await page.GetByRole(AriaRole.Button, new() { Name = "下发督办单" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/supervisor/notices"));
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已下发");
        var notice = page.Locator($"article[data-code='{item.Code}']");
        await Expect(notice.Locator("[data-test=status]")).ToHaveTextAsync("待答复");
        await Expect(notice).ToContainTextAsync("已逾期10天仍未完工");
        await page.SaveAsync("supervision-09-notices");

        await page.GotoAsync("/supervisor");
        await Expect(Row(page, item.Code).Locator("[data-test=open-notice]")).ToBeVisibleAsync();
        await page.GotoAsync($"/supervisor/notices/new?initiativeId={item.Id}");
        await page.GetByLabel("督办事由").FillAsync("再下一次");
        await page.GetByRole(AriaRole.Button, new() { Name = "下发督办单" }).ClickAsync();
        await Expect(page.Locator("[data-test=open-notice]")).ToContainTextAsync("已有未办结的督办单");
        await page.SaveAsync("supervision-10-second-notice-refused");
        await using (var db = app.Db())
            Assert.Equal(1, await db.Notices.CountAsync(n => n.InitiativeId == item.Id));

        await page.GotoAsync("/supervisor/notices");
        await notice.GetByLabel("审核意见或办结说明").FillAsync("已完工，办结。");
        await notice.GetByRole(AriaRole.Button, new() { Name = "办结", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已办结");
        await Expect(notice).ToHaveCountAsync(0);              // the default list shows open notices only
        await page.GetByRole(AriaRole.Link, new() { Name = "全部", Exact = true }).ClickAsync();
        await Expect(notice.Locator("[data-test=status]")).ToHaveTextAsync("已办结");
        await page.SaveAsync("supervision-11-notice-closed");
    }

    [Fact]
    public async Task Returning_an_answered_plan_needs_a_comment()
    {
        var place = await app.NewPlaceAsync();
        var item = (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with
        {
            PlannedStart = new(2026, 1, 1),
            Deadline = new(2026, 6, 5),
        })).Detail;
        long noticeId;
        await using (var db = app.Db())
        {
            var notice = SupervisionNotice.Raise(item.Id, place.CountyDepartmentId, "逾期未完工", new(2026, 6, 15), new(2026, 6, 20), app.Clock.GetUtcNow());
            db.Notices.Add(notice);
            await db.SaveChangesAsync();
            noticeId = notice.Id;
        }
        (await (await app.OfficialOf(place.CountyDepartmentId)).PostAsJsonAsync($"/api/notices/{noticeId}/answer", new NoticeAnswer("倒排工期，6月底完工"), TrackerApp.Json))
            .EnsureSuccessStatusCode();
        var page = await app.SignInAsync(await app.NewUserAsync([Roles.Supervisor], jurisdictionId: place.CountyId));

        await page.GotoAsync("/supervisor/notices");
        var card = page.Locator($"#notice-{noticeId}");
        await Expect(card.Locator("[data-test=status]")).ToHaveTextAsync("已答复");
        await Expect(card).ToContainTextAsync("倒排工期，6月底完工");
        await card.GetByRole(AriaRole.Button, new() { Name = "退回重报" }).ClickAsync();
        await Expect(page.Locator($"#notice-{noticeId} .error")).ToContainTextAsync("退回整改方案时请说明理由。");
        await page.SaveAsync("supervision-12-return-needs-comment");

        await page.Locator($"#comment-{noticeId}").FillAsync("方案缺少责任人和时限");
        await page.Locator($"#notice-{noticeId}").GetByRole(AriaRole.Button, new() { Name = "退回重报" }).ClickAsync();
        await Expect(page.Locator($"#notice-{noticeId} [data-test=status]")).ToHaveTextAsync("退回重报");
        await Expect(page.Locator($"#notice-{noticeId}")).ToContainTextAsync("方案缺少责任人和时限");
    }

    [Fact]
    public async Task The_job_dashboard_link_opens_for_the_supervisor_and_the_sweep_can_be_queued()
    {
        var page = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS"));

        await page.GotoAsync("/supervisor");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "任务面板（Hangfire）" })).ToHaveAttributeAsync("href", "/hangfire");
        await page.GetByRole(AriaRole.Button, new() { Name = "立即运行催办扫描" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已将催办扫描加入任务队列");

        var dashboard = await page.GotoAsync("/hangfire");
        Assert.Equal(200, dashboard!.Status);
        await page.SaveAsync("supervision-13-job-dashboard");
    }

    [Fact]
    public async Task The_board_reads_in_English()
    {
        var page = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS"));
        await page.GotoAsync("/supervisor?culture=en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Supervision board" })).ToBeVisibleAsync();
        await page.GotoAsync("/supervisor/negative-list?culture=en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Negative list" })).ToBeVisibleAsync();
        await page.GotoAsync("/supervisor/ranking?culture=en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Department ranking" })).ToBeVisibleAsync();
        await page.SaveAsync("supervision-14-ranking-english");
    }
}
