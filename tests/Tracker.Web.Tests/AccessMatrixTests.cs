using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Admin;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Ledgers;
using Tracker.Web.Features.Lists;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Features.Plans;
using Tracker.Web.Features.Progress;
using Tracker.Web.Features.Supervision;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>
/// A county A with a lead and a co-operating department, a neighbouring county B, and one person in
/// each role. The shared item is a published livelihood item of county A with a photo.
/// </summary>
public sealed class AccessWorld : TrackerApp, IAsyncLifetime
{
    public Place A { get; private set; } = null!;
    public Place B { get; private set; } = null!;
    public int CoopDepartmentId { get; private set; }
    public long ItemId { get; private set; }
    public Guid PhotoId { get; private set; }
    public string SomeUserId { get; private set; } = "";
    public long CandidateId { get; private set; }
    public string CountyDepartmentName { get; private set; } = "";

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        A = await this.NewPlaceAsync();
        B = await this.NewPlaceAsync();
        await using (var db = Db())
        {
            var coop = new Department { Code = $"coop-{Guid.NewGuid():N}", Name = "财政局", JurisdictionId = A.CountyId };
            db.Departments.Add(coop);
            await db.SaveChangesAsync();
            CoopDepartmentId = coop.Id;
            CountyDepartmentName = await db.Departments.Where(d => d.Id == A.CountyDepartmentId).Select(d => d.Name).SingleAsync();
        }
        ItemId = await NewItemAsync();
        var supervisor = await Client("supervisor");
        (await supervisor.PostAsJsonAsync($"/api/initiatives/{ItemId}/publication", new Publication(true), Json)).EnsureSuccessStatusCode();
        var photo = await (await Client("lead")).PostAsync($"/api/initiatives/{ItemId}/reports", MatrixRequests.ReportWithPhoto());
        photo.EnsureSuccessStatusCode();
        PhotoId = (await ReadAsync<ReportDto>(photo)).Attachments[0].Id;
        SomeUserId = (await NewUserAsync([Roles.Deputy], jurisdictionId: A.CityId)).Id;
        var candidate = await supervisor.PostAsJsonAsync("/api/candidates", new CandidateInput(A.CountyId, 2026, "候选", null, 1m, A.CountyDepartmentId, []), Json);
        CandidateId = (await ReadAsync<CandidateDto>(candidate.EnsureSuccessStatusCode())).Id;
    }

    public async Task<long> NewItemAsync()
    {
        var input = TestData.NewInitiative(A.CountyId, A.CountyDepartmentId) with { CoDepartmentIds = [CoopDepartmentId] };
        return (await (await Client("lead")).CreateAsync(input)).Detail.Id;
    }

    /// <summary>An item whose plan is fixed (published), so that its plan changes through requests.</summary>
    public async Task<long> NewFixedItemAsync()
    {
        var item = await NewItemAsync();
        (await (await Client("supervisor")).PostAsJsonAsync($"/api/initiatives/{item}/publication", new Publication(true), Json)).EnsureSuccessStatusCode();
        return item;
    }

    /// <summary>A pending change request of the lead department on an item of its own.</summary>
    public async Task<long> PendingChangeAsync()
    {
        var item = await NewFixedItemAsync();
        var asked = await (await Client("lead")).PostAsJsonAsync($"/api/initiatives/{item}/change-requests",
            new ChangeRequestInput("延期", null, new DateOnly(2026, 12, 31), null, null), Json);
        return (await ReadAsync<ChangeRequestDto>(asked.EnsureSuccessStatusCode())).Id;
    }

    /// <summary>A ledger row on the shared item, led by county A's department; rectified by it when asked, so that it awaits 销号.</summary>
    public async Task<long> NewLedgerRowAsync(bool rectified = false)
    {
        var lead = await Client("lead");
        var number = Guid.NewGuid().ToString("N")[..8];
        var created = await lead.PostAsJsonAsync($"/api/initiatives/{ItemId}/ledger/rows", new LedgerRowInput(number, "消防通道堵塞", "城东市场", null,
            LedgerSeverity.General, "自查", new DateOnly(2026, 6, 15), A.CountyDepartmentId, "王主任", null, "清理通道", RectificationMode.ByDeadline, new DateOnly(2026, 6, 30)), Json);
        var row = (await ReadAsync<LedgerRowDetail>(created.EnsureSuccessStatusCode())).Row.Id;
        if (rectified)
            (await lead.PostAsJsonAsync($"/api/ledger-rows/{row}/steps", new LedgerStepInput(LedgerStepAction.Rectified, "已清理"), Json)).EnsureSuccessStatusCode();
        return row;
    }

    public async Task<HttpClient> Client(string who) => who switch
    {
        "anonymous" => CreateClient(),
        "lead" => await OfficialOf(A.CountyDepartmentId),
        "coop" => await OfficialOf(CoopDepartmentId),
        "neighbour" => await OfficialOf(B.CountyDepartmentId),
        "deputy" => await DeputyOf(A.CityId),
        "supervisor" => await SupervisorOf(A.CountyId),
        "otherSupervisor" => await SupervisorOf(B.CountyId),
        "admin" => await AdminClient(),
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };

    /// <summary>Every row of every table, hashed: equal before and after means the request wrote nothing.</summary>
    public async Task<string> FingerprintAsync()
    {
        await using var db = Db();
        var tables = new[]
        {
            "jurisdictions", "departments", "initiatives", "initiative_co_department", "targets", "milestones", "progress_reports",
            "report_values", "attachments", "audit_log", "users", "user_roles", "proposals", "candidates", "congress_sessions",
            "deputy_groups", "reminders", "supervision_notices", "inbox_messages", "change_requests", "plan_versions",
            "ledger_rows", "ledger_steps", "ledger_categories", "dispatch_rounds", "dispatch_items", "dispatch_counts", "programmes", "programme_items", "saved_filters",
        };
        var sql = string.Join(" || ", tables.Select(t => $"(SELECT coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM {t} x)"));
        var query = "SELECT " + sql + " AS \"Value\"";  // table names are the constants above
        return await db.Database.SqlQueryRaw<string>(query).SingleAsync();
    }
}

