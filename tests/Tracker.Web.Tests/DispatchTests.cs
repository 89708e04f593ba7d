using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Bulletins;
using Tracker.Web.Features.Dispatch;
using Tracker.Web.Features.Progress;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>Issue 15: a weekly dispatch round (调度) walked with the fake clock — one department answers on time, one late, one never.</summary>
public sealed class DispatchWeekTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    private static readonly TimeSpan Office = TimeSpan.FromHours(8);
    private readonly DispatchSteps steps = new(app);

    [Fact]
    public async Task A_weekly_round_reminds_those_who_have_not_answered_closes_with_each_departments_rate_and_the_weekly_bulletin_shows_it()
    {
        var place = await app.NewPlaceAsync();
        var third = await steps.NewDepartmentAsync(place.CountyId);
        var supervisor = await app.SupervisorOf(place.CountyId);
        (await supervisor.PutAsJsonAsync($"/api/jurisdictions/{place.CountyId}/bulletin-settings", new BulletinSettingsInput(false, true, false))).EnsureSuccessStatusCode();
        var onTime = await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "DS-A"));
        var late = await app.CreateAsync(TestData.NewInitiative(place.TownshipId, place.TownshipDepartmentId, "DS-B"));
        var silent = await app.CreateAsync(TestData.NewInitiative(place.CountyId, third, "DS-C"));
        await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "DS-K") with { Kind = InitiativeKind.KeyProject });   // not asked
        var (a, b, c) = (await steps.OfficialAsync(place.CountyDepartmentId), await steps.OfficialAsync(place.TownshipDepartmentId), await steps.OfficialAsync(third));

        // Monday 2026-06-15, 10:00 in the office: a weekly round of the livelihood items, due Friday 17:00.
        var due = new DateTimeOffset(2026, 6, 19, 17, 0, 0, Office);
        var created = await supervisor.PostAsJsonAsync("/api/dispatch-rounds",
            new DispatchInput(place.CountyId, "民生实事周调度", "本周形象进度、存在问题", InitiativeKind.Livelihood, null, false, null, due, true), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var round = (await created.Content.ReadFromJsonAsync<DispatchDetail>(TrackerApp.Json))!;
        Assert.Equal((DispatchStatus.Open, 3, 0), (round.Status, round.Tally.Items, round.Tally.OnTime));
        Assert.Equal(["DS-A", "DS-B", "DS-C"], round.NotOnTime.Select(i => i.Code).Order());
        Assert.Equal(1, await steps.CountAsync(a, DispatchNote.Opened, round.Id));
        Assert.Equal(1, await steps.CountAsync(c, DispatchNote.Opened, round.Id));
        var asked = (await (await app.OfficialOf(place.TownshipDepartmentId)).GetFromJsonAsync<List<DispatchAsk>>("/api/me/dispatch", TrackerApp.Json))!;
        Assert.Equal([(round.Id, "DS-B")], asked.SelectMany(r => r.Waiting.Select(i => (r.RoundId, i.Code))));

        // Tuesday's digest tells all three departments; A answers on Wednesday; Thursday's tells only B and C.
        await app.SweepOnAsync(new DateOnly(2026, 6, 16));
        Assert.Equal(new[] { true, true, true }, await Task.WhenAll(new[] { a, b, c }.Select(o => steps.DigestHasRoundAsync(o, new DateOnly(2026, 6, 16)))));
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 6, 17, 10, 0, 0, Office).ToUniversalTime());
        await steps.ReportAsync(place.CountyDepartmentId, onTime.Detail);
        await app.SweepOnAsync(new DateOnly(2026, 6, 18));
        Assert.Equal(new[] { false, true, true }, await Task.WhenAll(new[] { a, b, c }.Select(o => steps.DigestHasRoundAsync(o, new DateOnly(2026, 6, 18)))));

        // Friday: nothing before 15:00; at 15:05 B and C are reminded, once, whatever the runs.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 6, 19, 14, 55, 0, Office).ToUniversalTime());
        Assert.Equal(new DispatchClock.Tick(0, 0, 0), await steps.TickAsync());
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 6, 19, 15, 5, 0, Office).ToUniversalTime());
        var ticks = await Task.WhenAll(steps.TickAsync(), steps.TickAsync());
        Assert.Equal(1, ticks.Sum(t => t.Reminded));
        Assert.Equal(new[] { 0, 1, 1 }, await Task.WhenAll(new[] { a, b, c }.Select(o => steps.CountAsync(o, DispatchNote.DueSoon, round.Id))));

        // 17:00: the round closes (two servers at once: one close, one successor, opening next Monday at 10:00).
        app.Clock.SetUtcNow(due.ToUniversalTime());
        ticks = await Task.WhenAll(steps.TickAsync(), steps.TickAsync());
        Assert.Equal(1, ticks.Sum(t => t.Closed));
        var closed = await steps.OneAsync(round.Id);
        Assert.Equal((DispatchStatus.Closed, 33.3m), (closed.Status, closed.Tally.CompletionRate));
        Assert.Equal([("住建局", 100m), ("住建局", 0m), ("交通局", 0m)],
            closed.Departments.OrderByDescending(d => d.Tally.CompletionRate).ThenBy(d => d.DepartmentId).Select(d => (d.Department[..3], d.Tally.CompletionRate!.Value)));
        await using (var db = app.Db())
        {
            var next = await db.DispatchRounds.SingleAsync(r => r.PreviousId == round.Id);
            Assert.Equal((DispatchStatus.Scheduled, new DateTimeOffset(2026, 6, 22, 10, 0, 0, Office), due.AddDays(7)), (next.Status, next.OpensAt, next.DueAt));
        }

        // Saturday: B answers, late (the next round has not opened, so the report is last week's).
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 6, 20, 11, 0, 0, Office).ToUniversalTime());
        await steps.ReportAsync(place.TownshipDepartmentId, late.Detail);
        closed = await steps.OneAsync(round.Id);
        Assert.Equal((3, 1, 1, 1), (closed.Tally.Items, closed.Tally.OnTime, closed.Tally.Late, closed.Tally.Unanswered));
        Assert.Equal([("DS-B", DispatchAnswer.Late), ("DS-C", DispatchAnswer.Waiting)], closed.NotOnTime.Select(i => (i.Code, i.Answer)).Order());

        // Monday 08:30: the weekly bulletin of 06-15..06-21 carries the round by department, worked out by hand:
        // county 1 asked, 1 on time (100%); township 1 asked, 1 late (0%); the third 1 asked, none (0%).
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 6, 22, 8, 30, 0, Office).ToUniversalTime());
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<BulletinRunner>().RunAsync(BulletinKind.Weekly, CancellationToken.None);
        long bulletinId;
        await using (var db = app.Db())
            bulletinId = await db.Bulletins.Where(x => x.JurisdictionId == place.CountyId && x.PeriodKey == "2026-W25").Select(x => x.Id).SingleAsync();
        var bulletin = (await supervisor.GetFromJsonAsync<BulletinDetail>($"/api/bulletins/{bulletinId}", TrackerApp.Json))!;
        Assert.Equal(
            [(place.CountyDepartmentId, 1, 1, 0, 0, 100m), (place.TownshipDepartmentId, 1, 0, 1, 0, 0m), (third, 1, 0, 0, 1, 0m)],
            bulletin.Content.RoundLines.Select(r => (r.DepartmentId, r.Items, r.OnTime, r.Late, r.Tally.Unanswered, r.Tally.CompletionRate!.Value)).OrderBy(r => r.DepartmentId));
        Assert.All(bulletin.Content.RoundLines, r => Assert.Equal((round.Id, "民生实事周调度"), (r.RoundId, r.Round)));

        // 10:00: the next round opens on its own and asks again, the late department included.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 6, 22, 10, 0, 0, Office).ToUniversalTime());
        Assert.Equal(1, (await steps.TickAsync()).Opened);
        await using (var db = app.Db())
        {
            var next = await db.DispatchRounds.SingleAsync(r => r.PreviousId == round.Id);
            Assert.Equal(DispatchStatus.Open, next.Status);
            Assert.Equal(3, await db.DispatchItems.CountAsync(d => d.RoundId == next.Id && d.AnsweredAt == null));
            Assert.Equal(1, await db.Inbox.CountAsync(m => m.DispatchRoundId == next.Id && m.RecipientEmail == b && m.DispatchNote == DispatchNote.Opened));

            // The kept counts the pages and bulletins read are what the items say.
            var dueUtc = due.ToUniversalTime();
            var kept = await db.DispatchCounts.Where(c => c.RoundId == round.Id).OrderBy(c => c.DepartmentId)
                .Select(c => new { c.DepartmentId, c.Items, c.OnTime, c.Late }).ToListAsync();
            var recount = await db.DispatchItems.Where(d => d.RoundId == round.Id).GroupBy(d => d.DepartmentId)
                .Select(g => new { DepartmentId = g.Key, Items = g.Count(), OnTime = g.Count(d => d.AnsweredAt <= dueUtc), Late = g.Count(d => d.AnsweredAt > dueUtc) })
                .OrderBy(c => c.DepartmentId).ToListAsync();
            Assert.Equal(recount, kept);
        }
    }

}

