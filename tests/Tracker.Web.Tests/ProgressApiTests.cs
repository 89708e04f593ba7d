using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

public sealed class ProgressApiTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    // The smallest valid PNG header is enough: files are recognised by their first bytes.
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3];

    [Fact]
    public async Task A_report_moves_the_figures_phase_and_health_and_starts_a_planned_item()
    {
        var item = await NewItemAsync();
        var target = item.Targets[0];

        var response = await PostJson(item.Id, Report(Phase.Started, new ReportValueInput(target.Id, 114)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var report = await app.ReadAsync<ReportDto>(response);
        Assert.Equal(app.Clock.GetUtcNow(), report.ReportedAt);   // server time, not the client's
        Assert.Equal(new DateOnly(2026, 6, 15), report.ReportedOn);
        Assert.Equal(0.5m, report.ProgressAfter);
        var detail = await Get(item.Id);
        Assert.Equal(InitiativeStatus.InProgress, detail.Status);
        Assert.Equal(Phase.Started, detail.Phase);
        Assert.Equal(114m, detail.Targets[0].CurrentValue);
        Assert.Equal(HealthColour.Green, detail.Health.Colour);
        Assert.False(detail.Health.NotReported);
        Assert.Equal(report.Id, detail.LatestReport!.Id);
    }

    [Fact]
    public async Task A_correction_is_a_new_report_and_history_stays()
    {
        var item = await NewItemAsync();
        var target = item.Targets[0].Id;
        await PostJson(item.Id, Report(Phase.Started, new ReportValueInput(target, 200)));
        app.Clock.Advance(TimeSpan.FromHours(1));
        await PostJson(item.Id, Report(Phase.Started, new ReportValueInput(target, 150)) with { Narrative = "更正：上次多报了50个" });

        var reports = await (await OfficialFor(item.Id)).GetFromJsonAsync<Paged<ReportDto>>($"/api/initiatives/{item.Id}/reports", TrackerApp.Json);
        Assert.Equal([150m, 200m], reports!.Items.Select(r => r.Values[0].Value));
        Assert.Equal(150m, (await Get(item.Id)).Targets[0].CurrentValue);
    }

    [Fact]
    public async Task A_report_with_a_photo_stores_it_and_serves_it_back_under_a_safe_name()
    {
        var item = await NewItemAsync();

        var response = await PostMultipart(item.Id, Report(Phase.Started, new ReportValueInput(item.Targets[0].Id, 10)),
            ("files", "../../etc/现场照片.png", "image/jpeg", Png));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var attachment = Assert.Single((await app.ReadAsync<ReportDto>(response)).Attachments);
        Assert.Equal("现场照片.png", attachment.FileName);
        Assert.Equal("image/png", attachment.ContentType);   // the bytes decide, not the claimed type

        var download = await (await OfficialFor(item.Id)).GetAsync(attachment.Url);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(Png, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_too_large_upload_is_413_and_writes_nothing()
    {
        var item = await NewItemAsync();
        var big = new byte[1024 * 1024 + 1];
        Png.CopyTo(big, 0);

        var response = await PostMultipart(item.Id, Report(Phase.Started, new ReportValueInput(item.Targets[0].Id, 10)),
            ("files", "big.png", "image/png", big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        await AssertNothingWritten(item.Id);
    }

    [Fact]
    public async Task A_file_that_is_not_a_photo_or_pdf_is_415_and_writes_nothing()
    {
        var item = await NewItemAsync();

        var response = await PostMultipart(item.Id, Report(Phase.Started),
            ("files", "photo.png", "image/png", Encoding.UTF8.GetBytes("<script>alert(1)</script>")));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await AssertNothingWritten(item.Id);
    }

    [Fact]
    public async Task Too_many_files_and_a_missing_report_part_are_field_errors()
    {
        var item = await NewItemAsync();
        var files = Enumerable.Range(0, 4).Select(n => ("files", $"p{n}.png", "image/png", Png)).ToArray();

        var tooMany = await PostMultipart(item.Id, Report(Phase.Started), files);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("files", (await app.ReadAsync<ValidationProblemDetails>(tooMany)).Errors.Keys);

        using var noReport = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        var missing = await (await OfficialFor(item.Id)).PostAsync($"/api/initiatives/{item.Id}/reports", noReport);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("report", (await app.ReadAsync<ValidationProblemDetails>(missing)).Errors.Keys);
        await AssertNothingWritten(item.Id);
    }

    [Fact]
    public async Task Invalid_reports_are_400_with_field_errors()
    {
        var item = await NewItemAsync();
        var response = await PostJson(item.Id, new ReportInput(null, "", null, null,
            [new ReportValueInput(item.Targets[0].Id, -1), new ReportValueInput(item.Targets[0].Id, 2)], null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await app.ReadAsync<ValidationProblemDetails>(response);
        Assert.Contains("Phase", problem.Errors.Keys);
        Assert.Contains("Narrative", problem.Errors.Keys);
        Assert.Contains("Values", problem.Errors.Keys);
        Assert.Contains("Values[0].Value", problem.Errors.Keys);
        await AssertNothingWritten(item.Id);
    }

    [Fact]
    public async Task Reports_are_refused_on_cancelled_items_and_for_foreign_targets_or_phases()
    {
        var item = await NewItemAsync();
        var other = await NewItemAsync();

        var foreignTarget = await PostJson(item.Id, Report(Phase.Started, new ReportValueInput(other.Targets[0].Id, 1)));
        var wrongPhase = await PostJson(item.Id, Report(Phase.Rectified));
        await (await OfficialFor(item.Id)).PostAsJsonAsync($"/api/initiatives/{item.Id}/status", new StatusChange(InitiativeStatus.Cancelled), TrackerApp.Json);
        var cancelled = await PostJson(item.Id, Report(Phase.Started));

        Assert.Equal(HttpStatusCode.Conflict, foreignTarget.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, wrongPhase.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, cancelled.StatusCode);
        Assert.Equal("no-progress", (await app.ReadAsync<ProblemDetails>(cancelled)).Extensions["code"]!.ToString());
        await AssertNothingWritten(item.Id);
    }

    [Fact]
    public async Task Reports_on_a_missing_item_and_unknown_attachments_are_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await PostJson(999_999_999, Report(Phase.Started))).StatusCode);
        var admin = await app.AdminClient();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/initiatives/999999999/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/attachments/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Concurrent_reports_on_one_item_are_all_kept_and_the_item_shows_the_last()
    {
        var item = await NewItemAsync();
        var target = item.Targets[0].Id;

        var responses = await Task.WhenAll(Enumerable.Range(1, 8)
            .Select(n => PostJson(item.Id, Report(Phase.Started, new ReportValueInput(target, n * 10)))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        await using var db = app.Db();
        var reports = await db.ProgressReports.Where(r => r.InitiativeId == item.Id).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(8, reports.Count);
        var lastId = reports[^1].Id;
        var lastValue = await db.ReportValues.Where(v => v.ReportId == lastId).Select(v => v.Value).SingleAsync();
        Assert.Equal(lastValue, (await Get(item.Id)).Targets[0].CurrentValue);
    }

    private async Task<InitiativeDetail> NewItemAsync()
    {
        var place = await app.NewPlaceAsync();
        return (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId))).Detail;
    }

    /// <summary>An official of the item's lead department (the one who reports on it), or an admin for a missing item.</summary>
    private async Task<HttpClient> OfficialFor(long id)
    {
        await using var db = app.Db();
        var department = await db.Initiatives.Where(i => i.Id == id).Select(i => (int?)i.LeadDepartmentId).SingleOrDefaultAsync();
        return department is null ? await app.AdminClient() : await app.OfficialOf(department.Value);
    }

    private static ReportInput Report(Phase phase, params ReportValueInput[] values) =>
        new(phase, "本周完成进场施工", "雨季影响工期", "加快进度", values, null);

    private async Task<HttpResponseMessage> PostJson(long id, ReportInput report) =>
        await (await OfficialFor(id)).PostAsJsonAsync($"/api/initiatives/{id}/reports", report, TrackerApp.Json);

    private async Task<HttpResponseMessage> PostMultipart(long id, ReportInput report, params (string Part, string Name, string Type, byte[] Data)[] files)
    {
        var content = new MultipartFormDataContent { { new StringContent(JsonSerializer.Serialize(report, TrackerApp.Json), Encoding.UTF8, "application/json"), "report" } };
        foreach (var (part, name, type, data) in files)
        {
            var file = new ByteArrayContent(data);
            file.Headers.ContentType = new MediaTypeHeaderValue(type);
            content.Add(file, part, name);
        }
        return await (await OfficialFor(id)).PostAsync($"/api/initiatives/{id}/reports", content);
    }

    private async Task<InitiativeDetail> Get(long id) =>
        (await (await OfficialFor(id)).GetFromJsonAsync<InitiativeDetail>($"/api/initiatives/{id}", TrackerApp.Json))!;

    private async Task AssertNothingWritten(long id)
    {
        await using var db = app.Db();
        Assert.False(await db.ProgressReports.AnyAsync(r => r.InitiativeId == id));
        var item = await db.Initiatives.Include(i => i.Targets).SingleAsync(i => i.Id == id);
        Assert.Null(item.LastReportedAt);
        Assert.All(item.Targets, t => Assert.Null(t.CurrentValue));
    }
}
