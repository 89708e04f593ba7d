using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Plans;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>The approved plan is the yardstick: once an item has started, only a supervisor's approval of a change request moves it.</summary>
public sealed class PlanChangeApiTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(TrackerApp.Start.UtcDateTime);

    /// <summary>An item of the place's county, overdue since 10 days, reported on once (so its plan is fixed).</summary>
    private async Task<(Place Place, InitiativeDetail Item, HttpClient Official)> StartedOverdueAsync()
    {
        var place = await app.NewPlaceAsync();
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var (item, _) = await official.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with
        {
            PlannedStart = Today.AddDays(-100),
            Deadline = Today.AddDays(-10),
            Milestones = [],
        });
        var report = await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/reports",
            new { phase = item.Phase, narrative = "已完成一半", values = new[] { new { targetId = item.Targets[0].Id, value = 100 } } }, TrackerApp.Json);
        Assert.Equal(HttpStatusCode.Created, report.StatusCode);
        var detail = await official.GetFromJsonAsync<InitiativeDetail>($"/api/initiatives/{item.Id}", TrackerApp.Json);
        return (place, detail!, official);
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, long id, InitiativeInput input, string etag)
    {
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/initiatives/{id}") { Content = JsonContent.Create(input, options: TrackerApp.Json) };
        put.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        return await client.SendAsync(put);
    }

    private static InitiativeInput AsInput(InitiativeDetail d) => new(
        d.Code, d.Title, d.Description, d.Year, d.Kind, d.Jurisdiction.Id, d.LeadDepartment.Id, [.. d.CoDepartments.Select(c => c.Id)],
        d.LeaderInCharge, d.ResponsiblePerson,
        d.Budget, d.PlannedStart, d.Deadline, d.ReportingInterval, d.Phase,
        [.. d.Targets.Select(t => new TargetInput(t.Id, t.Metric, t.Unit, t.Baseline, t.Target, t.Weight))],
        [.. d.Milestones.Select(m => new MilestoneInput(m.Id, m.Name, m.PlannedOn, m.AchievedOn))]);

    [Fact]
    public async Task An_officials_edit_of_a_started_items_deadline_or_target_is_refused_and_changes_nothing()
    {
        var (_, item, official) = await StartedOverdueAsync();
        var etag = (await official.GetAsync($"/api/initiatives/{item.Id}")).Headers.ETag!.Tag;
        var input = AsInput(item);

        var deadline = await PutAsync(official, item.Id, input with { Deadline = Today.AddDays(30) }, etag);
        var target = await PutAsync(official, item.Id, input with { Targets = [input.Targets![0] with { Target = 100 }] }, etag);
        var renamed = await PutAsync(official, item.Id, input with { Title = "老旧小区改造（更名）" }, etag);

        Assert.Equal(HttpStatusCode.BadRequest, deadline.StatusCode);
        Assert.Contains("Deadline", (await deadline.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(HttpStatusCode.BadRequest, target.StatusCode);
        Assert.Contains("Targets", (await target.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);   // what is not the yardstick stays the department's to edit
        await using var db = app.Db();
        var stored = await db.Initiatives.Include(i => i.Targets).SingleAsync(i => i.Id == item.Id);
        Assert.Equal((item.Deadline, 228m, true), (stored.Deadline, stored.Targets[0].TargetValue, stored.Overdue));
    }

    [Fact]
    public async Task Rejected_then_approved_the_request_leaves_two_plan_versions_the_new_health_and_the_audit_trail()
    {
        var (place, item, official) = await StartedOverdueAsync();
        await app.SweepAsync();
        var supervisor = await app.SupervisorOf(place.CityId);
        var newDeadline = Today.AddDays(45);

        var first = await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/change-requests", new ChangeRequestInput("雨季停工两月", null, newDeadline, null, null), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var asked = (await first.Content.ReadFromJsonAsync<ChangeRequestDto>(TrackerApp.Json))!;
        Assert.Equal((ChangeRequestStatus.Pending, item.Deadline, newDeadline), (asked.Status, asked.DeadlineBefore, asked.Proposed.Deadline));
        Assert.Equal(["Deadline"], asked.Moves);
        var second = await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/change-requests", new ChangeRequestInput("再次申请", null, newDeadline, null, null), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var queue = await supervisor.GetFromJsonAsync<Tracker.Web.Infrastructure.Paged<ChangeRequestDto>>("/api/change-requests", TrackerApp.Json);
        Assert.Contains(queue!.Items, r => r.Id == asked.Id);

        var rejected = await supervisor.PostAsJsonAsync($"/api/change-requests/{asked.Id}/decision", new ChangeDecision(false, "理由不充分"), TrackerApp.Json);
        Assert.Equal(ChangeRequestStatus.Rejected, (await rejected.Content.ReadFromJsonAsync<ChangeRequestDto>(TrackerApp.Json))!.Status);
        var stillLate = await official.GetFromJsonAsync<InitiativeDetail>($"/api/initiatives/{item.Id}", TrackerApp.Json);
        Assert.Equal((item.Deadline, true), (stillLate!.Deadline, stillLate.Health.Overdue));
        var notYet = await supervisor.GetFromJsonAsync<Tracker.Web.Infrastructure.Paged<Tracker.Web.Features.Supervision.BoardItem>>($"/api/board?jurisdictionId={place.CityId}&extended=true", TrackerApp.Json);
        Assert.DoesNotContain(notYet!.Items, b => b.Id == item.Id);   // on the board, but its deadline never moved

        var again = await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/change-requests", new ChangeRequestInput("补充证明材料后再次申请", null, newDeadline, null, null), TrackerApp.Json);
        var retry = (await again.Content.ReadFromJsonAsync<ChangeRequestDto>(TrackerApp.Json))!;
        var approved = await supervisor.PostAsJsonAsync($"/api/change-requests/{retry.Id}/decision", new ChangeDecision(true, "同意延期"), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        var after = await official.GetFromJsonAsync<InitiativeDetail>($"/api/initiatives/{item.Id}", TrackerApp.Json);
        Assert.Equal((newDeadline, false), (after!.Deadline, after.Health.Overdue));
        var plan = await official.GetFromJsonAsync<PlanHistory>($"/api/initiatives/{item.Id}/plan", TrackerApp.Json);
        Assert.Equal((item.Deadline, 1), (plan!.OriginalDeadline, plan.Extensions));
        Assert.Equal([(1, item.Deadline, (long?)null), (2, newDeadline, retry.Id)], plan.Versions.Select(v => (v.Number, v.Terms.Deadline, v.ChangeRequestId)));
        Assert.Equal([ChangeRequestStatus.Approved, ChangeRequestStatus.Rejected], plan.Requests.Select(r => r.Status));
        var ranking = await supervisor.GetFromJsonAsync<List<Tracker.Web.Features.Supervision.RankingRow>>("/api/board/ranking?year=2026", TrackerApp.Json);
        Assert.Equal(1, ranking!.Single(r => r.DepartmentId == place.CountyDepartmentId).Extensions);
        var extended = await supervisor.GetFromJsonAsync<Tracker.Web.Infrastructure.Paged<Tracker.Web.Features.Supervision.BoardItem>>($"/api/board?jurisdictionId={place.CityId}&extended=true", TrackerApp.Json);
        // Extended, no longer overdue, still behind the straight line: on the board's "extended" filter, lagging, not overdue.
        Assert.False(Assert.Single(extended!.Items, b => b.Id == item.Id).Health.Overdue);

        await using var db = app.Db();
        Assert.False((await db.Initiatives.SingleAsync(i => i.Id == item.Id)).Overdue);   // the kept health moved with the plan
        var trail = await db.AuditLog.Where(a => a.InitiativeId == item.Id).Select(a => new { a.EntityType, a.Action }).ToListAsync();
        Assert.Equal(2, trail.Count(a => a.EntityType == nameof(PlanVersion) && a.Action == "Created"));
        Assert.Equal(2, trail.Count(a => a.EntityType == nameof(ChangeRequest) && a.Action == "Updated"));
        Assert.Contains(trail, a => a.EntityType == nameof(Initiative) && a.Action == "Updated");
        Assert.Equal([ReminderStatus.Resolved], await db.Reminders.Where(r => r.InitiativeId == item.Id && r.Reason == ReminderReason.Overdue).Select(r => r.Status).ToArrayAsync());
    }

    [Fact]
    public async Task A_supervisor_of_another_county_and_the_requesting_department_cannot_decide()
    {
        var (place, item, official) = await StartedOverdueAsync();
        var elsewhere = await app.NewPlaceAsync();
        var asked = (await (await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/change-requests",
            new ChangeRequestInput("延期", null, Today.AddDays(30), null, null), TrackerApp.Json)).Content.ReadFromJsonAsync<ChangeRequestDto>(TrackerApp.Json))!;
        var decision = new ChangeDecision(true, "同意");

        var stranger = await (await app.SupervisorOf(elsewhere.CountyId)).PostAsJsonAsync($"/api/change-requests/{asked.Id}/decision", decision, TrackerApp.Json);
        var requester = await official.PostAsJsonAsync($"/api/change-requests/{asked.Id}/decision", decision, TrackerApp.Json);
        var ownDepartment = await (await SignedInAsync([Roles.Supervisor, Roles.Official], place.CountyDepartmentId, place.CityId))
            .PostAsJsonAsync($"/api/change-requests/{asked.Id}/decision", decision, TrackerApp.Json);

        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);     // another county's item does not exist for them
        Assert.Equal(HttpStatusCode.Forbidden, requester.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, ownDepartment.StatusCode);
        await using var db = app.Db();
        Assert.Equal(ChangeRequestStatus.Pending, (await db.ChangeRequests.SingleAsync(r => r.Id == asked.Id)).Status);
        Assert.Equal(item.Deadline, (await db.Initiatives.SingleAsync(i => i.Id == item.Id)).Deadline);
    }

    [Fact]
    public async Task A_request_with_a_deadline_before_the_start_is_a_field_error_and_one_that_moves_nothing_a_conflict()
    {
        var (_, item, official) = await StartedOverdueAsync();

        var backwards = await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/change-requests",
            new ChangeRequestInput("提前", null, item.PlannedStart.AddDays(-1), null, null), TrackerApp.Json);
        var nothing = await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/change-requests",
            new ChangeRequestInput("无变化", null, item.Deadline, null, null), TrackerApp.Json);
        var unreasoned = await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/change-requests",
            new ChangeRequestInput(" ", null, item.Deadline.AddDays(5), null, null), TrackerApp.Json);

        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.True((await backwards.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Deadline", out _));
        Assert.Equal(HttpStatusCode.Conflict, nothing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unreasoned.StatusCode);
        await using var db = app.Db();
        Assert.False(await db.ChangeRequests.AnyAsync(r => r.InitiativeId == item.Id));
    }

    [Fact]
    public async Task A_request_left_undecided_three_days_reminds_the_supervisors_of_its_jurisdiction_through_the_digest()
    {
        var (place, item, official) = await StartedOverdueAsync();
        var elsewhere = await app.NewPlaceAsync();
        var supervisor = await app.SupervisorOf(place.CityId);
        var stranger = await app.SupervisorOf(elsewhere.CityId);
        (await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/change-requests", new ChangeRequestInput("延期", null, Today.AddDays(40), null, null), TrackerApp.Json)).EnsureSuccessStatusCode();
        async Task<string> DigestOf(HttpClient client) =>
            string.Join("\n", (await client.GetFromJsonAsync<Tracker.Web.Infrastructure.Paged<Tracker.Web.Features.Reminders.InboxItem>>("/api/inbox?pageSize=100", TrackerApp.Json))!.Items.Select(m => m.Body));

        await app.SweepAsync();
        Assert.DoesNotContain(item.Code, await DigestOf(supervisor));   // asked today: not yet

        app.Clock.Advance(TimeSpan.FromDays(3));
        await app.SweepAsync();

        var digest = await DigestOf(supervisor);
        Assert.Contains("【调整申请待审批】", digest);
        Assert.Contains(item.Code, digest);
        Assert.DoesNotContain(item.Code, await DigestOf(stranger));
    }

    [Fact]
    public async Task A_planned_item_is_edited_directly_and_takes_no_change_request()
    {
        var place = await app.NewPlaceAsync();
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var (item, etag) = await official.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with { Milestones = [] });

        var request = await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/change-requests", new ChangeRequestInput("延期", null, item.Deadline.AddDays(5), null, null), TrackerApp.Json);
        var edit = await PutAsync(official, item.Id, AsInput(item) with { Deadline = item.Deadline.AddDays(5) }, etag);

        Assert.Equal(HttpStatusCode.Conflict, request.StatusCode);
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
    }

    [Fact]
    public async Task Editing_cannot_mark_a_milestone_achieved()
    {
        var place = await app.NewPlaceAsync();
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var (item, etag) = await official.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with
        {
            Milestones = [new MilestoneInput(null, "主体完工", Today.AddDays(20), null)],
        });
        var input = AsInput(item);

        var edit = await PutAsync(official, item.Id, input with { Milestones = [input.Milestones![0] with { AchievedOn = Today }] }, etag);

        Assert.Equal(HttpStatusCode.BadRequest, edit.StatusCode);
        Assert.True((await edit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Milestones", out _));
    }

    private async Task<HttpClient> SignedInAsync(string[] roles, int? departmentId, int? jurisdictionId)
    {
        var user = await app.NewUserAsync(roles, departmentId, jurisdictionId);
        var login = await app.LoginAsync(user.Email!, TrackerApp.Password);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