public static class MatrixRequests
{
    public static readonly string[] People = ["anonymous", "lead", "coop", "neighbour", "deputy", "supervisor", "otherSupervisor", "admin"];

    /// <summary>Endpoint → the answer each person gets, in the order of <see cref="People"/>.</summary>
    public static readonly Dictionary<string, int[]> Expected = new()
    {
        //                                anon lead coop neigh dep  sup  oSup admin
        ["GET initiatives"] = [401, 200, 200, 200, 200, 200, 200, 200],
        ["GET initiative"] = [401, 200, 200, 404, 200, 200, 404, 200],
        ["POST initiative"] = [401, 201, 403, 403, 403, 403, 403, 403],
        ["PUT initiative"] = [401, 200, 403, 404, 403, 403, 404, 403],
        ["POST status"] = [401, 200, 403, 404, 403, 200, 404, 403],
        ["POST publication"] = [401, 403, 403, 404, 403, 200, 404, 403],
        ["POST report"] = [401, 201, 201, 404, 403, 403, 404, 403],
        ["GET reports"] = [401, 200, 200, 404, 200, 200, 404, 200],
        ["GET attachment"] = [401, 200, 200, 404, 200, 200, 404, 200],
        ["GET jurisdictions"] = [200, 200, 200, 200, 200, 200, 200, 200],
        ["GET departments"] = [200, 200, 200, 200, 200, 200, 200, 200],
        // The pickers, within county A: officials reach their department's jurisdiction, supervisors and deputies theirs and below.
        ["GET directory jurisdictions"] = [401, 200, 200, 404, 200, 200, 404, 200],
        ["GET directory departments"] = [401, 200, 200, 404, 200, 200, 404, 200],
        ["GET public jurisdictions"] = [200, 200, 200, 200, 200, 200, 200, 200],
        ["GET public initiatives"] = [200, 200, 200, 200, 200, 200, 200, 200],
        ["GET public initiative"] = [200, 200, 200, 200, 200, 200, 200, 200],
        ["GET public photo"] = [200, 200, 200, 200, 200, 200, 200, 200],
        ["GET me"] = [401, 200, 200, 200, 200, 200, 200, 200],
        ["GET audit"] = [401, 403, 403, 403, 403, 200, 200, 200],
        ["GET admin users"] = [401, 403, 403, 403, 403, 403, 403, 200],
        ["POST admin user"] = [401, 403, 403, 403, 403, 403, 403, 201],
        ["PUT admin user"] = [401, 403, 403, 403, 403, 403, 403, 200],
        ["POST admin department"] = [401, 403, 403, 403, 403, 403, 403, 201],
        ["POST admin jurisdiction"] = [401, 403, 403, 403, 403, 403, 403, 201],
        ["POST sweep"] = [401, 403, 403, 403, 403, 202, 202, 202],
        ["GET board"] = [401, 403, 403, 403, 403, 200, 200, 200],
        ["GET board by department"] = [401, 403, 403, 403, 403, 200, 200, 200],
        ["GET deliveries"] = [401, 403, 403, 403, 403, 403, 403, 200],
        ["GET ranking"] = [401, 403, 403, 403, 403, 200, 200, 200],
        ["GET negative list"] = [401, 403, 403, 403, 403, 200, 200, 200],
        ["POST notice"] = [401, 403, 403, 403, 403, 201, 404, 201],
        ["GET inbox"] = [401, 200, 200, 200, 200, 200, 200, 200],
        ["GET notices"] = [401, 200, 200, 200, 200, 200, 200, 200],
        ["GET follow-ups"] = [401, 200, 200, 200, 200, 200, 200, 200],
        ["POST public proposal"] = [201, 201, 201, 201, 201, 201, 201, 201],
        ["POST proposal"] = [401, 201, 201, 201, 201, 403, 403, 403],
        ["GET proposals"] = [401, 403, 403, 403, 403, 200, 200, 200],
        ["POST candidate"] = [401, 403, 403, 403, 403, 201, 403, 201],
        ["POST session"] = [401, 403, 403, 403, 403, 201, 403, 201],
        ["GET deputy home"] = [401, 403, 403, 403, 200, 403, 403, 403],
        ["GET evaluation summary"] = [401, 200, 200, 200, 200, 200, 200, 200],
        ["GET rollup"] = [401, 200, 200, 200, 200, 200, 200, 200],
        ["GET plan"] = [401, 200, 200, 404, 200, 200, 404, 200],
        ["POST change request"] = [401, 201, 403, 404, 403, 403, 404, 403],
        ["GET change requests"] = [401, 403, 403, 403, 403, 200, 200, 200],
        ["POST change decision"] = [401, 403, 403, 404, 403, 200, 404, 200],
        // Ledgers: the row's department rectifies, never verifies; supervisors and admins verify, never rectify.
        ["GET ledger"] = [401, 200, 200, 404, 200, 200, 404, 200],
        ["POST ledger row"] = [401, 201, 403, 404, 403, 201, 404, 201],
        ["GET ledger row"] = [401, 200, 200, 404, 200, 200, 404, 200],
        ["POST ledger rectified"] = [401, 200, 403, 404, 403, 403, 404, 403],
        ["POST ledger verified"] = [401, 403, 403, 404, 403, 200, 404, 200],
        ["GET ledger categories"] = [401, 200, 200, 200, 200, 200, 200, 200],
        ["PUT ledger categories"] = [401, 403, 403, 403, 403, 200, 403, 200],
        ["POST ledger import"] = [401, 200, 403, 404, 403, 200, 404, 200],
        ["GET ledger export"] = [401, 200, 200, 404, 200, 200, 404, 200],
        ["GET ledger worklist"] = [401, 200, 200, 200, 403, 200, 200, 200],
        ["GET initiatives export"] = [401, 200, 200, 200, 200, 200, 200, 200],
        ["GET ranking export"] = [401, 403, 403, 403, 403, 200, 200, 200],
        ["GET negative list export"] = [401, 403, 403, 403, 403, 200, 200, 200],
        ["GET board export"] = [401, 403, 403, 403, 403, 200, 200, 200],
        // Dispatch rounds of county A: set up and read by its supervisors and admins; to another county's supervisor it does not exist.
        ["POST dispatch round"] = [401, 403, 403, 403, 403, 201, 404, 201],
        ["GET dispatch rounds"] = [401, 403, 403, 403, 403, 200, 404, 200],
        ["GET my dispatch"] = [401, 200, 200, 200, 200, 200, 200, 200],
        // Programmes of county A: set up by its supervisors and admins; read by anyone signed in, over what each may read.
        ["POST programme"] = [401, 403, 403, 403, 403, 201, 404, 201],
        ["GET programmes"] = [401, 200, 200, 200, 200, 200, 200, 200],
        // County A's dashboard: its supervisors and admins; to another county's supervisor it does not exist.
        ["GET dashboard"] = [401, 403, 403, 403, 403, 200, 404, 200],
        // Any official imports items for their own department; no one else imports items.
        ["POST items import"] = [401, 200, 200, 200, 403, 403, 403, 403],
        // An item's trail: whoever reads the item (the whole trail, "GET audit", stays the supervisors' and admins').
        ["GET item audit"] = [401, 200, 200, 404, 200, 200, 404, 200],
        // The delivery log's retry: supervisors and admins, who are told there is no such delivery.
        ["POST delivery retry"] = [401, 403, 403, 403, 403, 403, 403, 404],
        // Saved filters: each person's own; the board's are saved by those who read the board.
        ["GET saved filters"] = [401, 200, 200, 200, 200, 200, 200, 200],
        ["POST saved filter"] = [401, 403, 403, 403, 403, 201, 201, 201],
    };

    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var (endpoint, codes) in Expected)
            for (var i = 0; i < People.Length; i++)
                data.Add(endpoint, People[i], codes[i]);
        return data;
    }

    public static MultipartFormDataContent ReportWithPhoto()
    {
        var report = new ReportInput(Phase.Started, "现场施工照片", null, null, null, null);
        var photo = new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]);
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return new MultipartFormDataContent
        {
            { new StringContent(JsonSerializer.Serialize(report, TrackerApp.Json), Encoding.UTF8, "application/json"), "report" },
            { photo, "files", "site.png" },
        };
    }
}

