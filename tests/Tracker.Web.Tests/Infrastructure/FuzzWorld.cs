using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Admin;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Ledgers;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Features.Progress;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Features.Supervision;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>
/// The API matrix's <see cref="AccessWorld"/> made ready for the fuzz test: every id an operation can be given is
/// real (items of its own for the writes that change an item, an open and a closed voting session of the county and an
/// open one of the city with a candidate of its own, a supervision
/// notice, an inbox message, a follow-up request, a proposal and its receipt, a deputy group with the deputy in
/// it), one client per person that keeps no cookies and follows no redirects, a cheap
/// <see cref="TableFingerprint"/> and a <see cref="ServerErrorLog"/> on the host.
/// </summary>
public sealed class FuzzWorld : IAsyncLifetime, IFuzzTargets
{
    private readonly Dictionary<string, HttpClient> _clients = [];

    public AccessWorld World { get; } = new();
    public ServerErrorLog Errors { get; } = new();
    public TableFingerprint Fingerprint { get; private set; } = null!;

    public long ItemId => World.ItemId;
    public long EditItemId { get; private set; }
    public long StatusItemId { get; private set; }
    public long PublicationItemId { get; private set; }
    public long NeighbourItemId { get; private set; }
    public long OpenSessionId { get; private set; }
    public long ClosedSessionId { get; private set; }

    /// <summary>An open session of the city, whose deputy the fuzz's deputy is (a county session is not theirs to vote in).</summary>
    public long CitySessionId { get; private set; }

    public long CityCandidateId { get; private set; }
    public long NoticeId { get; private set; }
    public long InboxMessageId { get; private set; }
    public long FollowUpId { get; private set; }
    public long ProposalId { get; private set; }
    public long LedgerRowId { get; private set; }
    public long BulletinId { get; private set; }
    public long DispatchRoundId { get; private set; }
    public int ProgrammeId { get; private set; }
    public string ReceiptCode { get; private set; } = "";
    public string DeputyUserId { get; private set; } = "";
    public string LoginEmail { get; private set; } = "";
    public string RefreshToken { get; private set; } = "";
    public int TargetId { get; private set; }

    /// <summary>How long the setting up took: the test PostgreSQL, the database and the access world; then the rest.</summary>
    public (TimeSpan World, TimeSpan Ids) SetUp { get; private set; }
    public string EditItemCode { get; private set; } = "";

    private static readonly DateOnly Today = new(2026, 6, 15);

    /// <summary>A client of this person: bearer token, no cookies (a fuzzed cookie sign-in must not stick), no redirects.</summary>
    public HttpClient Client(string who) => _clients[who];

    public async Task InitializeAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await ((IAsyncLifetime)World).InitializeAsync();
        var world = clock.Elapsed;
        World.Services.GetRequiredService<ILoggerFactory>().AddProvider(Errors);
        var (a, b) = (World.A, World.B);

        foreach (var who in MatrixRequests.People)
        {
            var client = World.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            if (who != "anonymous")
                client.DefaultRequestHeaders.Authorization = (await World.Client(who)).DefaultRequestHeaders.Authorization;
            client.Timeout = TimeSpan.FromMinutes(2);
            _clients[who] = client;
        }
        var (lead, supervisor, deputy, admin) = (Client("lead"), Client("supervisor"), Client("deputy"), Client("admin"));

        DeputyUserId = (await Json(await deputy.GetAsync("/api/auth/me")))["id"]!.GetValue<string>();
        var leadEmail = (await Json(await lead.GetAsync("/api/auth/me")))["email"]!.GetValue<string>();

        EditItemId = await World.NewItemAsync();
        StatusItemId = await World.NewItemAsync();
        PublicationItemId = await World.NewItemAsync();
        NeighbourItemId = (await Client("neighbour").CreateAsync(TestData.NewInitiative(b.CountyId, b.CountyDepartmentId))).Detail.Id;

        var now = World.Clock.GetUtcNow();
        OpenSessionId = (await Json(await supervisor.PostAsJsonAsync("/api/sessions",
            new SessionInput(a.CountyId, 2026, "人代会", now, now.AddHours(1), 1, null, null, [World.CandidateId]), TrackerApp.Json)))["id"]!.GetValue<long>();
        ClosedSessionId = (await Json(await supervisor.PostAsJsonAsync("/api/sessions",
            new SessionInput(a.CountyId, 2026, "已闭幕", now.AddHours(-2), now.AddHours(-1), 1, null, null, [World.CandidateId]), TrackerApp.Json)))["id"]!.GetValue<long>();