/// <summary>Issue 15: who sets up and calls off a round, and what answers it. The clock stays at Monday 2026-06-15 10:00.</summary>
public sealed class DispatchTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    private static readonly TimeSpan Office = TimeSpan.FromHours(8);
    private readonly DispatchSteps steps = new(app);

    [Fact]
    public async Task Only_a_report_with_figures_answers_a_round_that_asks_for_them_and_a_cancelled_round_takes_no_more()
    {
        var place = await app.NewPlaceAsync();
        var supervisor = await app.SupervisorOf(place.CountyId);
        var item = await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId));
        var round = await steps.OpenAsync(supervisor, new DispatchInput(place.CountyId, "月度投资调度", null, null, place.CountyDepartmentId, true, null,
            new DateTimeOffset(2026, 6, 19, 17, 0, 0, Office), false));

        var official = await app.OfficialOf(place.CountyDepartmentId);
        (await official.PostAsJsonAsync($"/api/initiatives/{item.Detail.Id}/reports", new ReportInput(Phase.Started, "开工", null, null, [], null), TrackerApp.Json))
            .EnsureSuccessStatusCode();
        Assert.Equal(0, (await steps.OneAsync(round.Id)).Tally.OnTime);   // no figures: not an answer
        await steps.ReportAsync(place.CountyDepartmentId, item.Detail);
        Assert.Equal(1, (await steps.OneAsync(round.Id)).Tally.OnTime);

        var other = await steps.OpenAsync(supervisor, new DispatchInput(place.CountyId, "临时调度", null, null, null, false, null,
            new DateTimeOffset(2026, 6, 19, 17, 0, 0, Office), false));
        Assert.Equal(HttpStatusCode.Forbidden, (await official.PostAsync($"/api/dispatch-rounds/{other.Id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await supervisor.PostAsync($"/api/dispatch-rounds/{other.Id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await supervisor.PostAsync($"/api/dispatch-rounds/{other.Id}/cancel", null)).StatusCode);
        await steps.ReportAsync(place.CountyDepartmentId, item.Detail);
        Assert.Equal((DispatchStatus.Cancelled, 0), ((await steps.OneAsync(other.Id)).Status, (await steps.OneAsync(other.Id)).Tally.OnTime));
    }

    [Fact]
    public async Task A_round_is_set_up_only_by_a_supervisor_of_its_jurisdiction_with_a_due_time_to_come()
    {
        var place = await app.NewPlaceAsync();
        var other = await app.NewPlaceAsync();
        var input = new DispatchInput(place.CountyId, "周调度", null, null, null, false, null, new DateTimeOffset(2026, 6, 19, 17, 0, 0, Office), true);

        var past = await (await app.SupervisorOf(place.CountyId)).PostAsJsonAsync("/api/dispatch-rounds", input with { DueAt = new DateTimeOffset(2026, 6, 1, 17, 0, 0, Office) }, TrackerApp.Json);
        var tooLong = await (await app.SupervisorOf(place.CountyId)).PostAsJsonAsync("/api/dispatch-rounds", input with { DueAt = new DateTimeOffset(2026, 6, 29, 17, 0, 0, Office) }, TrackerApp.Json);
        var foreignDepartment = await (await app.SupervisorOf(place.CountyId)).PostAsJsonAsync("/api/dispatch-rounds", input with { DepartmentId = other.CountyDepartmentId }, TrackerApp.Json);
        var stranger = await (await app.SupervisorOf(other.CountyId)).PostAsJsonAsync("/api/dispatch-rounds", input, TrackerApp.Json);
        var official = await (await app.OfficialOf(place.CountyDepartmentId)).PostAsJsonAsync("/api/dispatch-rounds", input, TrackerApp.Json);

        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("dueAt", await past.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, foreignDepartment.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, official.StatusCode);
        await using var db = app.Db();
        Assert.False(await db.DispatchRounds.AnyAsync(r => r.JurisdictionId == place.CountyId));
    }

}

