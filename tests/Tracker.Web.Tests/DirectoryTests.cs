using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Directory;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>
/// The pickers' look-ups (<see cref="FindUnits"/>): a few departments or jurisdictions matching what was typed, within
/// what the viewer reaches — through the API the script asks, and on the pages without script.
/// </summary>
public sealed partial class DirectoryTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    private async Task<List<UnitOption>> FindAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<List<UnitOption>>(TrackerApp.Json))!;
    }

    private async Task<string> TagOfAsync(Place place)
    {
        await using var db = app.Db();
        var name = db.Jurisdictions.Single(j => j.Id == place.CityId).Name;
        return name["city ".Length..];
    }

    private async Task<List<Department>> DepartmentsAsync(int jurisdictionId, params string[] names)
    {
        await using var db = app.Db();
        var departments = names.Select(n => new Department { Code = $"d-{Guid.NewGuid():N}", Name = n, JurisdictionId = jurisdictionId }).ToList();
        db.Departments.AddRange(departments);
        await db.SaveChangesAsync();
        return departments;
    }

    [Fact]
    public async Task A_supervisor_finds_the_departments_of_their_city_by_part_of_the_name_and_none_of_the_neighbours()
    {
        var a = await app.NewPlaceAsync();
        var b = await app.NewPlaceAsync();
        var supervisor = await app.SupervisorOf(a.CityId);

        var found = await FindAsync(supervisor, "/api/directory/departments?q=住建局");

        Assert.Equal([a.CityDepartmentId, a.CountyDepartmentId, a.TownshipDepartmentId], found.Select(d => d.Id));  // higher levels first
        Assert.DoesNotContain(found, d => d.Id == b.CountyDepartmentId);
        var tag = await TagOfAsync(a);
        Assert.Equal($"county {tag}", found[1].Within);
        // Any case; within a jurisdiction and below.
        Assert.Equal([a.CountyDepartmentId], (await FindAsync(supervisor, $"/api/directory/departments?q=COUNTY {tag.ToUpperInvariant()}")).Select(d => d.Id));
        Assert.Equal([a.CountyDepartmentId, a.TownshipDepartmentId],
            (await FindAsync(supervisor, $"/api/directory/departments?jurisdictionId={a.CountyId}")).Select(d => d.Id));
        // Admins reach every department.
        Assert.Equal([b.CountyDepartmentId], (await FindAsync(await app.AdminClient(), $"/api/directory/departments?q=county {await TagOfAsync(b)}")).Select(d => d.Id));
    }

    [Fact]
    public async Task Jurisdictions_are_found_with_their_parent_and_the_public_finds_every_one()
    {
        var a = await app.NewPlaceAsync();
        var b = await app.NewPlaceAsync();
        var tag = await TagOfAsync(a);
        var deputy = await app.DeputyOf(a.CountyId);

        var below = await FindAsync(deputy, "/api/directory/jurisdictions");
        Assert.Equal([new UnitOption(a.CountyId, $"county {tag}", $"city {tag}"), new UnitOption(a.TownshipId, $"township {tag}", $"county {tag}")], below);
        Assert.Empty(await FindAsync(deputy, $"/api/directory/jurisdictions?q=city {tag}"));    // above the deputy's county
        Assert.Empty(await FindAsync(deputy, $"/api/directory/jurisdictions?q={await TagOfAsync(b)}"));

        var everyone = await FindAsync(app.CreateClient(), $"/api/public/jurisdictions?q={await TagOfAsync(b)}");
        Assert.Equal([b.CityId, b.CountyId, b.TownshipId], everyone.Select(j => j.Id));
        Assert.Null(everyone[0].Within);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/directory/jurisdictions")).StatusCode);
    }

    [Fact]
    public async Task Names_starting_with_the_text_come_first_at_most_the_limit_are_listed_and_the_text_is_taken_literally()
    {
        var a = await app.NewPlaceAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        await DepartmentsAsync(a.CityId, [.. Enumerable.Range(0, 24).Select(n => $"局 {tag} {n:D2}")]);
        var township = (await DepartmentsAsync(a.TownshipId, $"{tag} 街道办"))[0];
        var odd = (await DepartmentsAsync(a.CountyId, $"完成率 100%_{tag}"))[0];
        var supervisor = await app.SupervisorOf(a.CityId);

        var found = await FindAsync(supervisor, $"/api/directory/departments?q={tag}");

        Assert.Equal(FindUnits.DefaultLimit, found.Count);
        Assert.Equal(township.Id, found[0].Id);                                                   // starts with the text, though lowest
        Assert.Equal($"局 {tag} 00", found[1].Name);                                            // then the city's, by name
        Assert.Equal(26, (await FindAsync(supervisor, $"/api/directory/departments?q={tag}&limit=50")).Count);
        Assert.Equal([odd.Id], (await FindAsync(supervisor, $"/api/directory/departments?q={Uri.EscapeDataString("%_" + tag)}")).Select(d => d.Id));
        Assert.Empty(await FindAsync(supervisor, $"/api/directory/departments?q={Uri.EscapeDataString(tag + "%")}"));
    }

    [Theory]
    [InlineData("q=" + "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一", "Q")]
    [InlineData("limit=0", "Limit")]
    [InlineData("limit=51", "Limit")]
    public async Task Too_long_a_text_or_a_limit_outside_1_to_50_is_refused(string query, string field)
    {
        var supervisor = await app.SupervisorOf((await app.NewPlaceAsync()).CityId);
        foreach (var list in new[] { "departments", "jurisdictions" })
        {
            var response = await supervisor.GetAsync($"/api/directory/{list}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_jurisdiction_out_of_reach_is_not_found()
    {
        var a = await app.NewPlaceAsync();
        var b = await app.NewPlaceAsync();
        var supervisor = await app.SupervisorOf(a.CountyId);

        Assert.Equal(HttpStatusCode.NotFound, (await supervisor.GetAsync($"/api/directory/departments?jurisdictionId={b.CountyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await supervisor.GetAsync($"/api/directory/jurisdictions?jurisdictionId={a.CityId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await supervisor.GetAsync("/api/directory/departments?jurisdictionId=2147483647")).StatusCode);
    }

    [Fact]
    public async Task Without_script_the_board_lists_the_departments_matching_the_text_and_keeps_the_one_chosen()
    {
        var a = await app.NewPlaceAsync();
        var tag = await TagOfAsync(a);
        await DepartmentsAsync(a.CountyId, [.. Enumerable.Range(0, 30).Select(n => $"科室 {n:D2}")]);
        var page = await CookieClientAsync(await app.NewUserAsync([Roles.Supervisor], jurisdictionId: a.CityId));

        var all = Options(await page.GetStringAsync("/supervisor"), "DepartmentId");
        Assert.Equal(FindUnits.DefaultLimit + 1, all.Count);                                   // "all" and the first 20
        var narrowed = Options(await page.GetStringAsync($"/supervisor?DepartmentText=county {tag}&DepartmentId={a.CityDepartmentId}"), "DepartmentId");
        Assert.Equal(["", $"{a.CityDepartmentId}*", $"{a.CountyDepartmentId}"], narrowed.Select(o => o.Value + (o.Selected ? "*" : "")));
        Assert.Equal($"住建局 county {tag} · county {tag}", narrowed[2].Text);
        // Departments within the jurisdiction chosen; a department out of reach is not chosen.
        var b = await app.NewPlaceAsync();
        var within = Options(await page.GetStringAsync($"/supervisor?JurisdictionId={a.TownshipId}&DepartmentId={b.CityDepartmentId}"), "DepartmentId");
        Assert.Equal(["", $"{a.TownshipDepartmentId}"], within.Select(o => o.Value + (o.Selected ? "*" : "")));
        var places = Options(await page.GetStringAsync($"/supervisor?JurisdictionText=township {tag}"), "JurisdictionId");
        Assert.Equal(["", $"{a.TownshipId}"], places.Select(o => o.Value));
    }

    [Fact]
    public async Task Without_script_the_public_page_lists_the_jurisdictions_matching_the_text()
    {
        var a = await app.NewPlaceAsync();
        var tag = await TagOfAsync(a);

        var html = await app.CreateClient().GetStringAsync($"/public?JurisdictionId={a.CityId}&JurisdictionText=township {tag}");

        var options = Options(html, "JurisdictionId");
        Assert.Equal([$"{a.CityId}*", $"{a.TownshipId}"], options.Select(o => o.Value + (o.Selected ? "*" : "")));
        Assert.Contains("/js/picker.js", html);
    }

    private async Task<HttpClient> CookieClientAsync(TrackerUser user)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login?useCookies=true", new LoginRequest(user.Email, TrackerApp.Password), TrackerApp.Json)).EnsureSuccessStatusCode();
        return client;
    }

    private sealed record Option(string Value, string Text, bool Selected);

    private static List<Option> Options(string html, string select)
    {
        var body = Regex.Match(html, $"<select id=\"{select}\"[^>]*>(.*?)</select>", RegexOptions.Singleline);
        Assert.True(body.Success, $"No select {select} on the page.");
        return [.. OptionTag().Matches(body.Groups[1].Value).Select(m =>
            new Option(m.Groups["value"].Value, WebUtility.HtmlDecode(m.Groups["text"].Value).Trim(), m.Groups["selected"].Success))];
    }

    [GeneratedRegex("<option value=\"(?<value>[^\"]*)\"(?<selected> selected(=\"selected\")?)?[^>]*>(?<text>[^<]*)</option>")]
    private static partial Regex OptionTag();
}
