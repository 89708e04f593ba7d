using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Programmes;
using Tracker.Web.Features.Progress;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>Issue 16: programmes (专项/清单) and their roll-up over the items a reader may read.</summary>
public sealed class ProgrammeTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task A_programmes_figures_are_worked_out_over_its_items_and_a_reader_sees_only_what_they_may_read_and_how_much_is_hidden()
    {
        var place = await app.NewPlaceAsync();
        var other = await app.NewPlaceAsync();
        var supervisor = await app.SupervisorOf(place.CountyId);
        // A: started, half done (114 of 228). B: the township's, due to start since March, never reported.
        // C: done and in production. D: cancelled. All planned to start on 2026-03-01; today is 2026-06-15.
        var a = (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "KP-A") with { Kind = InitiativeKind.KeyProject })).Detail;
        var b = (await app.CreateAsync(TestData.NewInitiative(place.TownshipId, place.TownshipDepartmentId, "KP-B") with { Kind = InitiativeKind.KeyProject })).Detail;
        var c = (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "KP-C") with { Kind = InitiativeKind.KeyProject })).Detail;
        var d = (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "KP-D") with { Kind = InitiativeKind.KeyProject })).Detail;
        var foreign = (await app.CreateAsync(TestData.NewInitiative(other.CountyId, other.CountyDepartmentId, "KP-X"))).Detail;
        var lastYear = (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "KP-2025"))).Detail;
        var official = await app.OfficialOf(place.CountyDepartmentId);
        await ReportAsync(official, a, Phase.Started, 114);
        await ReportAsync(official, c, Phase.InOperation, 228);
        await using (var db = app.Db())
        {
            (await db.Initiatives.SingleAsync(i => i.Id == c.Id)).Status = InitiativeStatus.Completed;
            (await db.Initiatives.SingleAsync(i => i.Id == d.Id)).Status = InitiativeStatus.Cancelled;
            (await db.Initiatives.SingleAsync(i => i.Id == lastYear.Id)).Year = 2025;
            await db.SaveChangesAsync();
        }

        var created = await supervisor.PostAsJsonAsync("/api/programmes", new ProgrammeInput(place.CountyId, 2026, "ZDXM-2026", "2026年重点项目", null, null), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var programme = (await created.Content.ReadFromJsonAsync<ProgrammeDetail>(TrackerApp.Json))!;
        var refused = await supervisor.PutAsJsonAsync($"/api/programmes/{programme.Id}/items", new ProgrammeItemsInput([a.Id, foreign.Id], null), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(0, (await ReadAsync(supervisor, programme.Id)).Figures.Items);   // nothing written
        // Nor an item of another year: a programme is a year's list.
        var otherYear = await supervisor.PutAsJsonAsync($"/api/programmes/{programme.Id}/items", new ProgrammeItemsInput([a.Id, lastYear.Id], null), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.BadRequest, otherYear.StatusCode);
        Assert.Contains($"{lastYear.Id}", await otherYear.Content.ReadAsStringAsync());
        (await supervisor.PutAsJsonAsync($"/api/programmes/{programme.Id}/items", new ProgrammeItemsInput([a.Id, b.Id, c.Id, d.Id], null), TrackerApp.Json)).EnsureSuccessStatusCode();

        // The supervisor reads all four: D is cancelled and left out of every rate. Of A, B, C (all due to start),
        // A and C have started (66.7%), C is completed and in production (33.3% each), progress (0.5 + 0 + 1) / 3.
        var whole = (await ReadAsync(supervisor, programme.Id)).Figures;
        Assert.Equal((4, 1, 0), (whole.Items, whole.Cancelled, whole.Hidden));
        Assert.Equal((3, 2, 66.7m), (whole.DueToStart, whole.Started, whole.StartRate));
        Assert.Equal((33.3m, 33.3m, 0.5m, 1), (whole.CompletionRate, whole.ProductionRate, whole.AverageProgress, whole.NotReported));
        // Progress over the year: nothing before June's reports; at June's end (0.5 + 0 + 1) / 3, D left out.
        var trend = (await ReadAsync(supervisor, programme.Id)).Progress;
        Assert.Equal([0m, 0m, 0m, 0m, 0m, 0.5m], trend.Select(p => p.AverageProgress));

        // The county's official reads A, C and D, not the township's B: the figures cover those and say one is hidden.
        var mine = await ReadAsync(official, programme.Id);
        Assert.Equal((3, 1, 1), (mine.Figures.Items, mine.Figures.Cancelled, mine.Figures.Hidden));
        Assert.Equal((2, 2, 100.0m, 0.75m), (mine.Figures.DueToStart, mine.Figures.Started, mine.Figures.StartRate, mine.Figures.AverageProgress));
        Assert.DoesNotContain(mine.Items, i => i.Code == "KP-B");
        Assert.Equal(0.75m, mine.Progress[^1].AverageProgress);   // A and C only

        // A second programme of the same code and year is refused; only the jurisdiction's supervisors set them up.
        Assert.Equal(HttpStatusCode.Conflict, (await supervisor.PostAsJsonAsync("/api/programmes", new ProgrammeInput(place.CountyId, 2026, "ZDXM-2026", "重复", null, null), TrackerApp.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await official.PostAsJsonAsync("/api/programmes", new ProgrammeInput(place.CountyId, 2026, "X", "X", null, null), TrackerApp.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.SupervisorOf(other.CountyId)).PutAsJsonAsync($"/api/programmes/{programme.Id}/items",
            new ProgrammeItemsInput(null, [a.Id]), TrackerApp.Json)).StatusCode);
        var listed = (await supervisor.GetFromJsonAsync<List<ProgrammeSummary>>($"/api/programmes?jurisdictionId={place.CountyId}&year=2026", TrackerApp.Json))!;
        Assert.Equal(["ZDXM-2026"], listed.Select(p => p.Code));

        // Taken out, an item no longer counts.
        (await supervisor.PutAsJsonAsync($"/api/programmes/{programme.Id}/items", new ProgrammeItemsInput(null, [d.Id]), TrackerApp.Json)).EnsureSuccessStatusCode();
        Assert.Equal((3, 0), ((await ReadAsync(supervisor, programme.Id)).Figures.Items, (await ReadAsync(supervisor, programme.Id)).Figures.Cancelled));
    }

    private static async Task ReportAsync(HttpClient official, Features.Initiatives.InitiativeDetail item, Phase phase, decimal value) =>
        (await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/reports",
            new ReportInput(phase, "进展", null, null, [new ReportValueInput(item.Targets[0].Id, value)], null), TrackerApp.Json)).EnsureSuccessStatusCode();

    private static async Task<ProgrammeDetail> ReadAsync(HttpClient client, int id) =>
        (await client.GetFromJsonAsync<ProgrammeDetail>($"/api/programmes/{id}", TrackerApp.Json))!;
}