internal sealed class DispatchSteps(TrackerApp app)
{
    public async Task<int> NewDepartmentAsync(int jurisdictionId)
    {
        await using var db = app.Db();
        var department = new Department { Code = $"jt-{Guid.NewGuid():N}"[..12], Name = $"交通局 {Guid.NewGuid():N}"[..12], JurisdictionId = jurisdictionId };
        db.Departments.Add(department);
        await db.SaveChangesAsync();
        return department.Id;
    }

    /// <summary>An official of the department (with an e-mail, so words reach them); returns the e-mail.</summary>
    public async Task<string> OfficialAsync(int departmentId) => (await app.NewUserAsync([Roles.Official], departmentId: departmentId)).Email!;

    public async Task<int> CountAsync(string email, DispatchNote note, long round)
    {
        await using var db = app.Db();
        return await db.Inbox.CountAsync(m => m.RecipientEmail == email && m.DispatchRoundId == round && m.DispatchNote == note);
    }

    public async Task<bool> DigestHasRoundAsync(string email, DateOnly day)
    {
        await using var db = app.Db();
        var body = await db.Inbox.Where(m => m.RecipientEmail == email && m.Period == day && m.BulletinId == null && m.DispatchRoundId == null)
            .Select(m => m.Body).SingleOrDefaultAsync();
        return body?.Contains("【调度未报】民生实事周调度：本单位尚有 1 项未报送，截止 2026-06-19 17:00", StringComparison.Ordinal) == true;
    }

    public async Task ReportAsync(int departmentId, Features.Initiatives.InitiativeDetail item) =>
        (await (await app.OfficialOf(departmentId)).PostAsJsonAsync($"/api/initiatives/{item.Id}/reports",
            new ReportInput(Phase.Started, "本周进展", null, null, [new ReportValueInput(item.Targets[0].Id, 100)], null), TrackerApp.Json)).EnsureSuccessStatusCode();

    public async Task<DispatchClock.Tick> TickAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DispatchClock>().RunAsync(CancellationToken.None);
    }

    public async Task<DispatchDetail> OpenAsync(HttpClient supervisor, DispatchInput input)
    {
        var response = await supervisor.PostAsJsonAsync("/api/dispatch-rounds", input, TrackerApp.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DispatchDetail>(TrackerApp.Json))!;
    }

    public async Task<DispatchDetail> OneAsync(long id)
    {
        await using var db = app.Db();
        var jurisdiction = await db.DispatchRounds.Where(r => r.Id == id).Select(r => r.JurisdictionId).SingleAsync();
        return (await (await app.SupervisorOf(jurisdiction)).GetFromJsonAsync<DispatchDetail>($"/api/dispatch-rounds/{id}", TrackerApp.Json))!;
    }
}
