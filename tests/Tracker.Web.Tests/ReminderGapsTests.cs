using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Features.Progress;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>
/// Issue 13, no reminder lost: the deadline day reminds too, a due-soon threshold passed while no sweep ran is sent once by
/// the next sweep, and a deputies' follow-up left unanswered reminds the lead department and climbs to a notice. The fake
/// clock walks the days; the sweep runs at 08:00 office time on the days it is given (<see cref="TrackerApp.SweepOnAsync"/>).
/// </summary>
public sealed class DueSoonGapTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task A_threshold_missed_while_no_sweep_ran_is_sent_once_the_next_day_and_the_deadline_day_reminds()
    {
        var place = await app.NewPlaceAsync();
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var item = (await official.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "GAP-DUE") with
        {
            PlannedStart = new(2026, 6, 1),
            Deadline = new(2026, 6, 25),
            Targets = [new TargetInput(null, "完成量", "%", 0, 100, 1)],
            ResponsiblePerson = new ContactDto("责任人", null, null, "gap-due@example.gov.cn"),
        })).Detail;
        (await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/reports",
            new ReportInput(Phase.Started, "进展", null, null, [new ReportValueInput(item.Targets[0].Id, 95)], null), TrackerApp.Json)).EnsureSuccessStatusCode();

        // The service is down from 06-16 to 06-19: no sweep on 06-18, the 7-day threshold.
        var sent = new List<(DateOnly Day, int DaysLeft)>();
        foreach (var day in new DateOnly[] { new(2026, 6, 15), new(2026, 6, 20), new(2026, 6, 21), new(2026, 6, 22), new(2026, 6, 23), new(2026, 6, 24), new(2026, 6, 25), new(2026, 6, 26) })
        {
            await SweepOnAsync(day);
            await using var db = app.Db();
            var rows = await db.Reminders.Where(r => r.InitiativeId == item.Id && r.Reason == ReminderReason.DueSoon && r.Period == day)
                .Select(r => new { r.Period, r.Days }).ToListAsync();
            sent.AddRange(rows.Select(r => (r.Period, r.Days)));
        }

        Assert.Equal([(new(2026, 6, 20), 5), (new(2026, 6, 22), 3), (new(2026, 6, 24), 1), (new(2026, 6, 25), 0)], sent);
        await using var check = app.Db();
        var digests = await check.Inbox.Where(m => m.RecipientEmail == "gap-due@example.gov.cn").OrderBy(m => m.Period).ToListAsync();
        Assert.Contains("[临期 5天] GAP-DUE", digests.Single(m => m.Period == new DateOnly(2026, 6, 20)).Body);
        Assert.DoesNotContain(digests, m => m.Period == new DateOnly(2026, 6, 21));
        Assert.Contains("[截止当天] GAP-DUE", digests.Single(m => m.Period == new DateOnly(2026, 6, 25)).Body);
        Assert.Contains("[逾期 1天 · 1级] GAP-DUE", digests.Single(m => m.Period == new DateOnly(2026, 6, 26)).Body);
    }

    private Task SweepOnAsync(DateOnly day) => app.SweepOnAsync(day);
}

/// <inheritdoc cref="DueSoonGapTests"/>
public sealed class FollowUpReminderTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task An_unanswered_follow_up_reminds_the_lead_department_climbs_to_a_notice_and_an_answer_ends_it()
    {
        var place = await app.NewPlaceAsync();
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var officialEmail = (await (await official.GetAsync("/api/auth/me")).Content.ReadFromJsonAsync<Dictionary<string, object>>())!["email"].ToString()!;
        var item = (await official.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "GAP-FU") with
        {
            PlannedStart = new(2026, 6, 1),
            Deadline = new(2026, 12, 31),
            Targets = [new TargetInput(null, "完成量", "%", 0, 100, 1)],
            ResponsiblePerson = new ContactDto("责任人", null, null, "gap-fu@example.gov.cn"),
        })).Detail;
        (await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/reports",
            new ReportInput(Phase.Started, "进展", null, null, [new ReportValueInput(item.Targets[0].Id, 50)], null), TrackerApp.Json)).EnsureSuccessStatusCode();
        var deputy = await app.DeputyOf(place.CountyId);
        var deputyId = (await (await deputy.GetAsync("/api/auth/me")).Content.ReadFromJsonAsync<Dictionary<string, object>>())!["id"].ToString()!;
        var admin = await app.AdminClient();
        (await admin.PostAsJsonAsync("/api/groups", new GroupInput(place.CountyId, "跟踪组", [deputyId], [item.Id]), TrackerApp.Json)).EnsureSuccessStatusCode();
        var inspection = await app.ReadAsync<InspectionDto>(await deputy.PostAsJsonAsync($"/api/initiatives/{item.Id}/inspections",
            new InspectionInput(InspectionKind.SiteVisit, new(2026, 6, 15), "部分路段未完工", [new FollowUpInput("请说明完工时间", new(2026, 6, 19))]), TrackerApp.Json));

        var levels = new Dictionary<DateOnly, int?>();
        for (var day = new DateOnly(2026, 6, 19); day <= new DateOnly(2026, 7, 4); day = day.AddDays(1))
        {
            await SweepOnAsync(day);
            await using var db = app.Db();
            levels[day] = await db.Reminders.Where(r => r.InitiativeId == item.Id && r.Reason == ReminderReason.FollowUpOverdue && r.Period == day)
                .Select(r => (int?)r.Level).SingleOrDefaultAsync();
        }

        Assert.Null(levels[new(2026, 6, 19)]);               // due that day: not late yet
        Assert.Equal(1, levels[new(2026, 6, 20)]);
        Assert.Equal(2, levels[new(2026, 6, 26)]);           // 7 days late
        Assert.Equal(3, levels[new(2026, 7, 4)]);            // 15 days late: a supervision notice
        await using (var db = app.Db())
        {
            var notice = await db.Notices.SingleAsync(n => n.InitiativeId == item.Id);
            Assert.Equal((place.CountyDepartmentId, new DateOnly(2026, 7, 4)), (notice.DepartmentId, notice.RaisedOn));
            Assert.Contains("代表跟踪事项逾期 15 天未答复", notice.Reason);
            var inbox = await db.Inbox.Where(m => m.Period == new DateOnly(2026, 6, 20)).ToListAsync();
            Assert.Contains("[代表跟踪事项逾期未答复 1天 · 1级] GAP-FU", inbox.Single(m => m.RecipientEmail == "gap-fu@example.gov.cn").Body);
            Assert.Contains("GAP-FU", inbox.Single(m => m.RecipientEmail == officialEmail.ToLowerInvariant()).Body);
        }

        // The department answers: the follow-up's reminder ends at once, and the next sweep raises none.
        (await official.PostAsJsonAsync($"/api/follow-ups/{inspection.FollowUps[0].Id}/answer", new FollowUpAnswer("7月20日前全部完工"), TrackerApp.Json)).EnsureSuccessStatusCode();
        await using (var db = app.Db())
            Assert.False(await db.Reminders.AnyAsync(r => r.InitiativeId == item.Id && r.Reason == ReminderReason.FollowUpOverdue && r.Status == ReminderStatus.Open));
        await SweepOnAsync(new(2026, 7, 5));
        await using (var db = app.Db())
            Assert.False(await db.Reminders.AnyAsync(r => r.InitiativeId == item.Id && r.Reason == ReminderReason.FollowUpOverdue && r.Period == new DateOnly(2026, 7, 5)));
    }

    private Task SweepOnAsync(DateOnly day) => app.SweepOnAsync(day);
}
