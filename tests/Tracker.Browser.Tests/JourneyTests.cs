using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Web.Features.Access;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

/// <summary>Two people in two browsers: what one reports, the other sees on the board and on the item.</summary>
[Trait("Category", "Browser")]
public sealed class JourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task An_officials_report_with_a_photo_takes_a_lagging_item_off_the_supervisors_board_and_shows_on_its_page()
    {
        // 中小学幼儿园改扩建工程 (HS-MS-03) is behind the straight line from start to deadline: amber on the board.
        var id = await app.ItemIdAsync("HS-MS-03");
        var supervisor = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS"));
        var onBoard = supervisor.Locator("table[data-test=board] tr[data-code='HS-MS-03']");
        await Expect(onBoard.Locator("[data-colour=Amber]")).ToBeVisibleAsync();
        await Expect(onBoard.Locator("[data-flag=lagging]")).ToBeVisibleAsync();
        await supervisor.SaveAsync("journey-01-board-before");

        // The education bureau's official reports both targets reached, from a phone, with a site photo.
        var official = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: "HS-JYJ"), phone: true);
        await Expect(official).ToHaveURLAsync(new Regex("/official$"));
        await official.Locator("tr[data-code='HS-MS-03']").GetByRole(AriaRole.Link, new() { Name = "报送进度" }).ClickAsync();
        await Expect(official).ToHaveURLAsync(new Regex($"/items/{id}/report$"));
        await using (var db = app.Db())
        {
            var targets = await db.Targets.Where(t => t.InitiativeId == id).OrderBy(t => t.Id).Select(t => t.TargetValue).ToListAsync();
            for (var i = 0; i < targets.Count; i++)
                await official.Locator($"#Input_Values_{i}__Value").FillAsync(targets[i].ToString("0.##"));
        }
        await official.GetByLabel("当前阶段").SelectOptionAsync("Completed");
        await official.GetByLabel("进展情况（必填）").FillAsync("6所学校全部竣工，通过联合验收。");
        await official.GetByLabel("现场照片或材料").SetInputFilesAsync(new FilePayload { Name = "竣工.png", MimeType = "image/png", Buffer = Seeded.Png() });
        await official.SaveAsync("journey-02-official-report-phone");
        await official.GetByRole(AriaRole.Button, new() { Name = "提交报送" }).ClickAsync();
        await Expect(official).ToHaveURLAsync(new Regex($"/items/{id}$"));
        await Expect(official.Locator("[data-colour=Green]").First).ToBeVisibleAsync();

        // The supervisor's board no longer lists it; its page shows the report, the photo and the new colour.
        await supervisor.ReloadAsync();
        await Expect(supervisor.Locator("table[data-test=board]")).ToBeVisibleAsync();
        await Expect(onBoard).ToHaveCountAsync(0);
        await supervisor.SaveAsync("journey-03-board-after");
        await supervisor.GotoAsync($"/items/{id}");
        var report = supervisor.Locator("article.report").First;
        await Expect(report).ToContainTextAsync("6所学校全部竣工");
        await Expect(report.Locator("img")).ToHaveJSPropertyAsync("naturalWidth", 48);
        await Expect(supervisor.Locator("[data-colour=Green]").First).ToBeVisibleAsync();
        await Expect(supervisor.GetByRole(AriaRole.Link, new() { Name = "下督办单" })).ToBeVisibleAsync();
        await supervisor.SaveAsync("journey-04-item-after");
    }
}
