using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Ledgers;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

/// <summary>Issue 14: a ledger imported from Excel, a row fixed on a phone with a photo, verified by a supervisor; the item's progress follows.</summary>
[Trait("Category", "Browser")]
public sealed class LedgerPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task An_official_imports_a_ledger_from_xlsx_fixes_a_row_on_a_phone_a_supervisor_verifies_and_the_progress_moves()
    {
        var hs = await app.JurisdictionIdAsync("HS");
        var department = await app.DepartmentIdAsync("HS-CGJ");
        var person = await app.PersonAsync(Roles.Official, departmentCode: "HS-CGJ");
        var api = await app.OfficialOf(department);
        var item = (await api.CreateAsync(TestData.NewInitiative(hs, department, "HS-ZG-LEDGER") with
        {
            Title = "城区燃气安全隐患整治",
            Kind = InitiativeKind.Rectification,
            PlannedStart = new(2026, 6, 1),
            Deadline = new(2026, 8, 31),
            Targets = [new TargetInput(null, "隐患销号", "处", 0, 2, 1, LedgerCount.ClosedRows)],
        })).Detail;

        // The office's sheet, as Excel saves it.
        var sheet = Path.Combine(Path.GetTempPath(), $"台账-{Guid.NewGuid():N}.xlsx");
        await using (var file = await Sheets.WriteAsync(SheetFormat.Xlsx, LedgerColumns.All, Rows(await DepartmentNameAsync()), CancellationToken.None))
        await using (var target = File.Create(sheet))
            await file.CopyToAsync(target);

        var official = await app.SignInAsync(person, phone: true);
        await official.GotoAsync($"/items/{item.Id}/ledger/import");
        await official.Locator("#file").SetInputFilesAsync(sheet);
        await official.GetByRole(AriaRole.Button, new() { Name = "导入", Exact = true }).ClickAsync();
        await Expect(official.Locator("[role=status]")).ToContainTextAsync("已导入 2 行：新增 2");
        await official.SaveAsync("ledger-01-imported-phone");

        await official.GotoAsync($"/items/{item.Id}/ledger");
        await official.Locator("tr[data-row='1'] a").ClickAsync();
        await official.GetByLabel("整改情况或意见").FillAsync("已更换腐蚀管段并试压合格。");
        await official.Locator("#files").SetInputFilesAsync(new FilePayload { Name = "整改后.png", MimeType = "image/png", Buffer = Seeded.Png() });
        await official.SaveAsync("ledger-02-fix-phone");
        await official.GetByRole(AriaRole.Button, new() { Name = "整改完成" }).ClickAsync();
        await Expect(official.Locator("li[data-step=Rectified]")).ToContainTextAsync("已更换腐蚀管段");
        await Expect(official.Locator("li[data-step=Rectified] a")).ToContainTextAsync(".png");
        await Expect(official.GetByRole(AriaRole.Button, new() { Name = "验收销号" })).ToHaveCountAsync(0);   // never its own

        var supervisor = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS"));
        await supervisor.GotoAsync("/ledger");
        await supervisor.Locator("li[data-row='1'] a").ClickAsync();
        await supervisor.GetByLabel("整改情况或意见").FillAsync("现场复核，合格。");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "验收销号" }).ClickAsync();
        await Expect(supervisor.Locator("li[data-step=Verified]")).ToBeVisibleAsync();
        await Expect(supervisor.Locator(".chips")).ToContainTextAsync("已销号");

        await supervisor.GotoAsync($"/items/{item.Id}");
        await Expect(supervisor.Locator(".target").First).ToContainTextAsync("1 / 2 处 (50%)");
        await supervisor.SaveAsync("ledger-03-item-progress");
        await supervisor.GotoAsync($"/items/{item.Id}/ledger");
        await Expect(supervisor.Locator(".chips")).ToContainTextAsync("已销号 1");
    }

    [Fact]
    public async Task A_refused_items_sheet_lists_its_errors_and_comes_back_as_a_sheet_with_them_marked()
    {
        var person = await app.PersonAsync(Roles.Official, departmentCode: "HS-CGJ");
        var csv = Path.Combine(Path.GetTempPath(), $"事项-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, string.Join("\r\n",
            "编号,项目名称,类别,包联领导,责任人,开工时间,完成时限,目标任务,单位,目标值",
            "HS-IMP-1,口袋公园,民生实事,王副市长,李科长,2026-03-01,2026-10-31,建成公园,个,12",
            "HS-IMP-2,排水改造,市政工程,王副市长,李科长,2026-03-01,2026-10-31,改造管网,公里,8"));

        var official = await app.SignInAsync(person, phone: true);
        await official.GotoAsync("/official");
        await official.GetByRole(AriaRole.Link, new() { Name = "导入事项" }).ClickAsync();
        await official.Locator("#file").SetInputFilesAsync(csv);
        await official.GetByRole(AriaRole.Button, new() { Name = "导入", Exact = true }).ClickAsync();
        await Expect(official.Locator("[role=alert] td").First).ToHaveTextAsync("row 3: 类别");
        await official.SaveAsync("items-01-import-refused-phone");
        var download = await official.RunAndWaitForDownloadAsync(() => official.GetByTestId("error-sheet").ClickAsync());
        var marked = await download.PathAsync();

        var error = new SheetColumn(Sheets.ErrorColumn, []);
        await using var stream = File.OpenRead(marked);
        var (rows, _) = await Sheets.ReadAsync(stream, [ItemColumns.Code, error], CancellationToken.None);
        Assert.Equal([("HS-IMP-1", ""), ("HS-IMP-2", "类别：'市政工程' is not one of 民生实事、重点项目、老旧小区改造、创城任务、安全整改.")],
            rows.Select(r => (r[ItemColumns.Code], r[error])));
        await using var db = app.Db();
        Assert.False(db.Initiatives.Any(i => i.Code.StartsWith("HS-IMP-")));
    }

    private async Task<string> DepartmentNameAsync()
    {
        await using var db = app.Db();
        return db.Departments.Single(d => d.Code == "HS-CGJ").Name;
    }

    private static async IAsyncEnumerable<object?[]> Rows(string department)
    {
        await Task.CompletedTask;
        yield return ["1", "燃气管道腐蚀", "人民路12号", "燃气", "较大", "自查", new DateOnly(2026, 6, 10), department, "张工", null, "更换管段", "限期整改", new DateOnly(2026, 7, 10), null, null, null];
        yield return ["2", "餐饮店未装燃气报警器", "胜利街8号", "燃气", "一般", "暗访", new DateOnly(2026, 6, 12), department, "李工", null, "加装报警器", "立行立改", null, null, null, null];
    }
}
