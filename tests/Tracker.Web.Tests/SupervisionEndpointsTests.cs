using System.Net;
using System.Net.Http.Json;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Features.Supervision;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

public sealed class SupervisionEndpointsTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task Ranking_negative_list_and_raising_a_notice_by_hand_answer_as_the_pages_do()
    {
        var place = await app.NewPlaceAsync();
        var item = (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with { PlannedStart = new(2026, 1, 1), Deadline = new(2026, 6, 1) })).Detail;
        var supervisor = await app.SupervisorOf(place.CityId);
        var ranking = await supervisor.GetFromJsonAsync<List<RankingRow>>("/api/board/ranking?year=2026", TrackerApp.Json);
        Assert.Single(ranking!);
        Assert.Equal(1, ranking![0].Red);
        var neg = await supervisor.GetFromJsonAsync<List<NegativeDepartment>>("/api/board/negative-list", TrackerApp.Json);
        Assert.Equal(NegativeReason.Overdue, Assert.Single(Assert.Single(neg!).Items).Reasons[0]);
        // A notice needs a reason, takes the answer date given, and an item has one open notice at a time.
        var bad = await supervisor.PostAsJsonAsync($"/api/initiatives/{item.Id}/notices", new NoticeInput("", null), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var ok = await supervisor.PostAsJsonAsync($"/api/initiatives/{item.Id}/notices", new NoticeInput("逾期", new DateOnly(2026, 6, 18)), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        var dto = await app.ReadAsync<NoticeDto>(ok);
        Assert.Equal(new DateOnly(2026, 6, 18), dto.AnswerDue);
        var again = await supervisor.PostAsJsonAsync($"/api/initiatives/{item.Id}/notices", new NoticeInput("逾期", null), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var official = await app.OfficialOf(place.CountyDepartmentId);
        Assert.Equal(HttpStatusCode.Forbidden, (await official.GetAsync("/api/board/ranking")).StatusCode);
        var countySupervisor = await app.SupervisorOf((await app.NewPlaceAsync()).CountyId);
        Assert.Equal(HttpStatusCode.NotFound, (await countySupervisor.PostAsJsonAsync($"/api/initiatives/{item.Id}/notices", new NoticeInput("x", null), TrackerApp.Json)).StatusCode);
    }
}
