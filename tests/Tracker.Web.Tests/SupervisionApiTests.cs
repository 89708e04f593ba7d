using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Audit;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Features.Supervision;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

public sealed class SupervisionApiTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task The_job_dashboard_is_for_supervisors_and_admins_signed_in_with_the_cookie()
    {
        async Task<HttpStatusCode> Dashboard(string[] roles, int? jurisdictionId)
        {
            var client = app.CreateClient(new() { AllowAutoRedirect = false });
            if (roles.Length > 0)
            {
                var user = await app.NewUserAsync(roles, jurisdictionId: jurisdictionId);
                (await client.PostAsJsonAsync("/api/auth/login?useCookies=true", new LoginRequest(user.Email, TrackerApp.Password), TrackerApp.Json)).EnsureSuccessStatusCode();
            }
            return (await client.GetAsync("/hangfire")).StatusCode;
        }
        var city = (await app.NewPlaceAsync()).CityId;

        Assert.Equal(HttpStatusCode.Unauthorized, await Dashboard([], null));
        Assert.Equal(HttpStatusCode.Forbidden, await Dashboard([Roles.Deputy], city));
        Assert.Equal(HttpStatusCode.OK, await Dashboard([Roles.Supervisor], city));
        Assert.Equal(HttpStatusCode.OK, await Dashboard([Roles.Admin], null));
    }

    [Fact]
    public async Task The_board_lists_what_is_chased_with_days_overdue_and_level_and_counts_per_department()
    {
        var place = await app.NewPlaceAsync();
        var late = (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with
        {
            Code = "LATE",
            PlannedStart = new(2026, 1, 1),
            Deadline = new(2026, 6, 1),
        })).Detail;
        await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with { Code = "FINE", PlannedStart = new(2026, 6, 14) });
        await app.SweepAsync();
        var supervisor = await app.SupervisorOf(place.CityId);

        var board = await supervisor.GetFromJsonAsync<Paged<BoardItem>>($"/api/board?jurisdictionId={place.CityId}", TrackerApp.Json);
        var groups = await supervisor.GetFromJsonAsync<List<BoardGroup>>($"/api/board/by-department?jurisdictionId={place.CityId}", TrackerApp.Json);
        var forbidden = await (await app.OfficialOf(place.CountyDepartmentId)).GetAsync("/api/board");

        var item = Assert.Single(board!.Items);
        Assert.Equal(late.Id, item.Id);
        Assert.Equal(14, item.Health.DaysOverdue);
        Assert.Equal(2, item.EscalationLevel);       // 14 days overdue: level 2 from day 7
        Assert.Contains(ReminderReason.Overdue, item.OpenReasons);
        var group = Assert.Single(groups!);
        Assert.Equal((place.CountyDepartmentId, 1, 1), (group.Id, group.Overdue, group.Red));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task A_supervision_notice_goes_round_its_closed_loop_and_keeps_every_step()
    {
        var place = await app.NewPlaceAsync();
        var item = (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with
        {
            PlannedStart = new(2026, 1, 1),
            Deadline = new(2026, 5, 20),     // 26 days overdue: level 3
        })).Detail;
        await app.SweepAsync();
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var otherOfficial = await app.OfficialOf((await app.NewPlaceAsync()).CountyDepartmentId);
        var supervisor = await app.SupervisorOf(place.CountyId);
        var notice = Assert.Single((await official.GetFromJsonAsync<Paged<NoticeDto>>("/api/notices", TrackerApp.Json))!.Items);
        Assert.Equal(item.Id, notice.InitiativeId);

        Assert.Equal(HttpStatusCode.NotFound, (await otherOfficial.PostAsJsonAsync($"/api/notices/{notice.Id}/answer", new NoticeAnswer("x"), TrackerApp.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostAsJsonAsync($"/api/notices/{notice.Id}/answer", new NoticeAnswer("x"), TrackerApp.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await supervisor.PostAsJsonAsync($"/api/notices/{notice.Id}/review", new NoticeReview(true, null), TrackerApp.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await official.PostAsJsonAsync($"/api/notices/{notice.Id}/answer", new NoticeAnswer(""), TrackerApp.Json)).StatusCode);
        (await official.PostAsJsonAsync($"/api/notices/{notice.Id}/answer", new NoticeAnswer("倒排工期，6月底完成"), TrackerApp.Json)).EnsureSuccessStatusCode();
        (await supervisor.PostAsJsonAsync($"/api/notices/{notice.Id}/review", new NoticeReview(false, "请明确责任人"), TrackerApp.Json)).EnsureSuccessStatusCode();
        (await official.PostAsJsonAsync($"/api/notices/{notice.Id}/answer", new NoticeAnswer("责任人：李科长；6月底完成"), TrackerApp.Json)).EnsureSuccessStatusCode();
        (await supervisor.PostAsJsonAsync($"/api/notices/{notice.Id}/review", new NoticeReview(true, "同意"), TrackerApp.Json)).EnsureSuccessStatusCode();
        var closed = await supervisor.PostAsJsonAsync($"/api/notices/{notice.Id}/close", new NoticeAnswer("已整改到位"), TrackerApp.Json);

        var final = await app.ReadAsync<NoticeDto>(closed);
        Assert.Equal(NoticeStatus.Closed, final.Status);
        Assert.Equal(["Raised", "Answered", "Returned", "Answered", "Accepted", "Closed"], final.Steps.Select(s => s.Action));
        var trail = (await supervisor.GetFromJsonAsync<Paged<AuditDto>>($"/api/audit?initiativeId={item.Id}&entityType=NoticeStep&pageSize=100", TrackerApp.Json))!.Items;
        Assert.Equal(6, trail.Count);
    }

    [Fact]
    public async Task The_inbox_holds_the_days_digest_with_an_unread_count_and_mark_read()
    {
        var place = await app.NewPlaceAsync();
        await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with { PlannedStart = new(2026, 1, 1), Deadline = new(2026, 6, 10) });
        await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with { PlannedStart = new(2026, 1, 1), Deadline = new(2026, 6, 12) });
        await app.SweepAsync();
        var official = await app.OfficialOf(place.CountyDepartmentId);

        var inbox = (await official.GetFromJsonAsync<Paged<InboxItem>>("/api/inbox", TrackerApp.Json))!.Items;
        var message = Assert.Single(inbox);      // one digest for the day, not one message per item
        Assert.Equal(4, message.ItemCount);      // two items, each overdue and silent (never reported)
        Assert.Equal(1, await official.GetFromJsonAsync<int>("/api/inbox/unread-count"));
        Assert.Equal(HttpStatusCode.NoContent, (await official.PostAsync($"/api/inbox/{message.Id}/read", null)).StatusCode);
        Assert.Equal(0, await official.GetFromJsonAsync<int>("/api/inbox/unread-count"));
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.AdminClient()).PostAsync($"/api/inbox/{message.Id}/read", null)).StatusCode);
    }

    [Fact]
    public async Task Supervisors_can_queue_the_sweep_now()
    {
        var response = await (await app.SupervisorOf((await app.NewPlaceAsync()).CityId)).PostAsync("/api/reminders/sweep", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.StartsWith("/hangfire/jobs/details/", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.DeputyOf((await app.NewPlaceAsync()).CityId)).PostAsync("/api/reminders/sweep", null)).StatusCode);
    }

}
