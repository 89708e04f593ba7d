using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Web.Features.Access;
using Tracker.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

/// <summary>An extension asked for on a phone and approved by a supervisor: the item and the board follow the approved plan.</summary>
[Trait("Category", "Browser")]
public sealed class PlanChangePagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static ILocator Row(IPage page, string code) => page.Locator($"table[data-test=board] tr[data-code='{code}']");

    [Fact]
    public async Task An_official_asks_for_an_extension_on_a_phone_a_supervisor_approves_and_the_item_and_board_follow()
    {
        await app.SweepAsync();
        var id = await app.ItemIdAsync("HS-MS-07");       // 建设城市口袋公园, 12 days overdue, led by the city administration
        var newDeadline = DateOnly.FromDateTime(TrackerApp.Start.UtcDateTime).AddDays(60).ToString("yyyy-MM-dd");
        var supervisor = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS"));
        await Expect(Row(supervisor, "HS-MS-07").Locator("[data-flag=overdue]")).ToBeVisibleAsync();

        var official = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: "HS-CGJ"), phone: true);
        await official.GotoAsync($"/items/{id}");
        await official.GetByRole(AriaRole.Link, new() { Name = "申请延期或调整" }).ClickAsync();
        await official.GetByLabel("新的截止日期").FillAsync(newDeadline);
        await official.GetByLabel("申请理由").FillAsync("地下管线迁改未完成，需顺延两个月。");
        await official.SaveAsync("plan-01-request-phone");
        await official.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        await Expect(official.Locator("[role=status]").First).ToContainTextAsync("调整申请已提交");
        await Expect(official.Locator("[data-test=pending-change]")).ToContainTextAsync(newDeadline);
        await Expect(official.GetByRole(AriaRole.Link, new() { Name = "申请延期或调整" })).ToHaveCountAsync(0);   // one request at a time

        await supervisor.GotoAsync("/supervisor/changes");
        var card = supervisor.Locator("article[data-code='HS-MS-07']");
        await Expect(card.Locator("[data-test=deadline-move]")).ToContainTextAsync(newDeadline);
        await card.GetByLabel("审批意见").FillAsync("同意顺延。");
        await supervisor.SaveAsync("plan-02-queue");
        await card.GetByRole(AriaRole.Button, new() { Name = "批准" }).ClickAsync();
        await Expect(supervisor.Locator("[role=status]")).ToContainTextAsync("已批准");
        await Expect(supervisor.Locator("article[data-code='HS-MS-07']")).ToHaveCountAsync(0);

        await supervisor.GotoAsync($"/items/{id}");
        await Expect(supervisor.Locator("[data-test=deadline]")).ToContainTextAsync(newDeadline);
        await Expect(supervisor.Locator("[data-test=extensions]")).ToContainTextAsync("已延期 1 次");
        await Expect(supervisor.Locator("tr[data-version]")).ToHaveCountAsync(2);
        await supervisor.SaveAsync("plan-03-item-extended");

        await supervisor.GotoAsync("/supervisor");
        await Expect(Row(supervisor, "HS-MS-07").Locator("[data-flag=overdue]")).ToHaveCountAsync(0);
        await official.GotoAsync($"/items/{id}");
        await Expect(official.Locator("[data-test=extensions]")).ToContainTextAsync("已延期 1 次");
    }
}
