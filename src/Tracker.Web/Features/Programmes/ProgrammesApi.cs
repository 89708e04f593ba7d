using Microsoft.AspNetCore.Http.HttpResults;

namespace Tracker.Web.Features.Programmes;

/// <summary>
/// Programmes (专项/清单): a jurisdiction's of a year, one with its roll-up and its items, a new one, its items added or
/// taken out; and a jurisdiction's dashboard.
/// </summary>
public static class ProgrammesApi
{
    public static IEndpointRouteBuilder MapProgrammesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Programmes").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/programmes", List);
        api.MapGet("/programmes/{id:int}", One);
        api.MapPost("/programmes", Create).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/programmes/{id:int}/items", Items).ProducesValidationProblem();
        api.MapGet("/jurisdictions/{jurisdictionId:int}/dashboard", Dashboard).ProducesValidationProblem();
        return app;
    }

    public static async Task<Ok<IReadOnlyList<ProgrammeSummary>>> List(int jurisdictionId, int? year, ReadProgrammes read, CancellationToken ct) =>
        TypedResults.Ok(await read.ListAsync(jurisdictionId, year, ct));

    /// <summary>The programme's figures over the items the caller may read (<c>figures.hidden</c>: how many others it holds), and its items a page of 100 at a time, reddest first.</summary>
    public static async Task<Ok<ProgrammeDetail>> One(int id, int? page, ReadProgrammes read, CancellationToken ct) =>
        TypedResults.Ok(await read.OneAsync(id, page ?? 1, ct));

    public static async Task<Created<ProgrammeDetail>> Create(ProgrammeInput input, CreateProgramme create, CancellationToken ct)
    {
        var programme = await create.RunAsync(input, ct);
        return TypedResults.Created($"/api/programmes/{programme.Id}", programme);
    }

    /// <summary>A jurisdiction's year for its supervisors: the roll-up, the key projects' investment by month, the jurisdictions under it ranked, its programmes.</summary>
    public static async Task<Ok<DashboardDetail>> Dashboard(int jurisdictionId, int? year, ReadDashboard read, CancellationToken ct) =>
        TypedResults.Ok(await read.RunAsync(jurisdictionId, year, ct));

    public static async Task<Ok<ProgrammeDetail>> Items(int id, ProgrammeItemsInput input, SetProgrammeItems set, CancellationToken ct) =>
        TypedResults.Ok(await set.RunAsync(id, input, ct));
}
