using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Web.Features.Access;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

/// <summary>Issue 15: a supervisor's bulletins — switched on, a special one issued, read, printed to PDF, its negative list made public, withdrawn.</summary>
[Trait("Category", "Browser")]
public sealed class BulletinPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task A_supervisor_issues_a_bulletin_prints_it_to_pdf_publishes_its_negative_list_and_withdraws_it()
    {
        var supervisor = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS"));
        await supervisor.GotoAsync("/supervisor");
        await supervisor.GetByRole(AriaRole.Link, new() { Name = "通报", Exact = true }).ClickAsync();
        await supervisor.GetByLabel("周调度通报（每周一 08:30，上周）").CheckAsync();
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(supervisor.GetByLabel("周调度通报（每周一 08:30，上周）")).ToBeCheckedAsync();

        await supervisor.GetByRole(AriaRole.Button, new() { Name = "印发", Exact = true }).ClickAsync();
        await Expect(supervisor.Locator("#Title + .error, [data-valmsg-for=Title]")).Not.ToBeEmptyAsync();   // a title is needed
        await supervisor.GetByLabel("标题").FillAsync("关于老旧小区改造进度的专项通报");
        await supervisor.GetByLabel("正文").FillAsync("各责任单位：\n现将改造进展通报如下。");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "印发", Exact = true }).ClickAsync();

        await Expect(supervisor.Locator("h1")).ToHaveTextAsync("关于老旧小区改造进度的专项通报");
        await Expect(supervisor.Locator("header .meta").First).ToContainTextAsync("2026年第1期");
        await Expect(supervisor.Locator("[data-test=counts]")).ToContainTextAsync("严重滞后");
        await Expect(supervisor.Locator("[data-test=ranking] tbody tr").First).ToContainTextAsync("新");
        await Expect(supervisor.Locator("[data-test=newly-overdue] li").First).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"逾期 \d+ 天"));
        await supervisor.SaveAsync("bulletin-01-special");

        // On paper: the withdrawal form and the navigation are not printed.
        await supervisor.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(supervisor.GetByRole(AriaRole.Button, new() { Name = "撤回" })).ToBeHiddenAsync();
        var pdf = await supervisor.PdfAsync(new() { Format = "A4", PrintBackground = true });
        Assert.True(pdf.AsSpan().StartsWith("%PDF"u8));
        Assert.True(pdf.Length > 10_000);
        await supervisor.EmulateMediaAsync(new() { Media = Media.Screen });

        // 通报晾晒: the ranking and the negative list on the public pages, departments and items only.
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "公开排名和负面清单" }).ClickAsync();
        await Expect(supervisor.Locator("[data-test=published]")).ToBeVisibleAsync();
        var bulletinUrl = supervisor.Url;
        var visitor = await app.NewPageAsync(phone: true);
        await visitor.GotoAsync($"/public?jurisdictionId={await app.JurisdictionIdAsync("HS")}");
        await visitor.GetByRole(AriaRole.Link, new() { Name = "关于老旧小区改造进度的专项通报" }).ClickAsync();
        await Expect(visitor.Locator("[data-test=public-negative-list]")).ToContainTextAsync("HS-MS-07");
        await Expect(visitor.Locator("[data-test=public-ranking] tbody tr")).Not.ToHaveCountAsync(0);
        var shown = await visitor.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("@", shown);
        Assert.DoesNotMatch(@"1[3-9]\d{9}", shown);   // no mobile numbers
        await visitor.SaveAsync("bulletin-02-public-phone");
        await supervisor.GotoAsync(bulletinUrl);

        await supervisor.GetByRole(AriaRole.Button, new() { Name = "撤回" }).ClickAsync();
        await Expect(supervisor.Locator("[data-valmsg-for=Reason]")).Not.ToBeEmptyAsync();   // a reason is needed
        await supervisor.GetByLabel("撤回原因").FillAsync("数据口径有误，更正后重发");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "撤回" }).ClickAsync();
        await Expect(supervisor.Locator("[data-test=withdrawn]")).ToContainTextAsync("数据口径有误");
        await supervisor.GotoAsync("/supervisor/bulletins");
        await Expect(supervisor.Locator("[data-test=bulletins] tbody tr").First).ToContainTextAsync("已撤回");
        await supervisor.SaveAsync("bulletin-03-archive");
    }
}
