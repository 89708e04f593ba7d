using Microsoft.AspNetCore.Http.HttpResults;
using Tracker.Domain;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Bulletins;

/// <summary>Bulletins (通报): the archive, one bulletin, a special one issued by hand, a withdrawal, and which recurring ones a jurisdiction issues.</summary>
public static class BulletinsApi
{
    public static IEndpointRouteBuilder MapBulletinsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Bulletins").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/bulletins", List).ProducesValidationProblem();
        api.MapGet("/bulletins/{id:long}", One);
        api.MapGet("/bulletins/{id:long}/export", Export);
        api.MapPost("/bulletins", Special).ProducesValidationProblem();
        api.MapPost("/bulletins/{id:long}/withdraw", Withdraw).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/jurisdictions/{jurisdictionId:int}/bulletin-settings", Settings);
        api.MapPut("/jurisdictions/{jurisdictionId:int}/bulletin-settings", SetSettings).ProducesValidationProblem();
        api.MapPost("/bulletins/{id:long}/publication", Publish).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        var open = app.MapGroup("/api/public").WithTags("Public").AllowAnonymous();
        open.MapGet("/bulletins", PublicList);
        open.MapGet("/bulletins/{id:long}", PublicOne).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/jurisdictions/{jurisdictionId:int}/robots", Robots);
        api.MapPost("/jurisdictions/{jurisdictionId:int}/robots", AddRobot).ProducesValidationProblem();
        api.MapDelete("/jurisdictions/{jurisdictionId:int}/robots/{robotId:int}", RemoveRobot);
        return app;
    }

    /// <summary>A jurisdiction's bulletins, newest first; <c>after</c> = the previous page's <c>next</c>.</summary>
    public static async Task<Ok<Paged<BulletinSummary>>> List([AsParameters] BulletinQuery query, ReadBulletins read, CancellationToken ct) =>
        TypedResults.Ok(await read.ListAsync(query, ct));

    public static async Task<Ok<BulletinDetail>> One(long id, ReadBulletins read, CancellationToken ct) => TypedResults.Ok(await read.OneAsync(id, ct));

    /// <summary>The bulletin's tables as an .xlsx workbook: overview by kind, newly overdue, newly red, silent, completed, ranking, negative list.</summary>
    public static async Task<FileContentHttpResult> Export(long id, ReadBulletins read, OfficeClock clock, CancellationToken ct)
    {
        var b = await read.OneAsync(id, ct);
        return TypedResults.File(BulletinSheets.Of(b, clock), Sheets.ContentType(SheetFormat.Xlsx), $"{b.Title}-{b.Number}.xlsx");
    }

    public static async Task<Created<BulletinDetail>> Special(SpecialBulletinInput input, IssueSpecialBulletin issue, CancellationToken ct)
    {
        var bulletin = await issue.RunAsync(input, ct);
        return TypedResults.Created($"/api/bulletins/{bulletin.Id}", bulletin);
    }

    public static async Task<Ok<BulletinDetail>> Withdraw(long id, WithdrawalInput input, WithdrawBulletin withdraw, CancellationToken ct) =>
        TypedResults.Ok(await withdraw.RunAsync(id, input, ct));

    public static async Task<Ok<BulletinSettingsInput>> Settings(int jurisdictionId, BulletinSettings settings, CancellationToken ct) =>
        TypedResults.Ok(await settings.ReadAsync(jurisdictionId, ct));

    /// <summary>Publishes the bulletin's ranking and negative list on the public pages, or takes them down with a reason.</summary>
    public static async Task<Ok<PublicationInput>> Publish(long id, PublicationInput input, PublishBulletin publish, CancellationToken ct) =>
        TypedResults.Ok(new PublicationInput(await publish.RunAsync(id, input, ct), null));

    /// <summary>A jurisdiction's published negative lists, newest first (the last 24).</summary>
    public static async Task<Ok<List<PublicBulletinSummary>>> PublicList(int jurisdictionId, ReadPublicBulletins read, CancellationToken ct) =>
        TypedResults.Ok(await read.ListAsync(jurisdictionId, ct));

    public static async Task<Ok<PublicBulletin>> PublicOne(long id, ReadPublicBulletins read, CancellationToken ct) => TypedResults.Ok(await read.OneAsync(id, ct));

    /// <summary>The jurisdiction's work-group robots (DingTalk, WeCom, signed JSON), without their secrets.</summary>
    public static async Task<Ok<List<RobotDto>>> Robots(int jurisdictionId, WorkGroupRobots robots, CancellationToken ct) =>
        TypedResults.Ok(await robots.ListAsync(jurisdictionId, ct));

    public static async Task<Created<RobotDto>> AddRobot(int jurisdictionId, RobotInput input, WorkGroupRobots robots, CancellationToken ct)
    {
        var robot = await robots.AddAsync(jurisdictionId, input, ct);
        return TypedResults.Created($"/api/jurisdictions/{jurisdictionId}/robots", robot);
    }

    /// <summary>The robot stops receiving; what was sent to it stays on record.</summary>
    public static async Task<NoContent> RemoveRobot(int jurisdictionId, int robotId, WorkGroupRobots robots, CancellationToken ct)
    {
        await robots.RemoveAsync(jurisdictionId, robotId, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<BulletinSettingsInput>> SetSettings(int jurisdictionId, BulletinSettingsInput input, BulletinSettings settings, CancellationToken ct) =>
        TypedResults.Ok(await settings.SetAsync(jurisdictionId, input, ct));
}
