using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Ledgers;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>Issue 14: ledgers in and out as .xlsx and .csv, all or nothing, by number, in UTF-8 or GB18030.</summary>
public sealed class LedgerSheetsTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    private const string Header = "序号,隐患内容,地点,行业领域,隐患等级,来源,发现日期,责任单位,责任人,整改措施,整改方式,整改时限";

    [Fact]
    public async Task A_sheet_with_3_bad_rows_among_500_is_refused_whole_with_exactly_those_3_errors()
    {
        var (item, lead, department) = await NewItemAsync();
        var lines = new List<string> { Header };
        for (var n = 1; n <= 500; n++)
        {
            var severity = n == 10 ? "特大" : "一般";
            var deadline = n == 100 ? "" : "2026-07-15";
            var unit = n == 400 ? "不存在的局" : department;
            lines.Add($"{n},第{n}处消防通道堵塞,城东市场{n}号,,{severity},自查,2026-06-10,{unit},王主任,清理,限期整改,{deadline}");
        }

        var response = await ImportAsync(lead, item, Encoding.UTF8.GetBytes(string.Join("\r\n", lines)), "ledger.csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(["row 101: 整改时限", "row 11: 隐患等级", "row 401: 责任单位"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        await using var db = app.Db();
        Assert.False(await db.LedgerRows.AnyAsync(r => r.InitiativeId == item));
    }

    [Fact]
    public async Task A_gb18030_csv_as_excel_saves_it_imports_and_a_second_import_creates_nothing()
    {
        var (item, lead, department) = await NewItemAsync();
        var csv = string.Join("\r\n", Header.Replace("隐患内容", "问题描述", StringComparison.Ordinal).Replace("整改时限", "完成时限（限期整改填写）", StringComparison.Ordinal),
            $"1,液化气钢瓶露天存放,幸福路12号,,较大,暗访,2026/6/1,{department},李站长,入库存放,立行立改,",
            $"2,自建房违规加层,建设街3号,,重大,群众举报,2026年6月2日,{department},赵所长,停工拆除,限期整改,2026-07-31");
        var bytes = Sheets.Gb18030.GetBytes(csv);
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(bytes));   // truly not UTF-8

        var first = await app.ReadAsync<LedgerImportResult>(await ImportAsync(lead, item, bytes, "台账.csv"));
        var again = await app.ReadAsync<LedgerImportResult>(await ImportAsync(lead, item, bytes, "台账.csv"));

        Assert.Equal(new LedgerImportResult(2, 2, 0, 0), first);
        Assert.Equal(new LedgerImportResult(2, 0, 0, 2), again);
        var page = (await lead.GetFromJsonAsync<LedgerPage>($"/api/initiatives/{item}/ledger", TrackerApp.Json))!;
        Assert.Equal(["液化气钢瓶露天存放", "自建房违规加层"], page.Rows.Items.Select(r => r.Finding));
        Assert.Equal((RectificationMode.OnTheSpot, new DateOnly(2026, 6, 1)), (page.Rows.Items[0].Mode, page.Rows.Items[0].DueOn));
        Assert.Equal((LedgerSeverity.Serious, (DateOnly?)new DateOnly(2026, 7, 31)), (page.Rows.Items[1].Severity, page.Rows.Items[1].Deadline));
    }

    [Theory]
    [InlineData(SheetFormat.Xlsx)]
    [InlineData(SheetFormat.Csv)]
    public async Task An_export_imported_again_changes_nothing(SheetFormat format)
    {
        var (item, lead, department) = await NewItemAsync();
        var supervisor = await app.SupervisorOf((await ItemJurisdictionAsync(item)));
        var csv = string.Join("\r\n", [Header, .. Enumerable.Range(1, 30).Select(n =>
            $"{n},问题{n},\"路段{n}, 东侧\",,{(n % 3 == 0 ? "较大" : "一般")},晨巡,2026-06-{1 + n % 10:00},{department},,\"措施{n}\n分两步\",{(n % 2 == 0 ? "立行立改" : "限期整改")},{(n % 2 == 0 ? "" : "2026-08-01")}")]);
        await app.ReadAsync<LedgerImportResult>(await ImportAsync(lead, item, Encoding.UTF8.GetBytes(csv), "a.csv"));
        // Some rows move on, so that the export carries every status.
        var rows = (await lead.GetFromJsonAsync<LedgerPage>($"/api/initiatives/{item}/ledger", TrackerApp.Json))!.Rows.Items;
        (await lead.PostAsJsonAsync($"/api/ledger-rows/{rows[0].Id}/steps", new LedgerStepInput(LedgerStepAction.Rectified, "已整改"), TrackerApp.Json)).EnsureSuccessStatusCode();
        (await supervisor.PostAsJsonAsync($"/api/ledger-rows/{rows[0].Id}/steps", new LedgerStepInput(LedgerStepAction.Verified, "合格"), TrackerApp.Json)).EnsureSuccessStatusCode();
        var before = await SnapshotAsync(item);

        var exported = await lead.GetAsync($"/api/initiatives/{item}/ledger/export?format={format}");
        Assert.Equal(HttpStatusCode.OK, exported.StatusCode);
        Assert.Equal(Sheets.ContentType(format).Split(';')[0], exported.Content.Headers.ContentType!.MediaType);
        var bytes = await exported.Content.ReadAsByteArrayAsync();
        var result = await app.ReadAsync<LedgerImportResult>(await ImportAsync(lead, item, bytes, format == SheetFormat.Xlsx ? "x.xlsx" : "x.csv"));

        Assert.Equal(new LedgerImportResult(30, 0, 0, 30), result);
        Assert.Equal(before, await SnapshotAsync(item));
        if (format == SheetFormat.Csv)
            Assert.True(bytes.AsSpan().StartsWith("\uFEFF序号"u8));
    }

    [Fact]
    public async Task The_items_list_exports_every_page_with_its_filters_as_csv()
    {
        var place = await app.NewPlaceAsync();
        var lead = await app.OfficialOf(place.CountyDepartmentId);
        for (var n = 0; n < 101; n++)
            await lead.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with { Kind = n == 0 ? InitiativeKind.KeyProject : InitiativeKind.Rectification });

        var all = await lead.GetByteArrayAsync($"/api/initiatives/export?format=Csv&jurisdictionId={place.CountyId}");
        var projects = await lead.GetByteArrayAsync($"/api/initiatives/export?format=Csv&jurisdictionId={place.CountyId}&kind=KeyProject");

        var lines = Encoding.UTF8.GetString(all).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("编号,项目名称,年度,类别,行政区划,责任单位", lines[0]);
        Assert.Equal(102, lines.Length);                     // the header and 101 items: two pages of the list
        Assert.Equal(2, Encoding.UTF8.GetString(projects).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(HttpStatusCode.OK, (await (await app.AdminClient()).GetAsync($"/api/initiatives/export?jurisdictionId={place.CountyId}")).StatusCode);

        var supervisor = await app.SupervisorOf(place.CountyId);
        var ranking = Encoding.UTF8.GetString(await supervisor.GetByteArrayAsync("/api/board/ranking/export?year=2026&format=Csv")).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("排名,责任单位,行政区划,事项数", ranking[0]);
        Assert.Contains(ranking, line => line.Contains(",101,", StringComparison.Ordinal));   // the county department's 101 items
    }

    private async Task<(long Item, HttpClient Lead, string Department)> NewItemAsync()
    {
        var place = await app.NewPlaceAsync();
        var lead = await app.OfficialOf(place.CountyDepartmentId);
        var item = (await lead.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with { Kind = InitiativeKind.Rectification })).Detail;
        await using var db = app.Db();
        return (item.Id, lead, await db.Departments.Where(d => d.Id == place.CountyDepartmentId).Select(d => d.Name).SingleAsync());
    }

    private async Task<int> ItemJurisdictionAsync(long item)
    {
        await using var db = app.Db();
        return await db.Initiatives.Where(i => i.Id == item).Select(i => i.JurisdictionId).SingleAsync();
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, long item, byte[] sheet, string name)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(sheet), "file", name } };
        return client.PostAsync($"/api/initiatives/{item}/ledger/import", form);
    }

    /// <summary>The ledger's rows and steps as stored, to compare before and after.</summary>
    private async Task<string> SnapshotAsync(long item)
    {
        await using var db = app.Db();
        var rows = await db.LedgerRows.AsNoTracking().Include(r => r.Steps).Where(r => r.InitiativeId == item).OrderBy(r => r.Id).ToListAsync();
        return string.Join("\n", rows.Select(r => string.Join("|", r.Number, r.Finding, r.Place, r.Category, r.Severity, r.Source, r.FoundOn, r.DepartmentId,
            r.ResponsiblePerson, r.FoundByDepartmentId, r.Measures, r.Mode, r.Deadline, r.Status, r.RectifiedOn, r.ClosedOn, r.Version, r.Steps.Count)));
    }
}
