using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

/// <summary>Issue 17: the public proposes a livelihood item on a page, keeps the receipt code and follows the proposal's fate by it.</summary>
[Trait("Category", "Browser")]
public sealed partial class ProposalPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task A_resident_proposes_an_item_gets_a_receipt_and_reads_why_it_was_rejected()
    {
        var hs = await app.JurisdictionIdAsync("HS");
        var visitor = await app.NewPageAsync(phone: true);
        await visitor.GotoAsync($"/public?jurisdictionId={hs}");
        await visitor.GetByRole(AriaRole.Link, new() { Name = "我要提建议" }).ClickAsync();
        await Expect(visitor.GetByRole(AriaRole.Heading, new() { Name = "征集民生实事建议" })).ToBeVisibleAsync();
        await Expect(visitor.Locator("select#JurisdictionId")).ToHaveValueAsync(hs.ToString());   // the place the visitor was reading

        // Refused: no title and a wrong sum — said beside the fields, nothing kept but what was typed.
        await visitor.GetByLabel("具体内容和理由").FillAsync("小区门口路灯不亮，夜间出行不便。");
        await visitor.Locator("#Answer").FillAsync("99");
        await visitor.GetByRole(AriaRole.Button, new() { Name = "提交建议" }).ClickAsync();
        await Expect(visitor.Locator("[data-valmsg-for=Answer]")).ToHaveTextAsync("答案不对，请重新计算。");
        await Expect(visitor.GetByLabel("具体内容和理由")).ToHaveValueAsync("小区门口路灯不亮，夜间出行不便。");
        await visitor.Locator("#Answer").FillAsync(await SumAsync(visitor));
        await visitor.GetByRole(AriaRole.Button, new() { Name = "提交建议" }).ClickAsync();
        await Expect(visitor.Locator("[data-valmsg-for=Title]")).Not.ToBeEmptyAsync();
        await using (var db = app.Db())
            Assert.False(await db.Proposals.AnyAsync(p => p.Description == "小区门口路灯不亮，夜间出行不便。"));
        await visitor.SaveAsync("proposal-01-errors-phone");

        await visitor.GetByLabel("建议事项（必填）").FillAsync("修复老旧小区路灯");
        await visitor.Locator("#Answer").FillAsync(await SumAsync(visitor));
        await visitor.GetByRole(AriaRole.Button, new() { Name = "提交建议" }).ClickAsync();
        var code = await visitor.Locator("[data-test=receipt-code]").InnerTextAsync();
        Assert.Matches("^[2-9A-HJ-NP-Z]{10}$", code);
        await visitor.SaveAsync("proposal-02-receipt-phone");

        await visitor.GetByRole(AriaRole.Link, new() { Name = "查询办理情况", Exact = true }).ClickAsync();
        await Expect(visitor.Locator("[data-test=proposal]")).ToContainTextAsync("已收到，正在筛选。");

        // Staff reject it with a reason: the resident reads the reason by the code.
        long id;
        await using (var db = app.Db())
            id = await db.Proposals.Where(p => p.ReceiptCode == code).Select(p => p.Id).SingleAsync();
        var supervisor = await app.SupervisorOf(hs);
        (await supervisor.PostAsJsonAsync($"/api/proposals/{id}/reject", new Rejection("已列入市政维修年度计划，不作为民生实事。"), TrackerApp.Json)).EnsureSuccessStatusCode();
        await visitor.GotoAsync($"/public/receipt?code={code.ToLowerInvariant()}");
        await Expect(visitor.Locator("[data-test=proposal]")).ToContainTextAsync("未予采纳。理由：已列入市政维修年度计划，不作为民生实事。");
        await visitor.SaveAsync("proposal-03-rejected-phone");
        await visitor.GotoAsync("/public/receipt?code=NOSUCHCODE");
        await Expect(visitor.Locator("[data-test=not-found]")).ToBeVisibleAsync();
    }

    /// <summary>Works out the page's sum, as a person would.</summary>
    private static async Task<string> SumAsync(IPage page)
    {
        var question = await page.Locator("label[for=Answer]").InnerTextAsync();
        var m = Sum().Match(question);
        return (int.Parse(m.Groups[1].Value) + int.Parse(m.Groups[2].Value)).ToString();
    }

    [GeneratedRegex(@"(\d+) 加 (\d+)")]
    private static partial Regex Sum();
}
