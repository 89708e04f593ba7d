using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Lists;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>Saved filters (<see cref="SaveFilter"/>, <see cref="DeleteFilter"/>, <see cref="ReadSavedFilters"/>) through <c>/api/saved-filters</c>.</summary>
public sealed class SavedFilterTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task A_supervisor_saves_the_boards_filter_sees_it_as_a_link_and_deletes_it_and_nobody_else_sees_or_deletes_it()
    {
        var place = await app.NewPlaceAsync();
        var supervisor = await app.SupervisorOf(place.CountyId);
        var other = await app.SupervisorOf(place.CityId);

        var created = await supervisor.PostAsJsonAsync("/api/saved-filters", new SavedFilterInput("board", "  住建局逾期  ", $"DepartmentId={place.CountyDepartmentId}&Kind=Livelihood&Year=&Extended=true"), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var saved = await app.ReadAsync<SavedFilterDto>(created);
        Assert.Equal("住建局逾期", saved.Name);
        Assert.Equal($"DepartmentId={place.CountyDepartmentId}&Kind=Livelihood&Extended=true", saved.Query);   // empty values dropped
        Assert.Equal($"/supervisor?{saved.Query}", saved.Url);

        var mine = await supervisor.GetFromJsonAsync<List<SavedFilterDto>>("/api/saved-filters?list=board", TrackerApp.Json);
        Assert.Equal([saved.Id], mine!.Select(f => f.Id));
        Assert.Empty((await other.GetFromJsonAsync<List<SavedFilterDto>>("/api/saved-filters?list=board", TrackerApp.Json))!);
        Assert.Empty((await supervisor.GetFromJsonAsync<List<SavedFilterDto>>("/api/saved-filters?list=official", TrackerApp.Json))!);

        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/saved-filters/{saved.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await supervisor.DeleteAsync($"/api/saved-filters/{saved.Id}")).StatusCode);
        Assert.Empty((await supervisor.GetFromJsonAsync<List<SavedFilterDto>>("/api/saved-filters?list=board", TrackerApp.Json))!);
        Assert.Equal(HttpStatusCode.NotFound, (await supervisor.DeleteAsync($"/api/saved-filters/{saved.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_filter_without_a_name_with_a_key_that_is_no_filter_or_under_a_name_taken_is_refused_by_field_and_nothing_is_saved()
    {
        var supervisor = await app.SupervisorOf((await app.NewPlaceAsync()).CountyId);
        async Task<Dictionary<string, string[]>> RefusedAsync(SavedFilterInput input)
        {
            var response = await supervisor.PostAsJsonAsync("/api/saved-filters", input, TrackerApp.Json);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
        }

        Assert.Contains("Name", (await RefusedAsync(new("board", "", "Kind=Livelihood"))).Keys);
        Assert.Contains("Name", (await RefusedAsync(new("board", "   ", "Kind=Livelihood"))).Keys);
        Assert.Contains("Name", (await RefusedAsync(new("board", new string('长', 41), "Kind=Livelihood"))).Keys);
        Assert.Contains("Query", (await RefusedAsync(new("board", "翻页", "Kind=Livelihood&p=3"))).Keys);
        Assert.Contains("Query", (await RefusedAsync(new("board", "别的", "Show=Overdue"))).Keys);   // the official list's key, not the board's
        Assert.Contains("List", (await RefusedAsync(new("notices", "督办单", ""))).Keys);
        Assert.Empty((await supervisor.GetFromJsonAsync<List<SavedFilterDto>>("/api/saved-filters?list=board", TrackerApp.Json))!);

        (await supervisor.PostAsJsonAsync("/api/saved-filters", new SavedFilterInput("board", "民生", "Kind=Livelihood"), TrackerApp.Json)).EnsureSuccessStatusCode();
        Assert.Contains("Name", (await RefusedAsync(new("board", "民生", "Year=2026"))).Keys);
        Assert.Single((await supervisor.GetFromJsonAsync<List<SavedFilterDto>>("/api/saved-filters?list=board", TrackerApp.Json))!);
    }

    [Fact]
    public async Task A_person_keeps_at_most_twenty_saved_filters()
    {
        var supervisor = await app.SupervisorOf((await app.NewPlaceAsync()).CountyId);
        // Saved at once: the person's row is locked while each save counts, so no two pass at the limit together.
        var saves = await Task.WhenAll(Enumerable.Range(1, SaveFilter.Limit + 3).Select(n =>
            supervisor.PostAsJsonAsync("/api/saved-filters", new SavedFilterInput("board", $"筛选 {n}", $"Year={2000 + n}"), TrackerApp.Json)));

        Assert.Equal(SaveFilter.Limit, saves.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(saves.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Contains("saved-filter-limit", await saves.First(r => r.StatusCode == HttpStatusCode.Conflict).Content.ReadAsStringAsync());
        Assert.Equal(SaveFilter.Limit, (await supervisor.GetFromJsonAsync<List<SavedFilterDto>>("/api/saved-filters?list=board", TrackerApp.Json))!.Count);
    }

    [Fact]
    public async Task An_official_saves_their_lists_filter_but_not_the_boards()
    {
        var official = await app.OfficialOf((await app.NewPlaceAsync()).CountyDepartmentId);
        Assert.Equal(HttpStatusCode.Forbidden, (await official.PostAsJsonAsync("/api/saved-filters", new SavedFilterInput("board", "看板", "Kind=Livelihood"), TrackerApp.Json)).StatusCode);
        var saved = await official.PostAsJsonAsync("/api/saved-filters", new SavedFilterInput("official", "逾期的", "Show=Overdue&Role=Lead"), TrackerApp.Json);
        Assert.Equal("/official?Show=Overdue&Role=Lead", (await app.ReadAsync<SavedFilterDto>(saved.EnsureSuccessStatusCode())).Url);
        var deputy = await app.ClientAsync(Roles.Deputy, jurisdictionId: (await app.NewPlaceAsync()).CityId);
        Assert.Equal(HttpStatusCode.Forbidden, (await deputy.PostAsJsonAsync("/api/saved-filters", new SavedFilterInput("official", "逾期的", "Show=Overdue"), TrackerApp.Json)).StatusCode);
    }
}
