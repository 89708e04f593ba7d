using Microsoft.AspNetCore.Http.HttpResults;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Supervision;

/// <summary>
/// The supervisors' board, ranking and negative list, and supervision notices. Each endpoint calls the use case the
/// supervisors' pages call; the use case checks who may act, so the route groups' role requirement only adds to it.
/// </summary>
public static class SupervisionApi
{
    public static IEndpointRouteBuilder MapSupervisionApi(this IEndpointRouteBuilder app)
    {
        var board = app.MapGroup("/api/board").WithTags("Supervision")
            .RequireAuthorization(p => p.RequireRole(Roles.Supervisor, Roles.Admin))
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        board.MapGet("/", Board).ProducesValidationProblem();
        board.MapGet("/by-department", (int? jurisdictionId, ReadBoard read, CancellationToken ct) => Groups(jurisdictionId, true, read, ct));
        board.MapGet("/by-jurisdiction", (int? jurisdictionId, ReadBoard read, CancellationToken ct) => Groups(jurisdictionId, false, read, ct));
        board.MapGet("/ranking", Ranking).ProducesValidationProblem();
        board.MapGet("/negative-list", Negative);
        board.MapGet("/export", ExportBoard).ProducesValidationProblem();
        board.MapGet("/ranking/export", ExportRanking).ProducesValidationProblem();
        board.MapGet("/negative-list/export", ExportNegative);

        var notices = app.MapGroup("/api").WithTags("Supervision notices").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        notices.MapGet("/notices", Notices);
        notices.MapGet("/notices/{id:long}", Notice);
        notices.MapPost("/notices/{id:long}/answer", Answer).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        notices.MapPost("/notices/{id:long}/review", Review).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        notices.MapPost("/notices/{id:long}/close", Close).ProducesProblem(StatusCodes.Status409Conflict);
        notices.MapPost("/initiatives/{id:long}/notices", Raise).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Ok<Paged<BoardItem>>> Board([AsParameters] BoardQuery query, ReadBoard read, CancellationToken ct) =>
        TypedResults.Ok(await read.RunAsync(query, ct));

    private static async Task<Ok<List<BoardGroup>>> Groups(int? jurisdictionId, bool byDepartment, ReadBoard read, CancellationToken ct) =>
        TypedResults.Ok(await read.GroupsAsync(jurisdictionId, byDepartment, ct));

    private static readonly IReadOnlyList<SheetColumn> RankingColumns =
    [
        new("排名", []), new("责任单位", []), new("行政区划", []), new("事项数", []), new("已完成", []), new("应完成", []), new("按期完成", []),
        new("按期完成率（%）", []), new("平均进度（%）", []), new("严重滞后", []), new("逾期", []), new("延期次数", []),
    ];

    private static readonly IReadOnlyList<SheetColumn> NegativeColumns =
    [
        new("责任单位", []), new("行政区划", []), new("上榜事项数", []), new("编号", []), new("事项", []), new("原因", []), new("逾期天数", []),
        new("逾期未答复的代表跟踪事项", []),
    ];

    private static readonly IReadOnlyList<SheetColumn> BoardColumns =
    [
        new("编号", []), new("事项", []), new("类别", []), new("行政区划", []), new("责任单位", []), new("完成时限", [], Date: true), new("状况", []),
        new("进度（%）", []), new("逾期天数", []), new("未报送天数", []), new("督办级别", []), new("提醒原因", []), new("督办单", []),
        new("逾期未答复的代表跟踪事项", []), new("逾期台账问题", []),
    ];

    /// <summary>The board with its filters as a sheet, every page of it (pages of 100, as the board reads them), most overdue first.</summary>
    public static async Task<FileStreamHttpResult> ExportBoard([AsParameters] BoardQuery query, SheetFormat? format, ReadBoard read, OfficeClock clock, CancellationToken ct)
    {
        async IAsyncEnumerable<object?[]> Rows()
        {
            for (var page = 1; ; page++)
            {
                var items = await read.RunAsync(query with { Page = page, PageSize = 100 }, ct);
                foreach (var i in items.Items)
                    yield return
                    [
                        i.Code, i.Title, Labels.Of(i.Kind), i.Jurisdiction.Name, i.LeadDepartment.Name, i.Deadline, Labels.Of(i.Health.Colour),
                        Labels.Percent(i.Health.Progress), i.Health.DaysOverdue, i.Health.DaysSinceLastReport, i.EscalationLevel,
                        string.Join("；", i.OpenReasons.Select(Labels.Of)), i.OpenNoticeId is null ? "" : "有", i.OverdueFollowUps, i.OverdueLedgerRows,
                    ];
                if (!items.HasMore)
                    break;
            }
        }
        // Refused before the first byte: the board is a supervisor's.
        await read.RunAsync(query with { Page = 1, PageSize = 1 }, ct);
        var sheet = format ?? SheetFormat.Xlsx;
        var file = await Sheets.WriteAsync(sheet, BoardColumns, Rows(), ct);
        return TypedResults.File(file, Sheets.ContentType(sheet), $"督办看板-{clock.Today:yyyyMMdd}.{Sheets.Extension(sheet)}");
    }

    /// <summary>The ranking as a sheet (.xlsx by default, or .csv): the same rows as the page, percentages as numbers.</summary>
    public static async Task<FileStreamHttpResult> ExportRanking(int? year, SheetFormat? format, RankDepartments rank, OfficeClock clock, CancellationToken ct)
    {
        var rows = await rank.RunAsync(year, ct);
        var sheet = format ?? SheetFormat.Xlsx;
        var file = await Sheets.WriteAsync(sheet, RankingColumns, rows.Select(r => new object?[]
        {
            r.Rank, r.Department, r.Jurisdiction, r.Items, r.Completed, r.Due, r.OnTime, r.OnTimeRate is { } rate ? Labels.Percent(rate) : null,
            Labels.Percent(r.AverageProgress), r.Red, r.Overdue, r.Extensions,
        }).ToAsyncEnumerable(), ct);
        return TypedResults.File(file, Sheets.ContentType(sheet), $"部门排名-{year ?? clock.Today.Year}.{Sheets.Extension(sheet)}");
    }

    /// <summary>The negative list as a sheet: one row per listed item (at most 50 per department, as the page), every page of departments.</summary>
    public static async Task<FileStreamHttpResult> ExportNegative(SheetFormat? format, ReadNegativeList read, OfficeClock clock, CancellationToken ct)
    {
        async IAsyncEnumerable<object?[]> Rows()
        {
            for (var page = 1; ; page++)
            {
                var departments = await read.RunAsync(page, ct);
                foreach (var d in departments.Items)
                    foreach (var i in d.Items)
                        yield return [d.Name, d.Jurisdiction, d.ItemCount, i.Code, i.Title, string.Join("；", i.Reasons.Select(NegativeReasons.Text)), i.DaysOverdue, i.OverdueFollowUps];
                if (!departments.HasMore)
                    break;
            }
        }
        var sheet = format ?? SheetFormat.Xlsx;
        var file = await Sheets.WriteAsync(sheet, NegativeColumns, Rows(), ct);
        return TypedResults.File(file, Sheets.ContentType(sheet), $"负面清单-{clock.Today:yyyyMMdd}.{Sheets.Extension(sheet)}");
    }

    /// <summary>Lead departments ranked by on-time rate, then average progress, for a year (default: this year).</summary>
    public static async Task<Ok<List<RankingRow>>> Ranking(int? year, RankDepartments rank, CancellationToken ct) =>
        TypedResults.Ok(await rank.RunAsync(year, ct));

    /// <summary>The negative list (负面清单): see <see cref="ReadNegativeList"/> for the rule.</summary>
    public static async Task<Ok<Paged<NegativeDepartment>>> Negative(int? page, ReadNegativeList read, CancellationToken ct) =>
        TypedResults.Ok(await read.RunAsync(page, ct));

    public static async Task<Ok<Paged<NoticeDto>>> Notices([AsParameters] NoticeQuery query, ReadNotices read, CancellationToken ct) =>
        TypedResults.Ok(await read.ListAsync(query, ct));

    public static async Task<Ok<NoticeDto>> Notice(long id, ReadNotices read, CancellationToken ct) =>
        TypedResults.Ok(await read.GetAsync(id, ct));

    public static async Task<Ok<NoticeDto>> Answer(long id, NoticeAnswer answer, AnswerNotice op, CancellationToken ct) =>
        TypedResults.Ok(await op.RunAsync(id, answer, ct));

    public static async Task<Ok<NoticeDto>> Review(long id, NoticeReview review, ReviewNotice op, CancellationToken ct) =>
        TypedResults.Ok(await op.RunAsync(id, review, ct));

    public static async Task<Ok<NoticeDto>> Close(long id, NoticeAnswer comment, CloseNotice op, CancellationToken ct) =>
        TypedResults.Ok(await op.RunAsync(id, comment, ct));

    public static async Task<Created<NoticeDto>> Raise(long id, NoticeInput input, RaiseNotice op, CancellationToken ct)
    {
        var notice = await op.RunAsync(id, input, ct);
        return TypedResults.Created($"/api/notices/{notice.Id}", notice);
    }
}
