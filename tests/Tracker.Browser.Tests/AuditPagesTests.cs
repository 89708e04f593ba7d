using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Reminders;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

/// <summary>Issue 17: an item's change history, the delivery log with "retry now", and saved filters on the lists, in the browser.</summary>
[Trait("Category", "Browser")]
public sealed class AuditPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task A_change_shows_in_the_items_history_filtered_by_action_and_person_and_a_reversed_date_range_is_refused_beside_its_field()
    {
        var id = await app.ItemIdAsync("HS-MS-06");
        var supervisor = await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS");
        var page = await app.SignInAsync(supervisor);
        await page.GotoAsync($"/items/{id}");
        await page.GetByLabel("变更状态").SelectOptionAsync(nameof(InitiativeStatus.Suspended));
        await page.GetByRole(AriaRole.Button, new() { Name = "确认变更" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("状态已更新为“暂停”。");

        // The lead department's official reads the item, so its history, from the item's page.
        var official = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: "HS-CGJ"), phone: true);
        await official.GotoAsync($"/items/{id}");
        await official.GetByRole(AriaRole.Link, new() { Name = "变更记录" }).ClickAsync();
        await Expect(official).ToHaveURLAsync(new Regex($"/items/{id}/history$"));
        await Expect(official.GetByRole(AriaRole.Heading, new() { Name = "变更记录", Exact = true })).ToBeVisibleAsync();
        var change = official.Locator("table[data-test=history] tr[data-action=Updated]").Filter(new() { HasText = supervisor.DisplayName }).First;
        await Expect(change).ToContainTextAsync("Status");
        await Expect(change).ToContainTextAsync("InProgress → Suspended");
        await Expect(official.Locator("table[data-test=history] tr[data-action=Created]").First).ToBeVisibleAsync();
        await Expect(official.Locator("[data-test=total]")).ToHaveTextAsync(new Regex(@"^共 \d+ 条$"));
        Assert.False(await official.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"));
        await official.SaveAsync("audit-01-history-phone");

        await official.GetByLabel("操作", new() { Exact = true }).SelectOptionAsync("Updated");
        await official.GetByLabel("操作人").SelectOptionAsync(supervisor.Id);
        await official.GetByRole(AriaRole.Button, new() { Name = "筛选", Exact = true }).ClickAsync();
        var rows = official.Locator("table[data-test=history] tbody tr");
        await Expect(rows.First).ToBeVisibleAsync();
        var shown = await rows.CountAsync();
        Assert.Equal(shown, await official.Locator("table[data-test=history] tbody tr[data-action=Updated]").Filter(new() { HasText = supervisor.DisplayName }).CountAsync());
        await Expect(official.Locator("[data-test=total]")).ToHaveTextAsync($"共 {shown} 条");

        await official.GetByLabel("开始日期").FillAsync("2026-06-20");
        await official.GetByLabel("结束日期").FillAsync("2026-06-10");
        await official.GetByRole(AriaRole.Button, new() { Name = "筛选", Exact = true }).ClickAsync();
        await Expect(official.Locator("#To-error")).ToHaveTextAsync("结束日期不能早于开始日期。");
        await Expect(official.GetByLabel("结束日期")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(official.Locator("table[data-test=history]")).ToHaveCountAsync(0);
        await official.SaveAsync("audit-02-history-refused-range-phone");

        // Who does not read the item does not learn of its history either.
        var neighbour = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: "LFKF-ZJJ"));
        Assert.Equal(404, (await neighbour.GotoAsync($"/items/{id}/history"))!.Status);
    }

    [Fact]
    public async Task A_dead_delivery_is_queued_once_by_retry_now_clicked_twice_and_one_sent_meanwhile_is_refused()
    {
        var (dead, sentMeanwhile) = (await FailedDeliveryAsync(), await FailedDeliveryAsync());
        var jobs = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var queuedBefore = jobs.EnqueuedCount("default");
        var page = await app.SignInAsync(await app.PersonAsync(Roles.Admin));

        await page.GotoAsync("/supervisor/deliveries?State=Dead");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "通知发送记录" })).ToBeVisibleAsync();
        var row = page.Locator($"table[data-test=deliveries] tr[data-delivery='{dead}']");
        await Expect(row.Locator("[data-test=state]")).ToHaveTextAsync("失败，已停止重试");
        await Expect(row.Locator("[data-test=attempts]")).ToHaveTextAsync("3");
        await Expect(row).ToContainTextAsync("SocketException: Connection refused");
        await Expect(page.Locator("nav[data-test=states] [data-state=Dead]")).ToContainTextAsync("（2）");
        await Expect(page.Locator("[data-test=total]")).ToHaveTextAsync("共 2 条");
        await page.SaveAsync("audit-03-deliveries-dead");

        await row.GetByRole(AriaRole.Button, new() { Name = $"立即重试通知 {dead}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"通知 {dead} 已加入发送队列。");
        await page.GotoAsync("/supervisor/deliveries?State=Retrying");
        row = page.Locator($"table[data-test=deliveries] tr[data-delivery='{dead}']");
        await Expect(row).ToContainTextAsync("已加入队列");
        await row.GetByRole(AriaRole.Button, new() { Name = $"立即重试通知 {dead}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"通知 {dead} 已在发送队列中，未重复加入。");
        Assert.Equal(queuedBefore + 1, jobs.EnqueuedCount("default"));

        // The page still offers the retry of a delivery that a job has sent since it was shown: refused, and said beside it.
        await page.GotoAsync("/supervisor/deliveries?State=Dead");
        await using (var db = app.Db())
            await db.Deliveries.Where(d => d.Id == sentMeanwhile).ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, DeliveryStatus.Sent).SetProperty(d => d.SentAt, app.Clock.GetUtcNow()));
        await page.GetByRole(AriaRole.Button, new() { Name = $"立即重试通知 {sentMeanwhile}" }).ClickAsync();
        await Expect(page.Locator("[data-test=retry-errors]")).ToContainTextAsync(new Regex($@"通知 {sentMeanwhile} 未能重试：\s*该通知已发送，无需重发。"));
        Assert.Equal(queuedBefore + 1, jobs.EnqueuedCount("default"));
        await page.SaveAsync("audit-04-deliveries-refused");

        var official = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: "HS-CGJ"));
        Assert.Equal(403, (await official.GotoAsync("/supervisor/deliveries"))!.Status);
        // It names every jurisdiction's recipients: not a county's supervisor's to read.
        var supervisor = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS"));
        Assert.Equal(403, (await supervisor.GotoAsync("/supervisor/deliveries"))!.Status);
    }

    [Fact]
    public async Task A_supervisor_saves_the_boards_filter_opens_it_from_its_link_and_deletes_it_and_a_filter_without_a_name_is_refused()
    {
        var page = await app.SignInAsync(await app.PersonAsync(Roles.Admin));
        await page.GotoAsync("/supervisor");
        await Expect(page.Locator("main [data-test=total]")).ToHaveTextAsync(new Regex(@"^共 \d+ 条$"));
        await page.Locator("#Kind").SelectOptionAsync(nameof(InitiativeKind.KeyProject));
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("Kind=KeyProject"));

        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        await Expect(page.Locator("#filterName-error")).ToHaveTextAsync(new Regex("名称"));
        await Expect(page.Locator("#filterName")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#Kind")).ToHaveValueAsync(nameof(InitiativeKind.KeyProject));   // the board is still the one filtered
        await page.SaveAsync("audit-05-saved-filter-refused");

        await page.GetByLabel("把当前筛选保存为").FillAsync("重点项目");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "已保存筛选" })).ToHaveTextAsync("已保存筛选“重点项目”。");
        var link = page.Locator("[data-test=saved-filters]").GetByRole(AriaRole.Link, new() { Name = "重点项目" });
        await Expect(link).ToHaveAttributeAsync("href", "/supervisor?Kind=KeyProject");

        await page.GotoAsync("/supervisor");
        await Expect(page.Locator("#Kind")).ToHaveValueAsync("");
        await page.Locator("[data-test=saved-filters]").GetByRole(AriaRole.Link, new() { Name = "重点项目" }).ClickAsync();
        await Expect(page.Locator("#Kind")).ToHaveValueAsync(nameof(InitiativeKind.KeyProject));
        await Expect(page.Locator("table[data-test=board] tr[data-code='HS-KJ-03']")).ToBeVisibleAsync();
        await Expect(page.Locator("table[data-test=board] tr[data-code='HS-MS-07']")).ToHaveCountAsync(0);
        await page.SaveAsync("audit-06-saved-filter");

        await page.GetByRole(AriaRole.Button, new() { Name = "删除筛选“重点项目”" }).ClickAsync();
        await Expect(page.Locator("[data-test=saved-filters]")).ToContainTextAsync("还没有保存的筛选。");

        var deputy = await app.SignInAsync(await app.PersonAsync(Roles.Deputy, jurisdictionCode: "HS"));
        Assert.Equal(403, (await deputy.GotoAsync("/supervisor"))!.Status);
    }

    [Fact]
    public async Task An_official_filters_their_items_to_the_overdue_ones_and_saves_that_filter_with_its_total()
    {
        var page = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: "HS-CGJ"), phone: true);
        await page.GotoAsync("/official");
        await page.GetByLabel("显示").SelectOptionAsync("Overdue");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选", Exact = true }).ClickAsync();
        await Expect(page.Locator("table.mine tr[data-code='HS-MS-07']")).ToBeVisibleAsync();
        var shown = await page.Locator("table.mine tbody tr").CountAsync();
        await Expect(page.Locator("[data-test=total]")).ToHaveTextAsync($"共 {shown} 条");
        await page.GetByLabel("把当前筛选保存为").FillAsync("逾期的");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-test=saved-filters]").GetByRole(AriaRole.Link, new() { Name = "逾期的" })).ToHaveAttributeAsync("href", "/official?Show=Overdue");
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"));
        await page.SaveAsync("audit-07-official-saved-filter-phone");

        var anonymous = await app.NewPageAsync();
        await anonymous.GotoAsync("/official?Show=Overdue");
        await Expect(anonymous).ToHaveURLAsync(new Regex("/account/login"));
    }

    /// <summary>A digest whose e-mail failed three times and whose retries are spent: no job waits for it.</summary>
    private async Task<long> FailedDeliveryAsync()
    {
        await using var db = app.Db();
        var message = new InboxMessage
        {
            Period = new DateOnly(2026, 6, 1),
            RecipientEmail = $"dead-{Guid.NewGuid():N}@example.gov.cn",
            RecipientName = "责任人",
            Subject = "【督办提醒】2026-06-01",
            Body = "1 个事项需要处理。",
            ItemCount = 1,
            CreatedAt = app.Clock.GetUtcNow(),
        };
        db.Inbox.Add(message);
        await db.SaveChangesAsync();
        var delivery = new Delivery
        {
            MessageId = message.Id,
            Channel = DeliveryChannel.Email,
            Status = DeliveryStatus.Pending,
            Attempts = 3,
            LastAttemptAt = app.Clock.GetUtcNow(),
            LastError = "SocketException: Connection refused",
        };
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync();
        return delivery.Id;
    }
}
