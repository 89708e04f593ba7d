using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Web.Features.Access;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

/// <summary>Issue 15: a supervisor starts a dispatch round on its page, an official sees it on their home page and answers with a report, the round counts it.</summary>
[Trait("Category", "Browser")]
public sealed class DispatchPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task A_supervisor_starts_a_round_an_official_answers_it_from_their_home_page_and_the_round_counts_it_on_time()
    {
        int department;
        long item;
        await using (var db = app.Db())
        {
            department = await db.Departments.Where(d => d.Code == "HS-MZJ").Select(d => d.Id).SingleAsync();
            item = await db.Initiatives.Where(i => i.Code == "HS-MS-01").Select(i => i.Id).SingleAsync();
        }
        var supervisor = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS"));
        await supervisor.GotoAsync("/supervisor");
        await supervisor.GetByRole(AriaRole.Link, new() { Name = "调度", Exact = true }).ClickAsync();
        await Expect(supervisor.GetByLabel("截止时间")).ToHaveValueAsync("2026-06-19T17:00");   // the coming Friday, 17:00

        await supervisor.GetByRole(AriaRole.Button, new() { Name = "发起", Exact = true }).ClickAsync();
        await Expect(supervisor.Locator("[data-valmsg-for=Title]")).Not.ToBeEmptyAsync();   // a title is needed
        await supervisor.GetByLabel("标题").FillAsync("民生实事周调度");
        await supervisor.GetByLabel("报送要求").FillAsync("本周改造户数、存在问题");
        await supervisor.GetByLabel("事项类别").SelectOptionAsync("Livelihood");
        await supervisor.GetByLabel("按名称查找：牵头单位").FillAsync("民政");
        await Expect(supervisor.Locator($"#DepartmentId option[value='{department}']")).ToHaveCountAsync(1);
        await supervisor.Locator("#DepartmentId").SelectOptionAsync(department.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await supervisor.GetByLabel("每周重复（截止后自动发起下一周）").CheckAsync();
        await supervisor.SaveAsync("dispatch-01-form");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "发起", Exact = true }).ClickAsync();

        await Expect(supervisor).ToHaveURLAsync(new Regex(@"/dispatch/\d+$"));
        await Expect(supervisor.Locator("h1")).ToHaveTextAsync("民生实事周调度");
        await Expect(supervisor.Locator("[data-test=status]")).ToHaveTextAsync("进行中");
        await Expect(supervisor.Locator("[data-test=request]")).ToContainTextAsync("范围：民生实事，牵头单位：衡水市民政局");
        var row = supervisor.Locator($"[data-test=departments] tr[data-department='{department}']");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("0");
        await Expect(supervisor.Locator("[data-test=not-on-time] tr[data-code='HS-MS-01']")).ToContainTextAsync("未报");
        var roundUrl = supervisor.Url;

        // The civil affairs bureau's official, on a phone: the round is on the home page, with the item to report.
        var official = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: "HS-MZJ"), phone: true);
        await Expect(official).ToHaveURLAsync(new Regex("/official$"));
        var ask = official.Locator("section.dispatch");
        await Expect(ask.GetByRole(AriaRole.Heading)).ToHaveTextAsync("调度：民生实事周调度");
        await Expect(ask).ToContainTextAsync("2026-06-19 17:00");
        await Expect(ask).ToContainTextAsync("本周改造户数");
        await official.SaveAsync("dispatch-02-official-home-phone");
        await ask.GetByRole(AriaRole.Link, new() { Name = "报送进度：特困老人居家适老化改造" }).ClickAsync();
        await Expect(official).ToHaveURLAsync(new Regex($"/items/{item}/report$"));
        await official.GetByLabel("进展情况（必填）").FillAsync("本周完成改造86户，累计612户。");
        await official.GetByRole(AriaRole.Button, new() { Name = "提交报送" }).ClickAsync();
        await Expect(official).ToHaveURLAsync(new Regex($"/items/{item}$"));
        await official.GotoAsync("/official");
        await Expect(official.Locator("section.dispatch")).ToHaveCountAsync(0);   // nothing left to answer

        await supervisor.GotoAsync(roundUrl);
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("1");
        await Expect(row.Locator("td").Last).ToHaveTextAsync("100%");
        await supervisor.SaveAsync("dispatch-03-round-answered");
    }
}
