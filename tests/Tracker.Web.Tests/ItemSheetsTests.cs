using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>Issue 14: items with their targets in and out as sheets; the board as a sheet.</summary>
public sealed class ItemSheetsTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Theory]
    [InlineData(SheetFormat.Xlsx)]
    [InlineData(SheetFormat.Csv)]
    public async Task An_items_export_imported_again_changes_nothing(SheetFormat format)
    {
        var (place, lead, names) = await PlaceAsync();
        var first = await lead.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with
        {
            CoDepartmentIds = [place.CityDepartmentId],
            Targets = [new TargetInput(null, "改造小区", "个", 0, 228, 2), new TargetInput(null, "加装电梯", "部", 10, 40.5m, 1)],
        });
        await lead.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with { Budget = null, Description = "" });
        // Reported on: its plan is fixed, and an unchanged row of it is still welcome.
        (await lead.PostAsJsonAsync($"/api/initiatives/{first.Detail.Id}/reports",
            new ReportInput(Phase.Started, "进展顺利", null, null, [new ReportValueInput(first.Detail.Targets[0].Id, 100)], null), TrackerApp.Json)).EnsureSuccessStatusCode();
        var before = await SnapshotAsync(place.CountyId);

        var sheet = await lead.GetByteArrayAsync($"/api/initiatives/export?jurisdictionId={place.CountyId}&format={format}");
        var result = await app.ReadAsync<ItemImportResult>(await ImportAsync(lead, sheet, $"items.{Sheets.Extension(format)}"));

        Assert.Equal(new ItemImportResult(2, 0, 0, 2), result);
        Assert.Equal(before, await SnapshotAsync(place.CountyId));
        if (format == SheetFormat.Csv)
        {
            var lines = Encoding.UTF8.GetString(sheet).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(4, lines.Length);   // the header, a row per target
            Assert.StartsWith("编号,项目名称,年度,类别,行政区划,责任单位,配合单位,包联领导,责任人,联系电话", lines[0]);
            Assert.Contains($",{names.County},{names.Department},{names.CityDepartment},王副市长,李科长,13800000001,", lines[1]);
        }
    }

    [Fact]
    public async Task An_office_sheet_with_merged_cells_and_aliases_creates_items_and_again_creates_nothing_then_updates_a_target()
    {
        var (place, lead, names) = await PlaceAsync();
        string Sheet(string elevators) => string.Join("\r\n",
            "序号,项目编号,事项名称,类型,牵头单位,分管领导,项目负责人,计划开工时间,完成期限,任务指标,计量单位,目标数",
            $"1,GX-01,第九幼儿园,民生实事,{names.Department},张副县长,刘园长,2026/3/1,2026年12月31日,新增学位,个,360",
            $"2,GX-02,老旧小区改造,老旧小区改造,{names.Department},张副县长,陈科长,2026-04-01,2026-11-30,改造小区,个,\"1,200\"",
            $",,,,,,,,,加装电梯,部,{elevators}");
        var bytes = Sheets.Gb18030.GetBytes(Sheet("26"));

        var created = await app.ReadAsync<ItemImportResult>(await ImportAsync(lead, bytes, "重点项目.csv"));
        var again = await app.ReadAsync<ItemImportResult>(await ImportAsync(lead, bytes, "重点项目.csv"));
        var changed = await app.ReadAsync<ItemImportResult>(await ImportAsync(lead, Sheets.Gb18030.GetBytes(Sheet("30")), "重点项目.csv"));

        Assert.Equal(new ItemImportResult(2, 2, 0, 0), created);
        Assert.Equal(new ItemImportResult(2, 0, 0, 2), again);
        Assert.Equal(new ItemImportResult(2, 0, 1, 1), changed);
        await using var db = app.Db();
        var items = await db.Initiatives.Include(i => i.Targets).Where(i => i.JurisdictionId == place.CountyId).OrderBy(i => i.Code).ToListAsync();
        Assert.Equal(["GX-01", "GX-02"], items.Select(i => i.Code));
        Assert.Equal((InitiativeKind.Renovation, new DateOnly(2026, 4, 1), new DateOnly(2026, 11, 30), 2026, "张副县长", "陈科长"),
            (items[1].Kind, items[1].PlannedStart, items[1].Deadline, items[1].Year, items[1].LeaderInCharge.Name, items[1].ResponsiblePerson.Name));
        Assert.Equal([("改造小区", "个", 1200m), ("加装电梯", "部", 30m)], items[1].Targets.OrderBy(t => t.Id).Select(t => (t.Metric, t.Unit, t.TargetValue)));
        Assert.Equal((InitiativeStatus.Planned, place.CountyDepartmentId, ReportingInterval.Monthly), (items[0].Status, items[0].LeadDepartmentId, items[0].ReportingInterval));
    }

    [Fact]
    public async Task A_sheet_with_bad_cells_is_refused_whole_each_error_at_its_row_and_column()
    {
        var (place, lead, names) = await PlaceAsync();
        var fixedPlan = await lead.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, code: "FIX-1"));
        (await lead.PostAsJsonAsync($"/api/initiatives/{fixedPlan.Detail.Id}/reports",
            new ReportInput(Phase.Started, "开工", null, null, [new ReportValueInput(fixedPlan.Detail.Targets[0].Id, 10)], null), TrackerApp.Json)).EnsureSuccessStatusCode();
        var csv = string.Join("\r\n",
            "编号,项目名称,类别,责任单位,包联领导,责任人,开工时间,完成时限,目标任务,单位,目标值",
            $"NEW-1,口袋公园,民生实事,{names.Department},王副县长,李科长,2026-03-01,2026-10-31,建成公园,个,12",
            $"NEW-2,排水改造,市政工程,{names.Department},王副县长,李科长,2026-03-01,2026-10-31,改造管网,公里,8",   // no such kind
            $",,,,,,,,疏通管道,公里,很多",                                                                       // not a number, on NEW-2's second row
            $"NEW-3,道路修缮,重点项目,{names.CityDepartment},王副县长,李科长,2026-03-01,2026-10-31,修缮道路,条,26",  // another department's
            $"FIX-1,老旧小区改造,民生实事,{names.Department},,,2026-03-01,2026-12-31,改造小区,个,228");              // a fixed plan's deadline moved

        var response = await ImportAsync(lead, Encoding.UTF8.GetBytes(csv), "items.csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(["row 3: 类别", "row 4: 目标值", "row 5: 责任单位", "row 6: 完成时限"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        await using var db = app.Db();
        Assert.Equal(["FIX-1"], await db.Initiatives.Where(i => i.JurisdictionId == place.CountyId).Select(i => i.Code).ToListAsync());
        Assert.Equal(new DateOnly(2026, 9, 28), await db.Initiatives.Where(i => i.Id == fixedPlan.Detail.Id).Select(i => i.Deadline).SingleAsync());
    }

    [Fact]
    public async Task Only_an_official_imports_items()
    {
        var place = await app.NewPlaceAsync();
        var sheet = Encoding.UTF8.GetBytes("编号,项目名称,完成时限,目标任务,单位,目标值\r\nA-1,x,2026-10-01,y,个,1");
        Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(await app.SupervisorOf(place.CountyId), sheet, "a.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(await app.DeputyOf(place.CountyId), sheet, "a.csv")).StatusCode);
    }

    [Fact]
    public async Task The_board_exports_every_page_with_its_filters_for_supervisors_only()
    {
        var (place, lead, _) = await PlaceAsync();
        for (var n = 0; n < 3; n++)
            await lead.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with
            {
                Kind = n == 0 ? InitiativeKind.KeyProject : InitiativeKind.Livelihood,
                PlannedStart = new DateOnly(2026, 1, 1),
                Deadline = new DateOnly(2026, 6, 1 + n),
                Milestones = [],   // overdue on 2026-06-15
            });
        var supervisor = await app.SupervisorOf(place.CountyId);

        var all = Lines(await supervisor.GetByteArrayAsync($"/api/board/export?jurisdictionId={place.CountyId}&format=Csv"));
        var projects = Lines(await supervisor.GetByteArrayAsync($"/api/board/export?jurisdictionId={place.CountyId}&kind=KeyProject&format=Csv"));

        Assert.StartsWith("编号,事项,类别,行政区划,责任单位,完成时限,状况,进度（%）,逾期天数", all[0]);
        Assert.Equal(4, all.Length);
        Assert.Contains(",2026-06-01,", all[1]);   // most overdue first
        Assert.Equal(2, projects.Length);
        Assert.Equal(HttpStatusCode.Forbidden, (await lead.GetAsync($"/api/board/export?jurisdictionId={place.CountyId}")).StatusCode);
        var xlsx = await supervisor.GetAsync($"/api/board/export?jurisdictionId={place.CountyId}");
        Assert.Equal(Sheets.ContentType(SheetFormat.Xlsx), xlsx.Content.Headers.ContentType!.MediaType);
    }

    private static string[] Lines(byte[] csv) => Encoding.UTF8.GetString(csv).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    private sealed record Names(string County, string Department, string CityDepartment);

    private async Task<(Place Place, HttpClient Lead, Names Names)> PlaceAsync()
    {
        var place = await app.NewPlaceAsync();
        await using var db = app.Db();
        var names = await db.Departments.Where(d => d.Id == place.CountyDepartmentId || d.Id == place.CityDepartmentId).ToDictionaryAsync(d => d.Id, d => d.Name);
        var county = await db.Jurisdictions.Where(j => j.Id == place.CountyId).Select(j => j.Name).SingleAsync();
        return (place, await app.OfficialOf(place.CountyDepartmentId), new Names(county, names[place.CountyDepartmentId], names[place.CityDepartmentId]));
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, byte[] sheet, string name)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(sheet), "file", name } };
        return client.PostAsync("/api/initiatives/import", form);
    }

    /// <summary>The county's items, targets, milestones and co-departments as stored (row versions included), and its audit entries.</summary>
    private async Task<string> SnapshotAsync(int county)
    {
        await using var db = app.Db();
        var items = await db.Initiatives.AsNoTracking().Include(i => i.Targets).Include(i => i.Milestones).Include(i => i.CoDepartments)
            .Where(i => i.JurisdictionId == county).OrderBy(i => i.Id).ToListAsync();
        var ids = items.Select(i => (long?)i.Id).ToList();
        var audit = await db.AuditLog.CountAsync(a => ids.Contains(a.InitiativeId));
        return string.Join("\n", items.Select(i => string.Join("|", i.Code, i.Title, i.Description, i.Version, i.UpdatedAt, i.Budget, i.LeaderInCharge.Name,
            i.ResponsiblePerson.Phone, string.Join(",", i.CoDepartments.Select(c => c.DepartmentId)), i.Milestones.Count,
            string.Join(",", i.Targets.OrderBy(t => t.Id).Select(t => $"{t.Metric}:{t.Unit}:{t.Baseline}:{t.TargetValue}:{t.Weight}:{t.CurrentValue}")))))
            + $"\naudit {audit}";
    }
}
