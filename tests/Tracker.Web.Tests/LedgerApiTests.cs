using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Ledgers;
using Tracker.Web.Features.Progress;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>Issue 14: a ledger's rows with their own department and verified closure, and the item's targets that count them.</summary>
public sealed class LedgerApiTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task A_row_is_rectified_by_its_department_verified_by_someone_else_and_a_returned_row_reopens_with_every_step_kept()
    {
        var place = await app.NewPlaceAsync();
        var lead = await app.OfficialOf(place.CountyDepartmentId);
        var supervisor = await app.SupervisorOf(place.CountyId);
        var item = (await lead.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with { Kind = InitiativeKind.Rectification })).Detail;
        var row = (await Read<LedgerRowDetail>(lead.PostAsJsonAsync($"/api/initiatives/{item.Id}/ledger/rows", Row("1", place.CountyDepartmentId), TrackerApp.Json))).Row;
        Assert.Equal((LedgerRowStatus.Open, new DateOnly(2026, 6, 25)), (row.Status, row.DueOn));

        // The supervisor cannot rectify; the department cannot verify its own row.
        Assert.Equal(HttpStatusCode.Forbidden, (await Step(supervisor, row.Id, LedgerStepAction.Rectified, "已整改")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Step(lead, row.Id, LedgerStepAction.Rectified, "更换灭火器12具")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Step(lead, row.Id, LedgerStepAction.Verified, "")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Step(supervisor, row.Id, LedgerStepAction.Verified, "现场复核合格")).StatusCode);

        // 回头看: the supervisor finds it not fixed and returns it; a return needs a reason.
        Assert.Equal(HttpStatusCode.BadRequest, (await Step(supervisor, row.Id, LedgerStepAction.Returned, "")).StatusCode);
        var returned = await Read<LedgerRowDetail>(Step(supervisor, row.Id, LedgerStepAction.Returned, "回头看：两具灭火器过期"));
        Assert.Equal((LedgerRowStatus.Open, (DateOnly?)null), (returned.Row.Status, returned.Row.ClosedOn));
        Assert.Equal([LedgerStepAction.Recorded, LedgerStepAction.Rectified, LedgerStepAction.Verified, LedgerStepAction.Returned],
            returned.Steps.Select(s => s.Action));
        Assert.Equal([LedgerStepAction.Started, LedgerStepAction.Rectified],
            (await Read<LedgerRowDetail>(lead.GetAsync($"/api/ledger-rows/{row.Id}"))).Allowed);

        // A step on a stale view is a 409 and changes nothing.
        var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/ledger-rows/{row.Id}/steps") { Content = JsonContent.Create(new LedgerStepInput(LedgerStepAction.Started, null), options: TrackerApp.Json) };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(row.ETag));
        Assert.Equal(HttpStatusCode.Conflict, (await lead.SendAsync(stale)).StatusCode);

        // The steps are history: the database refuses to change them.
        await using var db = app.Db();
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlAsync($"UPDATE ledger_steps SET note = 'x' WHERE row_id = {row.Id}"));
    }

    [Fact]
    public async Task Targets_linked_to_the_ledger_move_the_items_progress_and_colour_and_refuse_a_reported_figure()
    {
        var place = await app.NewPlaceAsync();
        var lead = await app.OfficialOf(place.CountyDepartmentId);
        var supervisor = await app.SupervisorOf(place.CountyId);
        var created = await lead.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with
        {
            Kind = InitiativeKind.Rectification,
            PlannedStart = new(2026, 5, 1),
            Deadline = new(2026, 7, 31),
            Targets = [new TargetInput(null, "销号隐患", "处", 0, 4, 1, LedgerCount.ClosedRows), new TargetInput(null, "未销号隐患", "处", 4, 0, 1, LedgerCount.OpenRows)],
        });
        var item = created.Detail;
        // The department reports on time (a figure-less report): the colour below is the ledger's doing, not silence.
        (await lead.PostAsJsonAsync($"/api/initiatives/{item.Id}/reports", new ReportInput(item.Phase, "开展隐患排查", null, null, null, null), TrackerApp.Json))
            .EnsureSuccessStatusCode();
        for (var n = 1; n <= 4; n++)
            (await lead.PostAsJsonAsync($"/api/initiatives/{item.Id}/ledger/rows", Row($"{n}", place.CountyDepartmentId), TrackerApp.Json)).EnsureSuccessStatusCode();
        var before = (await lead.GetFromJsonAsync<InitiativeDetail>($"/api/initiatives/{item.Id}", TrackerApp.Json))!;
        Assert.Equal((0m, 4m), (before.Targets[0].CurrentValue, before.Targets[1].CurrentValue));
        Assert.Equal(HealthColour.Red, before.Health.Colour);   // half-way through the plan, nothing closed

        var page = (await lead.GetFromJsonAsync<LedgerPage>($"/api/initiatives/{item.Id}/ledger", TrackerApp.Json))!;
        foreach (var row in page.Rows.Items.Take(3))
        {
            (await Step(lead, row.Id, LedgerStepAction.Rectified, "已整改")).EnsureSuccessStatusCode();
            (await Step(supervisor, row.Id, LedgerStepAction.Verified, "合格")).EnsureSuccessStatusCode();
        }

        var after = (await lead.GetFromJsonAsync<InitiativeDetail>($"/api/initiatives/{item.Id}", TrackerApp.Json))!;
        Assert.Equal((3m, 1m), (after.Targets[0].CurrentValue, after.Targets[1].CurrentValue));
        Assert.Equal(0.75m, after.Health.Progress);
        Assert.Equal(HealthColour.Green, after.Health.Colour);
        var counts = (await lead.GetFromJsonAsync<LedgerPage>($"/api/initiatives/{item.Id}/ledger", TrackerApp.Json))!.Counts;
        Assert.Equal((4, 1, 3), (counts.Rows, counts.Open, counts.Closed));

        var report = await lead.PostAsJsonAsync($"/api/initiatives/{item.Id}/reports",
            new ReportInput(item.Phase, "进展", null, null, [new ReportValueInput(item.Targets[0].Id, 4)], null), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.Conflict, report.StatusCode);
        Assert.Contains(ErrorCodes.TargetByLedger, await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static LedgerRowInput Row(string number, int department) => new(number, "消防器材过期", "城东农贸市场", null, LedgerSeverity.General, "督导检查",
        new DateOnly(2026, 6, 15), department, "王主任", null, "更换过期器材", RectificationMode.ByDeadline, new DateOnly(2026, 6, 25));

    private Task<HttpResponseMessage> Step(HttpClient client, long row, LedgerStepAction action, string note) =>
        client.PostAsJsonAsync($"/api/ledger-rows/{row}/steps", new LedgerStepInput(action, note), TrackerApp.Json);

    private async Task<T> Read<T>(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(TrackerApp.Json))!;
    }
}
