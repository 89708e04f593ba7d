using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Progress;
using Tracker.Web.Features.Supervision;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>Level 3 after 2 weeks of red lagging (the default is 4), so the walk below reaches it.</summary>
public sealed class SweepApp : TrackerApp
{
    protected override void Configure(IWebHostBuilder builder) =>
        builder.UseSetting("Tracker:Reminders:Level3AfterRedLaggingWeeks", "2");
}

public sealed class ReminderSweepTests(SweepApp app) : IClassFixture<SweepApp>
{
    private static readonly DateOnly D0 = new(2026, 6, 15);

    [Fact]
    public async Task A_walk_day_by_day_produces_exactly_the_expected_reminders_levels_and_notices_and_a_second_sweep_changes_nothing()
    {
        var place = await app.NewPlaceAsync();
        await using (var db = app.Db())
        {
            var department = await db.Departments.SingleAsync(d => d.Id == place.CountyDepartmentId);
            department.HeadName = "张局长";
            department.HeadEmail = "head@example.gov.cn";
            await db.SaveChangesAsync();
        }
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var supervisor = await app.SupervisorOf(place.CityId);

        async Task<InitiativeDetail> Item(string code, DateOnly start, DateOnly deadline, ReportingInterval interval, decimal reached, MilestoneInput[]? milestones = null)
        {
            var input = TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, code) with
            {
                PlannedStart = start,
                Deadline = deadline,
                ReportingInterval = interval,
                Targets = [new TargetInput(null, "完成量", "%", 0, 100, 1)],
                Milestones = milestones ?? [],
                ResponsiblePerson = new ContactDto($"{code} 责任人", null, null, $"{code.ToLowerInvariant()}@example.gov.cn"),
            };
            var item = (await official.CreateAsync(input)).Detail;
            await Report(item, reached);
            return item;
        }
        async Task Report(InitiativeDetail item, decimal reached) =>
            (await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/reports",
                new ReportInput(Phase.Started, "进展", null, null, [new ReportValueInput(item.Targets[0].Id, reached)], null), TrackerApp.Json))
            .EnsureSuccessStatusCode();

        var overdue = await Item("OVERDUE", new(2026, 5, 1), new(2026, 6, 14), ReportingInterval.Monthly, 100);
        var dueSoon = await Item("DUESOON", new(2026, 6, 1), new(2026, 6, 22), ReportingInterval.Monthly, 100);
        var silent = await Item("SILENT", new(2026, 6, 1), new(2026, 12, 31), ReportingInterval.Daily, 10);
        var lagging = await Item("LAGGING", new(2026, 5, 1), new(2026, 7, 31), ReportingInterval.Monthly, 10);
        var milestone = await Item("MILESTONE", new(2026, 6, 1), new(2026, 12, 31), ReportingInterval.Monthly, 10,
            [new MilestoneInput(null, "完成设计", new(2026, 6, 18), null)]);

        for (var day = D0; day <= new DateOnly(2026, 7, 5); day = day.AddDays(1))
        {
            // The sweep runs at 08:00 in Shanghai (00:00 UTC).
            var at = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (at > app.Clock.GetUtcNow())
                app.Clock.SetUtcNow(at);

            if (day == new DateOnly(2026, 6, 20))
                await Report(silent, 12);                   // the silent item catches up, then falls silent again
            if (day == new DateOnly(2026, 6, 24))           // the item due on 06-22 is finished a day late
                (await official.PostAsJsonAsync($"/api/initiatives/{dueSoon.Id}/status", new StatusChange(InitiativeStatus.Completed), TrackerApp.Json)).EnsureSuccessStatusCode();
            if (day == new DateOnly(2026, 7, 1))
                (await official.PostAsJsonAsync($"/api/notices/{await NoticeOf(lagging.Id)}/answer", new NoticeAnswer("增派施工力量，7月底前追回进度"), TrackerApp.Json)).EnsureSuccessStatusCode();
            if (day == new DateOnly(2026, 7, 2))
                (await supervisor.PostAsJsonAsync($"/api/notices/{await NoticeOf(lagging.Id)}/review", new NoticeReview(false, "方案不具体，请细化到周"), TrackerApp.Json)).EnsureSuccessStatusCode();

            await app.SweepAsync();
            Assert.Equal(Expected(day), await OpenRemindersAsync(day));
            Assert.Equal(ExpectedNotices(day), await NoticesAsync());

            var before = await SnapshotAsync();
            await app.SweepAsync();
            Assert.Equal(before, await SnapshotAsync());
        }

        await using var check = app.Db();
        // Every day's reminders are kept: superseded or resolved, never deleted.
        Assert.Equal(21, await check.Reminders.CountAsync(r => r.InitiativeId == overdue.Id));
        Assert.Equal(ReminderStatus.Resolved, (await check.Reminders.Where(r => r.InitiativeId == dueSoon.Id).OrderBy(r => r.Id).LastAsync()).Status);
        // One digest per person per day: the department's official, each responsible person, and from level 2 the leader and the head.
        var inbox = await check.Inbox.ToListAsync();
        Assert.Equal(inbox.Count, inbox.Select(m => (m.Period, m.RecipientEmail)).Distinct().Count());
        Assert.Equal(21, inbox.Count(m => m.RecipientEmail == "overdue@example.gov.cn"));
        Assert.Contains(inbox, m => m.RecipientEmail == "head@example.gov.cn" && m.Period == new DateOnly(2026, 6, 21) && m.Body.Contains("OVERDUE"));
        Assert.DoesNotContain(inbox, m => m.RecipientEmail == "head@example.gov.cn" && m.Period < new DateOnly(2026, 6, 21));
        Assert.Contains(inbox, m => m.RecipientEmail == "head@example.gov.cn" && m.Period == new DateOnly(2026, 7, 5) && m.Body.Contains("督办单逾期未答复"));
    }

    /// <summary>The open reminders the rules call for on each day of the walk, worked out by hand.</summary>
    private static SortedSet<string> Expected(DateOnly day)
    {
        var open = new SortedSet<string>();
        int Days(DateOnly from) => day.DayNumber - from.DayNumber;

        var overdueDays = Days(new(2026, 6, 14));
        open.Add($"OVERDUE Overdue {(overdueDays >= 15 ? 3 : overdueDays >= 7 ? 2 : 1)}");

        if (day <= new DateOnly(2026, 6, 22))
            open.Add("DUESOON DueSoon 1");                   // 7, 3 and 1 days before; each supersedes the last
        else if (day == new DateOnly(2026, 6, 23))
            open.Add("DUESOON Overdue 1");                   // completed on 06-24: everything resolved

        if (day is { Day: >= 17 and <= 19, Month: 6 } || day >= new DateOnly(2026, 6, 22))
            open.Add("SILENT Silent 1");                     // daily reporter: reported 06-15 and 06-20

        open.Add($"LAGGING Lagging {(Days(D0) >= 14 ? 3 : 1)}"); // red since 06-15; level 3 after two weeks

        if (day >= new DateOnly(2026, 6, 19))
            open.Add("MILESTONE MilestoneOverdue 1");
        return open;
    }

    private static SortedSet<string> ExpectedNotices(DateOnly day)
    {
        var notices = new SortedSet<string>();
        if (day >= new DateOnly(2026, 6, 29))
        {
            // Raised 06-29, answer due 07-04; left unanswered it escalates once, on 07-05.
            notices.Add($"OVERDUE {(day >= new DateOnly(2026, 7, 5) ? "Raised escalated" : "Raised")}");
            notices.Add($"LAGGING {(day >= new DateOnly(2026, 7, 2) ? "Returned" : day >= new DateOnly(2026, 7, 1) ? "Answered" : "Raised")}");
        }
        return notices;
    }


    private async Task<SortedSet<string>> OpenRemindersAsync(DateOnly day)
    {
        await using var db = app.Db();
        var open = await db.Reminders.Where(r => r.Status == ReminderStatus.Open)
            .Join(db.Initiatives, r => r.InitiativeId, i => i.Id, (r, i) => new { i.Code, r.Reason, r.Level, r.Period })
            .ToListAsync();
        Assert.All(open, r => Assert.True(r.Period <= day));
        return new SortedSet<string>(open.Select(r => $"{r.Code} {r.Reason} {r.Level}"));
    }

    private async Task<SortedSet<string>> NoticesAsync()
    {
        await using var db = app.Db();
        var notices = await db.Notices.Join(db.Initiatives, n => n.InitiativeId, i => i.Id, (n, i) => new { i.Code, n.Status, n.Escalated }).ToListAsync();
        return new SortedSet<string>(notices.Select(n => $"{n.Code} {n.Status}{(n.Escalated ? " escalated" : "")}"));
    }

    private async Task<long> NoticeOf(long initiativeId)
    {
        await using var db = app.Db();
        return await db.Notices.Where(n => n.InitiativeId == initiativeId).Select(n => n.Id).SingleAsync();
    }

    private async Task<string> SnapshotAsync()
    {
        await using var db = app.Db();
        var reminders = await db.Reminders.OrderBy(r => r.Id).Select(r => $"{r.Id}:{r.Status}:{r.Level}:{r.Period}").ToListAsync();
        var notices = await db.NoticeSteps.CountAsync();
        var inbox = await db.Inbox.CountAsync();
        var deliveries = await db.Deliveries.CountAsync();
        return $"{string.Join(",", reminders)}|{notices}|{inbox}|{deliveries}";
    }
}