        CityCandidateId = (await Json(await admin.PostAsJsonAsync("/api/candidates",
            new CandidateInput(a.CityId, 2026, "城市候选", null, 1m, a.CityDepartmentId, []), TrackerApp.Json)))["id"]!.GetValue<long>();
        CitySessionId = (await Json(await admin.PostAsJsonAsync("/api/sessions",
            new SessionInput(a.CityId, 2026, "市人代会", now, now.AddHours(1), 1, null, null, [CityCandidateId]), TrackerApp.Json)))["id"]!.GetValue<long>();

        await Json(await admin.PostAsJsonAsync("/api/groups", new GroupInput(a.CityId, "视察组", [DeputyUserId], [ItemId]), TrackerApp.Json));
        var inspection = await Json(await deputy.PostAsJsonAsync($"/api/initiatives/{ItemId}/inspections",
            new InspectionInput(InspectionKind.SiteVisit, Today, "现场查看", [new FollowUpInput("请补充照片", Today.AddDays(14))]), TrackerApp.Json));
        FollowUpId = inspection["followUps"]![0]!["id"]!.GetValue<long>();
        NoticeId = (await Json(await supervisor.PostAsJsonAsync($"/api/initiatives/{ItemId}/notices", new NoticeInput("逾期未报", null), TrackerApp.Json)))["id"]!.GetValue<long>();
        ReceiptCode = (await Json(await Client("anonymous").PostAsJsonAsync("/api/public/proposals",
            new ProposalInput(a.CountyId, 2026, "修缮道路", "村口道路破损"), TrackerApp.Json)))["receiptCode"]!.GetValue<string>();

        LedgerRowId = (await Json(await lead.PostAsJsonAsync($"/api/initiatives/{ItemId}/ledger/rows", LedgerRow("L-1"), TrackerApp.Json)))["row"]!["id"]!.GetValue<long>();
        BulletinId = (await Json(await supervisor.PostAsJsonAsync("/api/bulletins", new Features.Bulletins.SpecialBulletinInput(a.CountyId, "专项通报", "正文"), TrackerApp.Json)))["id"]!.GetValue<long>();
        await Json(await supervisor.PostAsJsonAsync($"/api/bulletins/{BulletinId}/publication", new Features.Bulletins.PublicationInput(true, null), TrackerApp.Json));
        DispatchRoundId = (await Json(await supervisor.PostAsJsonAsync("/api/dispatch-rounds", DispatchRound("周调度"), TrackerApp.Json)))["id"]!.GetValue<long>();
        ProgrammeId = (await Json(await supervisor.PostAsJsonAsync("/api/programmes",
            new Features.Programmes.ProgrammeInput(a.CountyId, 2026, "ZDXM", "重点项目", null, null), TrackerApp.Json)))["id"]!.GetValue<int>();

        LoginEmail = (await World.NewUserAsync([Roles.Deputy], jurisdictionId: a.CityId)).Email!;
        RefreshToken = (await Json(await World.LoginAsync(LoginEmail, TrackerApp.Password)))["refreshToken"]!.GetValue<string>();

        await using (var db = World.Db())
        {
            ProposalId = await db.Proposals.Where(p => p.ReceiptCode == ReceiptCode).Select(p => p.Id).SingleAsync();
            TargetId = await db.Targets.Where(t => t.InitiativeId == ItemId).Select(t => t.Id).FirstAsync();
            EditItemCode = await db.Initiatives.Where(i => i.Id == EditItemId).Select(i => i.Code).SingleAsync();
            var message = new InboxMessage
            {
                Period = Today,
                RecipientEmail = leadEmail.ToLowerInvariant(),
                RecipientName = "李科长",
                Subject = "催报提醒",
                Body = "请按时填报进展。",
                ItemCount = 1,
                CreatedAt = now,
            };
            db.Inbox.Add(message);
            await db.SaveChangesAsync();
            InboxMessageId = message.Id;
        }

