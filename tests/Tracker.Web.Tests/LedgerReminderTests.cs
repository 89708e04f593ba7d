using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Ledgers;
using Tracker.Web.Features.Supervision;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>Issue 14: ledger rows past their date remind the department that rectifies them, escalate the item, and show on the board.</summary>
public sealed class LedgerReminderTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task Overdue_rows_reach_their_departments_digest_escalate_the_item_and_show_on_the_board_until_rectified()
    {
        var place = await app.NewPlaceAsync();
        int other;
        await using (var db = app.Db())
        {
            var department = new Department { Code = $"gas-{Guid.NewGuid():N}", Name = "燃气公司", JurisdictionId = place.CountyId };
            db.Departments.Add(department);
            await db.SaveChangesAsync();
            other = department.Id;
        }
        var lead = await app.OfficialOf(place.CountyDepartmentId);
        var gas = await app.OfficialOf(other);
        var gasEmail = JsonNode.Parse(await gas.GetStringAsync("/api/auth/me"))!["email"]!.GetValue<string>().ToLowerInvariant();
        var supervisor = await app.SupervisorOf(place.CountyId);
        var item = (await lead.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "LEDGER-OD") with
        {
            Kind = InitiativeKind.Rectification,
            PlannedStart = new(2026, 6, 1),
            Deadline = new(2026, 12, 31),
        })).Detail;
        var row = (await app.ReadAsync<LedgerRowDetail>(await lead.PostAsJsonAsync($"/api/initiatives/{item.Id}/ledger/rows", new LedgerRowInput("7", "燃气管道穿越商铺", "北街5号", null,
            LedgerSeverity.Serious, "督导检查", new(2026, 6, 15), other, "刘经理", place.CountyDepartmentId, "改线", RectificationMode.ByDeadline, new(2026, 6, 20)), TrackerApp.Json))).Row;

        // The gas company does not read the safety office's item, but sees and moves its own row from its worklist.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await gas.GetAsync($"/api/initiatives/{item.Id}")).StatusCode);
        Assert.Equal([row.Id], (await gas.GetFromJsonAsync<Paged<LedgerRowDto>>("/api/ledger-rows", TrackerApp.Json))!.Items.Select(r => r.Id));

        await app.SweepOnAsync(new(2026, 6, 20));
        await using (var db = app.Db())
            Assert.False(await db.Reminders.AnyAsync(r => r.InitiativeId == item.Id && r.Reason == ReminderReason.LedgerRowsOverdue));

        await app.SweepOnAsync(new(2026, 6, 21));
        await using (var db = app.Db())
        {
            var reminder = await db.Reminders.SingleAsync(r => r.InitiativeId == item.Id && r.Reason == ReminderReason.LedgerRowsOverdue);
            Assert.Equal((1, 1), (reminder.Level, reminder.Days));
            var digest = await db.Inbox.SingleAsync(m => m.Period == new DateOnly(2026, 6, 21) && m.RecipientEmail == gasEmail);
            Assert.Contains("【台账逾期】LEDGER-OD", digest.Body);
            Assert.Contains("1 处问题已过整改时限（最早 2026-06-20）", digest.Body);
        }
        var board = (await supervisor.GetFromJsonAsync<Paged<BoardItem>>("/api/board?pageSize=100", TrackerApp.Json))!.Items;
        Assert.Equal(1, board.Single(b => b.Id == item.Id).OverdueLedgerRows);

        // 15 days late: the item gets a supervision notice; the gas company rectifies, and the reminders stop.
        await app.SweepOnAsync(new(2026, 7, 5));
        await using (var db = app.Db())
            Assert.Contains("台账问题逾期 15 天未整改", (await db.Notices.SingleAsync(n => n.InitiativeId == item.Id)).Reason);
        (await gas.PostAsJsonAsync($"/api/ledger-rows/{row.Id}/steps", new LedgerStepInput(LedgerStepAction.Rectified, "已改线"), TrackerApp.Json)).EnsureSuccessStatusCode();
        // The department that found it verifies, as a supervisor would.
        (await lead.PostAsJsonAsync($"/api/ledger-rows/{row.Id}/steps", new LedgerStepInput(LedgerStepAction.Verified, "复查合格"), TrackerApp.Json)).EnsureSuccessStatusCode();
        await app.SweepOnAsync(new(2026, 7, 6));
        await using (var db = app.Db())
        {
            Assert.False(await db.Reminders.AnyAsync(r => r.InitiativeId == item.Id && r.Reason == ReminderReason.LedgerRowsOverdue && r.Status == ReminderStatus.Open));
            Assert.DoesNotContain("【台账逾期】", (await db.Inbox.Where(m => m.Period == new DateOnly(2026, 7, 6) && m.RecipientEmail == gasEmail).Select(m => m.Body).SingleOrDefaultAsync()) ?? "");
        }
        board = (await supervisor.GetFromJsonAsync<Paged<BoardItem>>("/api/board?pageSize=100", TrackerApp.Json))!.Items;
        Assert.DoesNotContain(board, b => b.Id == item.Id && b.OverdueLedgerRows > 0);
    }
}
