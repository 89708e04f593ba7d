using System.Net;
using System.Net.Http.Json;
using Tracker.Web.Features.Supervision;
using Tracker.Web.Infrastructure;
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
        var neg = await supervisor.GetFromJsonAsync<Paged<NegativeDepartment>>("/api/board/negative-list", TrackerApp.Json);
        var department = Assert.Single(neg!.Items);
        Assert.Equal(1, department.ItemCount);
        Assert.Equal(NegativeReason.Overdue, Assert.Single(department.Items).Reasons[0]);
        Assert.False(neg.HasMore);
        // A notice needs a reason, takes the answer date given, and an item has one open notice at a time.
        var bad = await supervisor.PostAsJsonAsync($"/api/initiatives/{item.Id}/notices", new NoticeInput("", null), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Give the reason for the notice.", await bad.Content.ReadAsStringAsync()); // the API speaks English; pages their own language
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

    [Fact]
    public async Task The_negative_list_comes_a_page_of_departments_at_a_time()
    {
        var place = await app.NewPlaceAsync();
        var departments = new List<int> { place.CountyDepartmentId };
        await using (var db = app.Db())
        {
            var more = Enumerable.Range(0, ReadNegativeList.DepartmentsPerPage)
                .Select(n => new Tracker.Domain.Department { Code = $"neg-{n}-{Guid.NewGuid():N}", Name = $"部门 {n:D2}", JurisdictionId = place.CountyId }).ToList();
            db.Departments.AddRange(more);
            await db.SaveChangesAsync();
            departments.AddRange(more.Select(d => d.Id));
        }
        foreach (var department in departments)   // one overdue item each
            await app.CreateAsync(TestData.NewInitiative(place.CountyId, department) with { PlannedStart = new(2026, 1, 1), Deadline = new(2026, 6, 1) });

        var supervisor = await app.SupervisorOf(place.CountyId);
        var first = await supervisor.GetFromJsonAsync<Paged<NegativeDepartment>>("/api/board/negative-list", TrackerApp.Json);
        var second = await supervisor.GetFromJsonAsync<Paged<NegativeDepartment>>("/api/board/negative-list?page=2", TrackerApp.Json);

        Assert.Equal(ReadNegativeList.DepartmentsPerPage, first!.Items.Count);
        Assert.True(first.HasMore);
        Assert.Single(second!.Items);
        Assert.False(second.HasMore);
        Assert.Equal(departments.Order(), first.Items.Concat(second.Items).Select(d => d.Id).Order());
    }
}
