using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Livelihood;

/// <summary>Deputies' inspections of the items their groups supervise, and the follow-up requests the departments answer.</summary>
public static class InspectionsApi
{
    public static IEndpointRouteBuilder MapInspectionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Livelihood items: inspections").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(404);
        var uploads = app.ServiceProvider.GetRequiredService<IOptions<TrackerOptions>>().Value.Uploads;
        api.MapPost("/initiatives/{id:long}/inspections", Inspect)
            .Accepts<InspectionInput>("application/json", "multipart/form-data")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(uploads.MaxRequestBytes))
            .ProducesValidationProblem().ProducesProblem(413).ProducesProblem(415);
        api.MapGet("/initiatives/{id:long}/inspections", async (long id, ReadInspections read, CancellationToken ct) => TypedResults.Ok(await read.RunAsync(id, ct)));
        api.MapGet("/follow-ups", async (bool? overdue, bool? open, int? page, int? pageSize, ReadFollowUps read, CancellationToken ct) =>
            TypedResults.Ok(await read.RunAsync(overdue, open, page, pageSize, ct)));
        api.MapPost("/follow-ups/{id:long}/answer", async (long id, FollowUpAnswer answer, AnswerFollowUp op, CancellationToken ct) =>
            TypedResults.Ok(await op.RunAsync(id, answer, ct))).ProducesValidationProblem().ProducesProblem(409);
        return app;
    }

    /// <summary>JSON, or multipart/form-data with the JSON in an <c>inspection</c> part and photos in <c>files</c>.</summary>
    public static async Task<Created<InspectionDto>> Inspect(long id, HttpRequest request, Viewer viewer, TrackerDbContext db, RecordInspection record,
        IOptions<TrackerOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        var (input, photos) = await EvidenceForm.ReadAsync<InspectionInput>(request, "inspection", options.Value.Uploads, json.Value.SerializerOptions, ct);
        return TypedResults.Created($"/api/initiatives/{id}/inspections", await record.RunAsync(id, input, photos, ct));
    }
}