public sealed class AccessMatrixTests(AccessWorld world) : IClassFixture<AccessWorld>
{
    [Theory]
    [MemberData(nameof(MatrixRequests.Cases), MemberType = typeof(MatrixRequests))]
    public async Task Each_endpoint_answers_each_role_as_expected_and_a_refused_write_changes_nothing(string endpoint, string who, int expected)
    {
        var client = await world.Client(who);
        // Writes that may succeed get an item of their own, so that no case depends on another.
        var item = endpoint switch
        {
            "PUT initiative" or "POST status" or "POST publication" or "POST report" or "POST notice" => await world.NewItemAsync(),
            "POST change request" => await world.NewFixedItemAsync(),
            "POST change decision" => await world.PendingChangeAsync(),
            "GET ledger row" or "POST ledger rectified" => await world.NewLedgerRowAsync(),
            "POST ledger verified" => await world.NewLedgerRowAsync(rectified: true),
            _ => world.ItemId,
        };
        using var request = await RequestAsync(endpoint, item);
        var before = await world.FingerprintAsync();

        var response = await client.SendAsync(request);

        Assert.True(expected == (int)response.StatusCode,
            $"{endpoint} as {who}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (expected >= 400)
        {
            Assert.Equal(before, await world.FingerprintAsync());
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        else if (request.Method != HttpMethod.Get && expected != 202)   // 202: queued for a job, nothing written yet
        {
            Assert.NotEqual(before, await world.FingerprintAsync()); // the fingerprint does see writes
        }
    }

    private async Task<HttpRequestMessage> RequestAsync(string endpoint, long item)
    {
        var a = world.A;
        HttpRequestMessage Json(HttpMethod method, string url, object body) =>
            new(method, url) { Content = JsonContent.Create(body, body.GetType(), options: TrackerApp.Json) };
        var unique = Guid.NewGuid().ToString("N")[..8];
        switch (endpoint)
        {
            case "GET initiatives": return new(HttpMethod.Get, "/api/initiatives");
            case "GET initiative": return new(HttpMethod.Get, $"/api/initiatives/{item}");
            case "POST initiative": return Json(HttpMethod.Post, "/api/initiatives", TestData.NewInitiative(a.CountyId, a.CountyDepartmentId));
            case "PUT initiative":
                var put = Json(HttpMethod.Put, $"/api/initiatives/{item}", await CurrentInputAsync(item));
                put.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(await ETagAsync(item)));
                return put;
            case "POST status": return Json(HttpMethod.Post, $"/api/initiatives/{item}/status", new StatusChange(InitiativeStatus.Suspended));
            case "POST publication": return Json(HttpMethod.Post, $"/api/initiatives/{item}/publication", new Publication(true));
            case "POST report": return new(HttpMethod.Post, $"/api/initiatives/{item}/reports") { Content = MatrixRequests.ReportWithPhoto() };
            case "GET reports": return new(HttpMethod.Get, $"/api/initiatives/{item}/reports");
            case "GET attachment": return new(HttpMethod.Get, $"/api/attachments/{world.PhotoId}");
            case "GET jurisdictions": return new(HttpMethod.Get, "/api/jurisdictions");
            case "GET departments": return new(HttpMethod.Get, "/api/departments");
            case "GET directory jurisdictions": return new(HttpMethod.Get, $"/api/directory/jurisdictions?jurisdictionId={a.CountyId}&q=county");
            case "GET directory departments": return new(HttpMethod.Get, $"/api/directory/departments?jurisdictionId={a.CountyId}&q=住建");
            case "GET public jurisdictions": return new(HttpMethod.Get, $"/api/public/jurisdictions?jurisdictionId={a.CityId}&q=county");
            case "GET public initiatives": return new(HttpMethod.Get, "/api/public/initiatives");
            case "GET public initiative": return new(HttpMethod.Get, $"/api/public/initiatives/{item}");
            case "GET public photo": return new(HttpMethod.Get, $"/api/public/photos/{world.PhotoId}");
            case "GET me": return new(HttpMethod.Get, "/api/auth/me");
            case "GET audit": return new(HttpMethod.Get, "/api/audit");
            case "GET item audit": return new(HttpMethod.Get, $"/api/audit?initiativeId={item}");
            case "POST delivery retry": return new(HttpMethod.Post, "/api/deliveries/999999999/retry");
            case "GET saved filters": return new(HttpMethod.Get, "/api/saved-filters?list=board");
            case "POST saved filter": return Json(HttpMethod.Post, "/api/saved-filters", new SavedFilterInput("board", $"逾期 {unique}", "Kind=Livelihood&Extended=true"));
            case "GET admin users": return new(HttpMethod.Get, "/api/admin/users");
            case "POST admin user":
                return Json(HttpMethod.Post, "/api/admin/users",
                    new UserInput($"new-{unique}@test.local", "新用户", null, TrackerApp.Password, [Roles.Deputy], null, a.CityId, null));
            case "PUT admin user":
                return Json(HttpMethod.Put, $"/api/admin/users/{world.SomeUserId}",
                    new UserInput($"x-{unique}@test.local", $"代表 {unique}", "13800000000", null, [Roles.Deputy], null, a.CityId, null));
            case "POST admin department": return Json(HttpMethod.Post, "/api/admin/departments", new DepartmentInput($"D-{unique}", "新部门", a.CountyId));
            case "POST admin jurisdiction": return Json(HttpMethod.Post, "/api/admin/jurisdictions", new JurisdictionInput($"J-{unique}", "新街道", JurisdictionLevel.Township, a.CountyId));
            case "POST sweep": return new(HttpMethod.Post, "/api/reminders/sweep");
            case "GET board": return new(HttpMethod.Get, "/api/board");
            case "GET board by department": return new(HttpMethod.Get, "/api/board/by-department");
            case "GET deliveries": return new(HttpMethod.Get, "/api/deliveries");
            case "GET ranking": return new(HttpMethod.Get, "/api/board/ranking?year=2026");
            case "GET negative list": return new(HttpMethod.Get, "/api/board/negative-list");
            case "POST notice": return Json(HttpMethod.Post, $"/api/initiatives/{item}/notices", new NoticeInput("逾期未报", null));
            case "GET inbox": return new(HttpMethod.Get, "/api/inbox");
            case "GET notices": return new(HttpMethod.Get, "/api/notices");
            case "GET follow-ups": return new(HttpMethod.Get, "/api/follow-ups");
            case "POST public proposal": return Json(HttpMethod.Post, "/api/public/proposals", new ProposalInput(a.CountyId, 2026, $"建议 {unique}", null));
            case "POST proposal": return Json(HttpMethod.Post, "/api/proposals", new ProposalInput(a.CountyId, 2026, $"建议 {unique}", null));
            case "GET proposals": return new(HttpMethod.Get, "/api/proposals");
            case "POST candidate":
                return Json(HttpMethod.Post, "/api/candidates", new CandidateInput(a.CountyId, 2026, $"候选 {unique}", null, 1m, a.CountyDepartmentId, []));
            case "POST session":
                var now = world.Clock.GetUtcNow();
                return Json(HttpMethod.Post, "/api/sessions", new SessionInput(a.CountyId, 2026, $"会议 {unique}", now, now.AddHours(1), 1, null, null, [world.CandidateId]));
            case "GET deputy home": return new(HttpMethod.Get, "/api/deputies/me");
            case "GET evaluation summary": return new(HttpMethod.Get, "/api/evaluations/summary?year=2026");
            case "GET rollup": return new(HttpMethod.Get, $"/api/livelihood/rollup?jurisdictionId={a.CityId}&year=2026");
            case "GET plan": return new(HttpMethod.Get, $"/api/initiatives/{item}/plan");
            case "POST change request": return Json(HttpMethod.Post, $"/api/initiatives/{item}/change-requests", new ChangeRequestInput("延期", null, new DateOnly(2026, 12, 31), null, null));
            case "GET change requests": return new(HttpMethod.Get, "/api/change-requests");
            case "POST change decision": return Json(HttpMethod.Post, $"/api/change-requests/{item}/decision", new ChangeDecision(true, "同意"));
            case "GET ledger": return new(HttpMethod.Get, $"/api/initiatives/{item}/ledger?overdue=false");
            case "POST ledger row":
                return Json(HttpMethod.Post, $"/api/initiatives/{item}/ledger/rows", new LedgerRowInput($"M-{unique}", "燃气管道腐蚀", null, null, LedgerSeverity.Major, "督导检查",
                    new DateOnly(2026, 6, 15), a.CountyDepartmentId, null, null, null, RectificationMode.OnTheSpot, null));
            case "GET ledger row": return new(HttpMethod.Get, $"/api/ledger-rows/{item}");
            case "POST ledger rectified": return Json(HttpMethod.Post, $"/api/ledger-rows/{item}/steps", new LedgerStepInput(LedgerStepAction.Rectified, "已整改"));
            case "POST ledger verified": return Json(HttpMethod.Post, $"/api/ledger-rows/{item}/steps", new LedgerStepInput(LedgerStepAction.Verified, "复核合格"));
            case "POST ledger import":
                var sheet = new ByteArrayContent(Encoding.UTF8.GetBytes($"序号,隐患内容,隐患等级,发现日期,责任单位,整改方式\n{unique},占道经营,一般,2026-06-15,{world.CountyDepartmentName},立行立改"));
                return new(HttpMethod.Post, $"/api/initiatives/{item}/ledger/import") { Content = new MultipartFormDataContent { { sheet, "file", "ledger.csv" } } };
            case "GET board export": return new(HttpMethod.Get, "/api/board/export?format=Csv");
            case "POST items import":
                var items = new ByteArrayContent(Encoding.UTF8.GetBytes(
                    $"编号,项目名称,类别,包联领导,责任人,开工时间,完成时限,目标任务,单位,目标值\nIMP-{unique},口袋公园,民生实事,王副县长,李科长,2026-03-01,2026-10-31,建成公园,个,12"));
                return new(HttpMethod.Post, "/api/initiatives/import") { Content = new MultipartFormDataContent { { items, "file", "items.csv" } } };
            case "GET ranking export": return new(HttpMethod.Get, "/api/board/ranking/export?year=2026&format=Csv");
            case "GET negative list export": return new(HttpMethod.Get, "/api/board/negative-list/export");
            case "GET initiatives export": return new(HttpMethod.Get, "/api/initiatives/export?format=Csv");
            case "GET ledger worklist": return new(HttpMethod.Get, "/api/ledger-rows");
            case "GET ledger export": return new(HttpMethod.Get, $"/api/initiatives/{item}/ledger/export?format=Csv");
            case "GET ledger categories": return new(HttpMethod.Get, $"/api/jurisdictions/{a.CountyId}/ledger-categories");
            case "PUT ledger categories": return Json(HttpMethod.Put, $"/api/jurisdictions/{a.CountyId}/ledger-categories", new[] { "危化", "消防", "燃气" });
            case "POST dispatch round":
                return Json(HttpMethod.Post, "/api/dispatch-rounds", new Features.Dispatch.DispatchInput(a.CountyId, $"周调度 {unique}", null, null, null, false, null,
                    world.Clock.GetUtcNow().AddDays(4), true));
            case "GET dispatch rounds": return new(HttpMethod.Get, $"/api/dispatch-rounds?jurisdictionId={a.CountyId}");
            case "GET my dispatch": return new(HttpMethod.Get, "/api/me/dispatch");
            case "POST programme": return Json(HttpMethod.Post, "/api/programmes", new Features.Programmes.ProgrammeInput(a.CountyId, 2026, $"P-{unique}", "重点项目", null, null));
            case "GET programmes": return new(HttpMethod.Get, $"/api/programmes?jurisdictionId={a.CountyId}&year=2026");
            case "GET dashboard": return new(HttpMethod.Get, $"/api/jurisdictions/{a.CountyId}/dashboard");
            default: throw new ArgumentOutOfRangeException(nameof(endpoint));
        }
    }

    private async Task<string> ETagAsync(long item)
    {
        await using var db = world.Db();
        return ETags.Format(await db.Initiatives.Where(i => i.Id == item).Select(i => i.Version).SingleAsync());
    }

    private async Task<InitiativeInput> CurrentInputAsync(long item)
    {
        await using var db = world.Db();
        var code = await db.Initiatives.Where(i => i.Id == item).Select(i => i.Code).SingleAsync();
        return TestData.NewInitiative(world.A.CountyId, world.A.CountyDepartmentId, code) with
        {
            Title = "edited",
            CoDepartmentIds = [world.CoopDepartmentId],
        };
    }
}
