using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

/// <summary>Issue 17: an official creates an item on its page, edits it while planned, and moves its status; the refusals.</summary>
[Trait("Category", "Browser")]
public sealed class ItemFormPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task An_official_creates_an_item_with_targets_and_milestones_edits_it_and_starts_it()
    {
        var page = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: "HS-MZJ"), phone: true);
        await page.GotoAsync("/official");
        await page.GetByRole(AriaRole.Link, new() { Name = "新建事项" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "新建事项" })).ToBeVisibleAsync();

        await page.GetByLabel("编号（必填）").FillAsync("HS-MS-NEW-01");
        await page.GetByLabel("名称（必填）").FillAsync("新建社区老年食堂");
        await page.GetByLabel("内容和要求").FillAsync("在三个社区新建老年食堂，提供助餐服务。");
        await page.GetByLabel("类别").SelectOptionAsync(nameof(InitiativeKind.Livelihood));
        await page.GetByLabel("计划开始日期").FillAsync("2026-07-01");
        await page.GetByLabel("截止日期").FillAsync("2026-12-20");
        await page.GetByLabel("预算（万元）").FillAsync("360");
        await page.GetByLabel("包联领导（必填）").FillAsync("王副市长");
        await page.GetByLabel("责任人（必填）").FillAsync("李科长");
        await page.GetByLabel("责任人电话").FillAsync("0318-2012345");
        await page.Locator("[data-test=co-departments] label").First.ClickAsync();
        await page.Locator("#Input_Targets_0__Metric").FillAsync("建成老年食堂");
        await page.Locator("#Input_Targets_0__Unit").FillAsync("个");
        await page.Locator("#Input_Targets_0__Target").FillAsync("3");
        await page.Locator("#Input_Milestones_0__Name").FillAsync("完成选址");
        await page.Locator("#Input_Milestones_0__PlannedOn").FillAsync("2026-08-15");
        await page.SaveAsync("item-form-01-new-phone");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建事项" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/items/\d+$"));
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("事项已保存。");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "新建社区老年食堂" })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("建成老年食堂");
        await Expect(page.Locator("main")).ToContainTextAsync("完成选址");
        var id = long.Parse(page.Url.Split('/')[^1]);
        await using (var db = app.Db())
        {
            var item = await db.Initiatives.Include(i => i.CoDepartments).Include(i => i.Targets).SingleAsync(i => i.Id == id);
            Assert.Equal((InitiativeStatus.Planned, 3_600_000m, 1, 3m), (item.Status, item.Budget, item.CoDepartments.Count, item.Targets.Single().TargetValue));
        }

        // Made a part of another item (through the API or an import): an edit on the form keeps its place in the tree.
        var parent = await app.ItemIdAsync("HS-MS-01");
        await using (var db = app.Db())
            await db.Initiatives.Where(i => i.Id == id).ExecuteUpdateAsync(u => u.SetProperty(i => i.ParentId, parent).SetProperty(i => i.Weight, 2m));

        // Still planned: the plan is the office's to edit.
        await page.GetByRole(AriaRole.Link, new() { Name = "编辑事项" }).ClickAsync();
        await Expect(page.GetByLabel("名称（必填）")).ToHaveValueAsync("新建社区老年食堂");
        await page.GetByLabel("名称（必填）").FillAsync("新建社区老年助餐食堂");
        await page.Locator("#Input_Targets_0__Target").FillAsync("4");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存修改" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "新建社区老年助餐食堂" })).ToBeVisibleAsync();

        // Started: a status change against the version shown.
        await page.GetByLabel("变更状态").SelectOptionAsync(nameof(InitiativeStatus.InProgress));
        await page.GetByRole(AriaRole.Button, new() { Name = "确认变更" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("状态已更新为“推进中”。");
        await page.SaveAsync("item-form-02-started-phone");
        await using (var db = app.Db())
        {
            var started = await db.Initiatives.Include(i => i.Targets).SingleAsync(i => i.Id == id);
            Assert.Equal((InitiativeStatus.InProgress, 4m, "新建社区老年助餐食堂"), (started.Status, started.Targets.Single().TargetValue, started.Title));
            Assert.Equal((parent, 2m), (started.ParentId, started.Weight));
        }

        // Now the plan is fixed: its dates and targets are read-only here and move by a change request.
        await page.GotoAsync($"/items/{id}/edit");
        await Expect(page.Locator("[data-test=plan-fixed]")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("截止日期")).Not.ToBeEditableAsync();
        await Expect(page.GetByLabel("名称（必填）")).ToBeEditableAsync();
    }

    [Fact]
    public async Task A_refused_item_shows_its_errors_beside_the_fields_keeps_what_was_typed_and_creates_nothing()
    {
        var page = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: "HS-MZJ"));
        await page.GotoAsync("/items/new");
        await page.GetByLabel("编号（必填）").FillAsync("HS-MS-01");   // a seeded item's code
        await page.GetByLabel("计划开始日期").FillAsync("2026-07-01");
        await page.GetByLabel("截止日期").FillAsync("2026-06-01");      // before the start
        await page.GetByLabel("包联领导（必填）").FillAsync("王副市长");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建事项" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await Expect(page.Locator("[data-valmsg-for='Input.Title']")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("[data-valmsg-for='Input.Deadline']")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("[data-valmsg-for='Input.Targets']")).Not.ToBeEmptyAsync();
        await Expect(page.GetByLabel("名称（必填）")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("包联领导（必填）")).ToHaveValueAsync("王副市长");
        await page.SaveAsync("item-form-03-errors");

        // Fixed, but the code is taken: said beside the code, nothing written.
        await page.GetByLabel("名称（必填）").FillAsync("重复编号的事项");
        await page.GetByLabel("截止日期").FillAsync("2026-12-01");
        await page.GetByLabel("责任人（必填）").FillAsync("李科长");
        await page.Locator("#Input_Targets_0__Metric").FillAsync("完成量");
        await page.Locator("#Input_Targets_0__Unit").FillAsync("个");
        await page.Locator("#Input_Targets_0__Target").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建事项" }).ClickAsync();
        await Expect(page.Locator("[data-valmsg-for='Input.Code']")).ToHaveTextAsync("本辖区本年度已有同一编号的事项。");
        await using var db = app.Db();
        Assert.False(await db.Initiatives.AnyAsync(i => i.Title == "重复编号的事项"));
    }

    [Fact]
    public async Task A_supervisor_cannot_open_the_form_and_another_departments_official_cannot_edit_an_item()
    {
        var supervisor = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS"));
        Assert.Equal(403, (await supervisor.GotoAsync("/items/new"))!.Status);
        var other = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: "HS-ZJJ"));
        Assert.Equal(403, (await other.GotoAsync($"/items/{await app.ItemIdAsync("HS-MS-07")}/edit"))!.Status);
        var visitor = await app.NewPageAsync();
        await visitor.GotoAsync("/items/new");
        await Expect(visitor).ToHaveURLAsync(new Regex("/account/login"));
    }
}
