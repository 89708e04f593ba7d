using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

public sealed class InitiativesApiTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task Create_returns_the_item_with_location_etag_and_not_reported_targets()
    {
        var place = await app.NewPlaceAsync();
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var response = await official.PostAsJsonAsync("/api/initiatives", TestData.NewInitiative(place.CountyId, place.CountyDepartmentId), TrackerApp.Json);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        var created = await app.ReadAsync<InitiativeDetail>(response);
        Assert.Equal($"/api/initiatives/{created.Id}", response.Headers.Location!.AbsolutePath);
        Assert.Equal(InitiativeStatus.Planned, created.Status);
        Assert.Equal(Phase.Preparation, created.Phase);
        var target = Assert.Single(created.Targets);
        Assert.False(target.Reported);
        Assert.Null(target.CurrentValue);
        Assert.True(created.Health.NotReported);
        Assert.Equal(0.5m, created.Health.ExpectedProgress, 2);
    }

    [Fact]
    public async Task Invalid_input_is_a_400_problem_with_field_errors_and_writes_nothing()
    {
        var place = await app.NewPlaceAsync();
        var before = await app.CountAsync<Initiative>();
        var input = TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with
        {
            Title = "",
            Deadline = new DateOnly(2026, 1, 1),
            Targets = [new TargetInput(null, "改造小区", "", 5, 5, -1)],
            LeaderInCharge = new ContactDto("王", null, "call me", "not-an-email"),
        };

        var response = await (await app.OfficialOf(place.CountyDepartmentId)).PostAsJsonAsync("/api/initiatives", input, TrackerApp.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await app.ReadAsync<ValidationProblemDetails>(response);
        Assert.Contains("Title", problem.Errors.Keys);
        Assert.Contains("Deadline", problem.Errors.Keys);
        Assert.Contains("Targets[0].Unit", problem.Errors.Keys);
        Assert.Contains("Targets[0].Target", problem.Errors.Keys);
        Assert.Contains("Targets[0].Weight", problem.Errors.Keys);
        Assert.Contains("LeaderInCharge.Phone", problem.Errors.Keys);
        Assert.Contains("LeaderInCharge.Email", problem.Errors.Keys);
        Assert.Equal(before, await app.CountAsync<Initiative>());
    }

    [Fact]
    public async Task A_department_of_a_neighbouring_county_cannot_lead_an_item()
    {
        var place = await app.NewPlaceAsync();
        var other = await app.NewPlaceAsync();
        var response = await (await app.OfficialOf(other.CountyDepartmentId)).PostAsJsonAsync("/api/initiatives",
            TestData.NewInitiative(place.CountyId, other.CountyDepartmentId), TrackerApp.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await app.ReadAsync<ValidationProblemDetails>(response);
        Assert.Contains("LeadDepartmentId", problem.Errors.Keys);
    }

    [Fact]
    public async Task Malformed_json_and_wrong_media_type_are_problems_not_500s()
    {
        var client = await app.AdminClient();
        var malformed = await client.PostAsync("/api/initiatives", new StringContent("{ \"code\": ", null, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType!.MediaType);

        var badEnum = await client.PostAsync("/api/initiatives", new StringContent("{ \"kind\": \"Spaceship\" }", null, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, badEnum.StatusCode);

        var text = await client.PostAsync("/api/initiatives", new StringContent("hello", null, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal("application/problem+json", text.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_duplicate_code_in_the_same_jurisdiction_and_year_is_409()
    {
        var place = await app.NewPlaceAsync();
        await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "HS-MS-01"));
        var before = await app.CountAsync<Initiative>();

        var again = await (await app.OfficialOf(place.CountyDepartmentId)).PostAsJsonAsync("/api/initiatives",
            TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "HS-MS-01"), TrackerApp.Json);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(before, await app.CountAsync<Initiative>());
        // The same code in another jurisdiction is a different item.
        await app.CreateAsync(TestData.NewInitiative(place.TownshipId, place.TownshipDepartmentId, "HS-MS-01"));
    }

    [Fact]
    public async Task Unknown_item_is_a_404_problem()
    {
        var response = await (await app.AdminClient()).GetAsync("/api/initiatives/987654321");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Update_with_the_current_etag_succeeds_and_returns_a_new_etag()
    {
        var place = await app.NewPlaceAsync();
        var (created, etag) = await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId));
        var input = TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, created.Code) with
        {
            Title = "老旧小区改造（二期）",
            Targets = [new TargetInput(created.Targets[0].Id, "改造小区", "个", 0, 230, 2), new TargetInput(null, "加装电梯", "部", 0, 40, 1)],
        };

        var response = await Put(created.Id, input, etag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await app.ReadAsync<InitiativeDetail>(response);
        Assert.Equal("老旧小区改造（二期）", updated.Title);
        Assert.Equal(2, updated.Targets.Count);
        Assert.Equal(created.Targets[0].Id, updated.Targets[0].Id);
        Assert.NotEqual(etag, response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Update_without_if_match_is_428_and_with_a_stale_etag_is_409_and_changes_nothing()
    {
        var place = await app.NewPlaceAsync();
        var (created, etag) = await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId));
        var first = TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, created.Code) with { Title = "first edit" };
        Assert.Equal(HttpStatusCode.OK, (await Put(created.Id, first, etag)).StatusCode);

        var official = await app.OfficialOf(place.CountyDepartmentId);
        var noPrecondition = await official.PutAsJsonAsync($"/api/initiatives/{created.Id}", first with { Title = "no etag" }, TrackerApp.Json);
        var stale = await Put(created.Id, first with { Title = "stale edit" }, etag);

        Assert.Equal(HttpStatusCode.PreconditionRequired, noPrecondition.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType!.MediaType);
        var current = await official.GetFromJsonAsync<InitiativeDetail>($"/api/initiatives/{created.Id}", TrackerApp.Json);
        Assert.Equal("first edit", current!.Title);
    }

    [Fact]
    public async Task Two_concurrent_updates_with_the_same_etag_one_wins_one_gets_409()
    {
        var place = await app.NewPlaceAsync();
        var (created, etag) = await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId));
        var input = TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, created.Code);

        for (var round = 0; round < 5; round++)
        {
            var responses = await Task.WhenAll(
                Put(created.Id, input with { Title = $"A{round}" }, etag),
                Put(created.Id, input with { Title = $"B{round}" }, etag));

            var codes = responses.Select(r => r.StatusCode).OrderBy(c => c).ToArray();
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], codes);
            var winner = await app.ReadAsync<InitiativeDetail>(responses.Single(r => r.IsSuccessStatusCode));
            var stored = await (await app.OfficialOf(place.CountyDepartmentId)).GetFromJsonAsync<InitiativeDetail>($"/api/initiatives/{created.Id}", TrackerApp.Json);
            Assert.Equal(winner.Title, stored!.Title);
            etag = stored.ETag;
        }
    }

    [Fact]
    public async Task Status_transitions_are_checked()
    {
        var place = await app.NewPlaceAsync();
        var (created, _) = await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId));

        var official = await app.OfficialOf(place.CountyDepartmentId);
        var cancel = await official.PostAsJsonAsync($"/api/initiatives/{created.Id}/status", new StatusChange(InitiativeStatus.Cancelled), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(HealthColour.Grey, (await app.ReadAsync<InitiativeDetail>(cancel)).Health.Colour);

        var reopen = await official.PostAsJsonAsync($"/api/initiatives/{created.Id}/status", new StatusChange(InitiativeStatus.InProgress), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.Conflict, reopen.StatusCode);
        var problem = await app.ReadAsync<ProblemDetails>(reopen);
        Assert.Equal("status-transition", problem.Extensions["code"]!.ToString());
    }

    [Fact]
    public async Task List_filters_by_jurisdiction_with_its_descendants_and_by_department()
    {
        var place = await app.NewPlaceAsync();
        var (city, _) = await app.CreateAsync(TestData.NewInitiative(place.CityId, place.CityDepartmentId));
        var (county, _) = await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId));
        var (township, _) = await app.CreateAsync(TestData.NewInitiative(place.TownshipId, place.TownshipDepartmentId));
        var elsewhere = await app.NewPlaceAsync();
        await app.CreateAsync(TestData.NewInitiative(elsewhere.CountyId, elsewhere.CountyDepartmentId));

        Assert.Equal([city.Id, county.Id, township.Id], await Ids($"jurisdictionId={place.CityId}"));
        Assert.Equal([county.Id, township.Id], await Ids($"jurisdictionId={place.CountyId}"));
        Assert.Equal([township.Id], await Ids($"jurisdictionId={place.TownshipId}"));
        Assert.Equal([county.Id], await Ids($"jurisdictionId={place.CityId}&departmentId={place.CountyDepartmentId}"));
    }

    [Fact]
    public async Task List_filters_by_health_and_sorts_by_days_overdue()
    {
        var place = await app.NewPlaceAsync();
        var input = TestData.NewInitiative(place.CountyId, place.CountyDepartmentId);
        var (onTrack, _) = await app.CreateAsync(input with { Code = "ON-TRACK", PlannedStart = new DateOnly(2026, 6, 14) });
        var (overdueLong, _) = await app.CreateAsync(input with { Code = "LATE-1", PlannedStart = new DateOnly(2026, 1, 1), Deadline = new DateOnly(2026, 5, 1) });
        var (overdueShort, _) = await app.CreateAsync(input with { Code = "LATE-2", PlannedStart = new DateOnly(2026, 1, 1), Deadline = new DateOnly(2026, 6, 14) });
        var (dueToday, _) = await app.CreateAsync(input with { Code = "DUE-TODAY", PlannedStart = new DateOnly(2026, 6, 14), Deadline = new DateOnly(2026, 6, 15) });

        var scope = $"jurisdictionId={place.CountyId}";
        Assert.Equal([overdueLong.Id, overdueShort.Id], await Ids($"{scope}&overdue=true&sort=DaysOverdue"));
        // On its deadline day an untouched item is not overdue yet, but the straight line stands at 100%: red.
        Assert.Equal([overdueLong.Id, overdueShort.Id, dueToday.Id], await Ids($"{scope}&colour=Red&sort=DaysOverdue"));
        Assert.Equal([onTrack.Id], await Ids($"{scope}&colour=Green"));
        Assert.Equal([onTrack.Id, dueToday.Id], await Ids($"{scope}&overdue=false&sort=DeadlineDescending"));
        Assert.Equal([overdueLong.Id, overdueShort.Id, dueToday.Id, onTrack.Id], await Ids($"{scope}&sort=DaysOverdue"));

        var page = await (await app.AdminClient()).GetFromJsonAsync<Paged<InitiativeSummary>>($"/api/initiatives?{scope}&sort=DaysOverdue", TrackerApp.Json);
        Assert.Equal(45, page!.Items[0].Health.DaysOverdue);
        Assert.Equal(1, page.Items[1].Health.DaysOverdue);
        Assert.Equal(0, page.Items[2].Health.DaysOverdue);
    }

    [Fact]
    public async Task List_searches_code_and_title_and_pages_with_a_capped_size()
    {
        var place = await app.NewPlaceAsync();
        var input = TestData.NewInitiative(place.CountyId, place.CountyDepartmentId);
        for (var n = 1; n <= 5; n++)
            await app.CreateAsync(input with { Code = $"KG-{n}", Title = $"公办幼儿园 {n}_号" });
        await app.CreateAsync(input with { Code = "ROAD-1", Title = "雨污分流" });
        var scope = $"jurisdictionId={place.CountyId}";

        Assert.Equal(5, (await Ids($"{scope}&q=幼儿园")).Length);
        Assert.Single(await Ids($"{scope}&q=road"));
        Assert.Single(await Ids($"{scope}&q=3_"));   // '_' is matched literally, not as a wildcard
        var admin = await app.AdminClient();
        var first = await admin.GetFromJsonAsync<Paged<InitiativeSummary>>($"/api/initiatives?{scope}&q=KG&pageSize=2", TrackerApp.Json);
        var last = await admin.GetFromJsonAsync<Paged<InitiativeSummary>>($"/api/initiatives?{scope}&q=KG&pageSize=2&page=3", TrackerApp.Json);
        Assert.True(first!.HasMore);
        Assert.Equal(2, first.Items.Count);
        Assert.False(last!.HasMore);
        Assert.Single(last.Items);

        var tooBig = await admin.GetAsync($"/api/initiatives?pageSize={InitiativeQuery.MaxPageSize + 1}");
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.Contains("PageSize", (await app.ReadAsync<ValidationProblemDetails>(tooBig)).Errors.Keys);
    }

    private async Task<HttpResponseMessage> Put(long id, InitiativeInput input, string etag)
    {
        var official = await app.OfficialOf(input.LeadDepartmentId!.Value);
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/initiatives/{id}") { Content = JsonContent.Create(input, options: TrackerApp.Json) };
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        return await official.SendAsync(request);
    }

    private async Task<long[]> Ids(string query)
    {
        var page = await (await app.AdminClient()).GetFromJsonAsync<Paged<InitiativeSummary>>($"/api/initiatives?{query}", TrackerApp.Json);
        return [.. page!.Items.Select(i => i.Id)];
    }
}
