using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Programmes;
using Tracker.Web.Features.Progress;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>
/// Issue 16: key projects' monthly investment and the S-curve, item trees rolled up over what a reader may read, and the
/// ranking of jurisdictions. Its own app: the clock walks from June into July.
/// </summary>
public sealed class KeyProjectTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    private const decimal Yi = 100_000_000m;

    private static KeyProjectInput Facts(decimal planned) =>
        new(KeyProjectLevel.Municipal, ConstructionType.NewStart, "新材料", true, "唐山某新材料有限公司", 10 * Yi, planned, new DateOnly(2027, 6, 30));

    [Fact]
    public async Task Investment_reported_monthly_moves_the_s_curve_a_later_report_of_the_month_corrects_it_and_over_fulfilment_shows_as_it_is()
    {
        var place = await app.NewPlaceAsync();
        var supervisor = await app.SupervisorOf(place.CountyId);
        var official = await app.OfficialOf(place.CountyDepartmentId);
        // Planned from 2026-03-01 to 2026-12-20: 2亿 spread over ten months, 0.2亿 a month.
        var project = (await official.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "KP-INV") with
        {
            Kind = InitiativeKind.KeyProject,
            Deadline = new DateOnly(2026, 12, 20),
            KeyProject = Facts(2 * Yi),
        })).Detail;
        var plain = (await official.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "MS-INV"))).Detail;
        var programme = await supervisor.NewProgrammeAsync(place.CountyId, 2026, "INV", project.Id, plain.Id);

        // Only a key project with its facts takes investment: a field error, nothing written.
        var refused = await official.PostAsJsonAsync($"/api/initiatives/{plain.Id}/reports", Report(plain, 10, 0.5m * Yi), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("investment", await refused.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        await using (var db = app.Db())
            Assert.False(await db.ProgressReports.AnyAsync(r => r.InitiativeId == plain.Id));

        (await official.PostAsJsonAsync($"/api/initiatives/{project.Id}/reports", Report(project, 50, 0.5m * Yi), TrackerApp.Json)).EnsureSuccessStatusCode();
        var june = (await ReadAsync(supervisor, programme)).Investment[5];
        Assert.Equal((0.8m * Yi, 0.5m * Yi), (june.CumulativePlanned, june.CumulativeCompleted));

        // A second report of June corrects the month's figure; it does not add to it.
        (await official.PostAsJsonAsync($"/api/initiatives/{project.Id}/reports", Report(project, 60, 0.8m * Yi), TrackerApp.Json)).EnsureSuccessStatusCode();
        var corrected = await ReadAsync(supervisor, programme);
        Assert.Equal(0.8m * Yi, corrected.Investment[5].CumulativeCompleted);
        Assert.Equal((2 * Yi, 0.8m * Yi, 40.0m), (corrected.Figures.PlannedInvestment, corrected.Figures.CompletedInvestment, corrected.Figures.InvestmentRate));
        Assert.Equal(0.8m * Yi, corrected.Items.Single(i => i.Id == project.Id).CompletedInvestment);

        // July: 1.72亿 more, 2.52亿 of 2亿 — 126%, shown as it is.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 7, 20, 2, 0, 0, TimeSpan.Zero));
        (await official.PostAsJsonAsync($"/api/initiatives/{project.Id}/reports", Report(project, 80, 1.72m * Yi), TrackerApp.Json)).EnsureSuccessStatusCode();
        var july = await ReadAsync(supervisor, programme);
        Assert.Equal((0.8m * Yi, 2.52m * Yi), (july.Investment[5].CumulativeCompleted, july.Investment[6].CumulativeCompleted));
        Assert.Equal(1.0m * Yi, july.Investment[6].CumulativePlanned);
        Assert.Equal((2.52m * Yi, 126.0m), (july.Figures.CompletedInvestment, july.Figures.InvestmentRate));
        Assert.Equal(126.0m, july.Items.Single(i => i.Id == project.Id).InvestmentRate);

        // The report says what it carried.
        var reports = (await supervisor.GetFromJsonAsync<Tracker.Web.Infrastructure.Paged<ReportDto>>($"/api/initiatives/{project.Id}/reports", TrackerApp.Json))!;
        Assert.Equal([1.72m * Yi, 0.8m * Yi, 0.5m * Yi], reports.Items.Select(r => r.Investment!.Value));
    }

    [Fact]
    public async Task A_parents_roll_up_counts_only_the_parts_its_reader_may_read_and_says_how_many_it_leaves_out()
    {
        var place = await app.NewPlaceAsync();
        var supervisor = await app.SupervisorOf(place.CountyId);
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var parent = (await official.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "YE-00"))).Detail;
        // Two kindergartens: the county's (360 places, weight 360) and the township's (240 places), and a part of the first at depth 3.
        var county = (await official.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "YE-01") with { ParentId = parent.Id, Weight = 360 })).Detail;
        var yard = (await official.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "YE-01-1") with { ParentId = county.Id })).Detail;
        var township = (await app.CreateAsync(TestData.NewInitiative(place.TownshipId, place.TownshipDepartmentId, "YE-02"))).Detail;
        await using (var db = app.Db())
        {
            var row = await db.Initiatives.SingleAsync(i => i.Id == township.Id);
            row.ParentId = parent.Id;
            row.Weight = 240;
            await db.SaveChangesAsync();
        }
        await ReportAsync(official, yard, 114);                                      // the yard half done: its parent stands at 50%
        await ReportAsync(await app.OfficialOf(place.TownshipDepartmentId), township, 228);   // the township's done
        var programme = await supervisor.NewProgrammeAsync(place.CountyId, 2026, "YE", parent.Id);

        // The supervisor reads the whole tree: (360 × 0.5 + 240 × 1) / 600 = 70%.
        var whole = (await ReadAsync(supervisor, programme)).Items.Single().Parts!;
        Assert.Equal((0.7m, 3, 0, 0), (whole.Progress, whole.Descendants, whole.NotReported, whole.Hidden));

        // The county's official does not read the township's kindergarten: it is out of the figure, and counted as such.
        var mine = (await ReadAsync(official, programme)).Items.Single().Parts!;
        Assert.Equal((0.5m, 2, 1), (mine.Progress, mine.Descendants, mine.Hidden));
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        var reader = await app.NewUserAsync([Roles.Official], departmentId: place.CountyDepartmentId);
        (await browser.PostAsJsonAsync("/api/auth/login?useCookies=true", new { email = reader.Email, password = TrackerApp.Password }, TrackerApp.Json)).EnsureSuccessStatusCode();
        var page = await browser.GetStringAsync($"/programmes/{programme}");
        Assert.Contains("另有 1 个无权查看", page);
        Assert.DoesNotContain("YE-02", page);
    }

    [Fact]
    public async Task A_parent_must_be_readable_above_or_at_the_items_jurisdiction_and_never_one_of_its_own_parts()
    {
        var place = await app.NewPlaceAsync();
        var other = await app.NewPlaceAsync();
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var (parent, parentTag) = await official.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "TREE-P"));
        var (child, _) = await official.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "TREE-C") with { ParentId = parent.Id });
        var foreign = (await app.CreateAsync(TestData.NewInitiative(other.CountyId, other.CountyDepartmentId, "TREE-X"))).Detail;
        var township = (await app.CreateAsync(TestData.NewInitiative(place.TownshipId, place.TownshipDepartmentId, "TREE-T"))).Detail;

        async Task RefusedAsync(InitiativeInput input, string message)
        {
            var response = await official.PostAsJsonAsync("/api/initiatives", input, TrackerApp.Json);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("parentId", body, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(message, body);
        }
        await RefusedAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "TREE-1") with { ParentId = foreign.Id }, $"No item {foreign.Id}");
        await RefusedAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "TREE-2") with { ParentId = 999_999_999 }, "No item");
        // A county item cannot hang under a township's: a part lies in its parent's jurisdiction or below it.
        Assert.Equal(HttpStatusCode.BadRequest, (await official.PostAsJsonAsync("/api/initiatives",
            TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "TREE-3") with { ParentId = township.Id }, TrackerApp.Json)).StatusCode);

        // The parent made a part of its own part: refused, nothing changed.
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/initiatives/{parent.Id}")
        {
            Content = JsonContent.Create(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "TREE-P") with { ParentId = child.Id }, options: TrackerApp.Json),
        };
        put.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(parentTag));
        var cycle = await official.SendAsync(put);
        Assert.Equal(HttpStatusCode.BadRequest, cycle.StatusCode);
        Assert.Contains("part of itself", await cycle.Content.ReadAsStringAsync());
        await using var db = app.Db();
        Assert.Null((await db.Initiatives.SingleAsync(i => i.Id == parent.Id)).ParentId);
        Assert.Equal(parent.Id, (await db.Initiatives.SingleAsync(i => i.Id == child.Id)).ParentId);
    }

    [Fact]
    public async Task The_jurisdictions_under_one_are_ranked_on_progress_reds_start_and_investment()
    {
        var place = await app.NewPlaceAsync();
        int second, secondDepartment;
        await using (var db = app.Db())
        {
            var county = await db.Jurisdictions.SingleAsync(j => j.Id == place.CountyId);
            var town = new Jurisdiction { Code = $"town2-{county.Code}", Name = $"二镇 {county.Name}", Level = JurisdictionLevel.Township, ParentId = county.Id };
            db.Jurisdictions.Add(town);
            await db.SaveChangesAsync();
            town.Path = Jurisdiction.PathOf(county.Path, town.Id);
            var department = new Department { Code = $"dept-{town.Code}", Name = $"住建局 {town.Name}", JurisdictionId = town.Id };
            db.Departments.Add(department);
            await db.SaveChangesAsync();
            (second, secondDepartment) = (town.Id, department.Id);
        }
        // The first township's project has started, half done, 0.8亿 of 2亿 invested; the second's has not reported.
        var first = (await app.CreateAsync(TestData.NewInitiative(place.TownshipId, place.TownshipDepartmentId, "RK-1") with
        { Kind = InitiativeKind.KeyProject, KeyProject = Facts(2 * Yi) })).Detail;
        await app.CreateAsync(TestData.NewInitiative(second, secondDepartment, "RK-2") with { Kind = InitiativeKind.KeyProject, KeyProject = Facts(1 * Yi) });
        var official = await app.OfficialOf(place.TownshipDepartmentId);
        (await official.PostAsJsonAsync($"/api/initiatives/{first.Id}/reports", Report(first, 114, 0.8m * Yi, Phase.Started), TrackerApp.Json)).EnsureSuccessStatusCode();

        var supervisor = await app.SupervisorOf(place.CountyId);
        var dashboard = (await supervisor.GetFromJsonAsync<DashboardDetail>($"/api/jurisdictions/{place.CountyId}/dashboard?year=2026", TrackerApp.Json))!;
        Assert.Equal([(1, place.TownshipId), (2, second)], dashboard.Ranking.Select(r => (r.Rank, r.Unit.Id)));
        var (top, bottom) = (dashboard.Ranking[0].Unit, dashboard.Ranking[1].Unit);
        Assert.Equal((1, 0.5m, 100.0m, 40.0m), (top.Items, top.AverageProgress, top.StartRate, top.InvestmentRate));
        Assert.Equal((1, 0m, 0.0m, 0.0m), (bottom.Items, bottom.AverageProgress, bottom.StartRate, bottom.InvestmentRate));
        Assert.Equal((3 * Yi, 0.8m * Yi), (dashboard.Figures.PlannedInvestment, dashboard.Figures.CompletedInvestment));

        // The dashboard is its supervisors': another jurisdiction's finds nothing, an official is refused.
        var stranger = await app.SupervisorOf((await app.NewPlaceAsync()).CountyId);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/jurisdictions/{place.CountyId}/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await official.GetAsync($"/api/jurisdictions/{place.CountyId}/dashboard")).StatusCode);
    }

    private static ReportInput Report(InitiativeDetail item, decimal value, decimal? investment, Phase phase = Phase.Started) =>
        new(phase, "本月进展", null, null, [new ReportValueInput(item.Targets[0].Id, value)], null, investment);

    private static async Task ReportAsync(HttpClient official, InitiativeDetail item, decimal value) =>
        (await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/reports", Report(item, value, null), TrackerApp.Json)).EnsureSuccessStatusCode();

    private static async Task<ProgrammeDetail> ReadAsync(HttpClient client, int id) =>
        (await client.GetFromJsonAsync<ProgrammeDetail>($"/api/programmes/{id}", TrackerApp.Json))!;
}