        Fingerprint = await TableFingerprint.OpenAsync(World.ConnectionString);
        SetUp = (world, clock.Elapsed - world);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
            client.Dispose();
        if (Fingerprint is not null)
            await Fingerprint.DisposeAsync();
        await World.DisposeAsync();
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Setting up the fuzz world: {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private Features.Dispatch.DispatchInput DispatchRound(string title) =>
        new(World.A.CountyId, title, "本周进展", InitiativeKind.Livelihood, null, false, null, World.Clock.GetUtcNow().AddDays(4), true);

    // ----- IFuzzTargets: what a valid request of each operation carries -----

    public JsonNode? Example(string operation, string schema)
    {
        const string n = OpenApiFuzzer.Unique;
        var (a, now) = (World.A, World.Clock.GetUtcNow());
        object? example = schema switch
        {
            "InitiativeInput" when operation.StartsWith("PUT", StringComparison.Ordinal) =>
                TestData.NewInitiative(a.CountyId, a.CountyDepartmentId, EditItemCode) with { Title = $"改造 {n}", CoDepartmentIds = [World.CoopDepartmentId] },
            "InitiativeInput" => TestData.NewInitiative(a.CountyId, a.CountyDepartmentId, $"FZ-{n}") with { CoDepartmentIds = [World.CoopDepartmentId] },
            "StatusChange" => new StatusChange(InitiativeStatus.Suspended),
            "Publication" => new Publication(true),
            "ReportInput" => new ReportInput(Phase.Started, $"进展 {n}", "无", "继续施工", [new ReportValueInput(TargetId, 10)], []),
            "LoginRequest" => new LoginRequest(LoginEmail, TrackerApp.Password),
            "RefreshRequest" => new RefreshRequest(RefreshToken),
            "UserInput" when operation.StartsWith("PUT", StringComparison.Ordinal) =>
                new UserInput($"some-{n}@test.local", $"代表 {n}", "13800000000", null, [Roles.Deputy], null, a.CityId, null),
            "UserInput" => new UserInput($"fuzz-{n}@test.local", $"用户 {n}", "13800000000", TrackerApp.Password, [Roles.Deputy], null, a.CityId, null),
            "DepartmentInput" => new DepartmentInput($"FZ-D{n}", "模糊部门", a.CountyId),
            "JurisdictionInput" => new JurisdictionInput($"FZ-J{n}", "模糊街道", JurisdictionLevel.Township, a.CountyId),
            "ProposalInput" => new ProposalInput(a.CountyId, 2026, $"建议 {n}", "说明"),
            "Rejection" => new Rejection("与已有建议重复"),
            "CandidateInput" => new CandidateInput(a.CountyId, 2026, $"候选 {n}", "说明", 1000m, a.CountyDepartmentId, []),
            "SessionInput" => new SessionInput(a.CountyId, 2026, $"会议 {n}", now, now.AddHours(1), 1, BallotMode.ForAgainstAbstain, PassRule.MajorityOfDeputies, [World.CandidateId]),
            "BallotInput" => new BallotInput([new ChoiceInput(CityCandidateId, VoteChoice.For)]),
            "Adoption" => new Adoption([]),
            "GroupInput" => new GroupInput(a.CityId, $"小组 {n}", [DeputyUserId], [ItemId]),
            "InspectionInput" => new InspectionInput(InspectionKind.SiteVisit, Today, $"现场 {n}", [new FollowUpInput("请补充照片", Today.AddDays(14))]),
            "FollowUpAnswer" => new FollowUpAnswer("已整改"),
            "EvaluationInput" => new EvaluationInput(Rating.Satisfied, "满意"),
            "NoticeAnswer" => new NoticeAnswer("整改方案"),
            "NoticeReview" => new NoticeReview(true, "同意"),
            "NoticeInput" => new NoticeInput("逾期未报", Today.AddDays(7)),
            "LedgerRowInput" => LedgerRow($"L-{n}"),
            "LedgerStepInput" => new LedgerStepInput(LedgerStepAction.Rectified, "已整改"),
            "DispatchInput" => DispatchRound($"调度 {n}"),
            "ProgrammeInput" => new Features.Programmes.ProgrammeInput(a.CountyId, 2026, $"P-{n}", $"专项 {n}", null, null),
            "ProgrammeItemsInput" => new Features.Programmes.ProgrammeItemsInput([ItemId], null),
            _ => null,
        };
        return example is null ? null : JsonSerializer.SerializeToNode(example, example.GetType(), TrackerApp.Json);
    }

    private LedgerRowInput LedgerRow(string number) => new(number, "消防通道堵塞", "城东市场", null, LedgerSeverity.General, "自查", Today,
        World.A.CountyDepartmentId, "王主任", null, "清理通道", RectificationMode.ByDeadline, Today.AddDays(10));

    public IReadOnlyList<string> PathValues(string operation, string parameter)
    {
        var path = operation[(operation.IndexOf(' ') + 1)..];
        long[] ids = path switch
        {
            _ when path.StartsWith("/api/initiatives/{id}", StringComparison.Ordinal) => operation switch
            {
                "PUT /api/initiatives/{id}" => [EditItemId, ItemId],
                _ when path.EndsWith("/status", StringComparison.Ordinal) => [StatusItemId, NeighbourItemId],
                _ when path.EndsWith("/publication", StringComparison.Ordinal) => [PublicationItemId, NeighbourItemId],
                _ => [ItemId, NeighbourItemId],
            },
            _ when path.StartsWith("/api/public/initiatives/{id}", StringComparison.Ordinal) => [ItemId, NeighbourItemId],
            _ when path.StartsWith("/api/sessions/{id}", StringComparison.Ordinal) =>
                path.EndsWith("/result", StringComparison.Ordinal) || path.EndsWith("/adopt", StringComparison.Ordinal)
                    ? [ClosedSessionId, OpenSessionId] : [CitySessionId, OpenSessionId, ClosedSessionId],
            _ when path.StartsWith("/api/notices/{id}", StringComparison.Ordinal) => [NoticeId],
            _ when path.StartsWith("/api/inbox/{id}", StringComparison.Ordinal) => [InboxMessageId],
            _ when path.StartsWith("/api/follow-ups/{id}", StringComparison.Ordinal) => [FollowUpId],
            _ when path.StartsWith("/api/proposals/{id}", StringComparison.Ordinal) => [ProposalId],
            _ when path.StartsWith("/api/ledger-rows/{rowId}", StringComparison.Ordinal) => [LedgerRowId],
            _ when path.StartsWith("/api/bulletins/{id}", StringComparison.Ordinal) || path.StartsWith("/api/public/bulletins/{id}", StringComparison.Ordinal) => [BulletinId],
            _ when path.StartsWith("/api/jurisdictions/{jurisdictionId}", StringComparison.Ordinal) => [World.A.CountyId, World.B.CountyId],
            _ when path.StartsWith("/api/dispatch-rounds/{id}", StringComparison.Ordinal) => [DispatchRoundId],
            _ when path.StartsWith("/api/programmes/{id}", StringComparison.Ordinal) => [ProgrammeId],
            _ => [],
        };
        if (ids.Length > 0)
            return [.. ids.Select(i => i.ToString())];
        return parameter switch
        {
            "attachmentId" or "photoId" => [World.PhotoId.ToString()],
            "receipt" => [ReceiptCode, ReceiptCode.ToLowerInvariant()],
            "id" when path.StartsWith("/api/admin/users/", StringComparison.Ordinal) => [World.SomeUserId],
            _ => ["1"],
        };
    }

    public string? QueryValue(string operation, string parameter) => parameter.ToLowerInvariant() switch
    {
        "jurisdictionid" => World.A.CountyId.ToString(),
        "rootid" => World.A.CityId.ToString(),
        "departmentid" => World.A.CountyDepartmentId.ToString(),
        "initiativeid" => ItemId.ToString(),
        "year" => "2026",
        "page" => "1",
        "pagesize" => "20",
        "q" => "改造",
        "usecookies" => "false",
        "entitytype" => "Initiative",
        "entityid" => ItemId.ToString(),
        "userid" => World.SomeUserId,
        "from" => "2026-01-01T00:00:00Z",
        "to" => "2026-12-31T00:00:00Z",
        "unreadonly" or "overdue" or "open" or "silent" or "includedescendants" => "true",
        _ => null,
    };
}
