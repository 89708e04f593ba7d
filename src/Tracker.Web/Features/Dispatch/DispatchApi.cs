using Microsoft.AspNetCore.Http.HttpResults;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Dispatch;

/// <summary>Dispatch rounds (调度): set one up, list a jurisdiction's, read one with its answers by department, call one off; what open rounds ask of my department.</summary>
public static class DispatchApi
{
    public static IEndpointRouteBuilder MapDispatchApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Dispatch").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/dispatch-rounds", List).ProducesValidationProblem();
        api.MapGet("/dispatch-rounds/{id:long}", One);
        api.MapPost("/dispatch-rounds", Open).ProducesValidationProblem();
        api.MapPost("/dispatch-rounds/{id:long}/cancel", Cancel).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/me/dispatch", Mine);
        return app;
    }

    /// <summary>A jurisdiction's rounds, newest first, with their tallies; <c>after</c> = the previous page's <c>next</c>.</summary>
    public static async Task<Ok<Paged<DispatchSummary>>> List([AsParameters] DispatchQuery query, ReadDispatch read, CancellationToken ct) =>
        TypedResults.Ok(await read.ListAsync(query, ct));

    public static async Task<Ok<DispatchDetail>> One(long id, ReadDispatch read, CancellationToken ct) => TypedResults.Ok(await read.OneAsync(id, ct));

    /// <summary>Sets up a round; it opens at once (its items fixed, their departments told) unless it opens later.</summary>
    public static async Task<Created<DispatchDetail>> Open(DispatchInput input, OpenDispatchRound open, CancellationToken ct)
    {
        var round = await open.RunAsync(input, ct);
        return TypedResults.Created($"/api/dispatch-rounds/{round.Id}", round);
    }

    public static async Task<Ok<DispatchDetail>> Cancel(long id, CancelDispatchRound cancel, CancellationToken ct) => TypedResults.Ok(await cancel.RunAsync(id, ct));

    /// <summary>The open rounds waiting on the signed-in official's department, with the items still to answer.</summary>
    public static async Task<Ok<IReadOnlyList<DispatchAsk>>> Mine(ReadDispatch read, CancellationToken ct) => TypedResults.Ok(await read.AskedOfMineAsync(ct));
}
