using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;
using RequestSizeLimitAttribute = Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute;

namespace Tracker.Web.Features.Plans;

/// <summary>The approved plan and its changes: an item's plan history, the lead department's requests, the supervisors' queue and decisions.</summary>
public static class PlansApi
{
    public static IEndpointRouteBuilder MapPlansApi(this IEndpointRouteBuilder app)
    {
        var uploads = app.ServiceProvider.GetRequiredService<IOptions<TrackerOptions>>().Value.Uploads;
        var api = app.MapGroup("/api").WithTags("Plan changes").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/initiatives/{id:long}/plan", History).ProducesProblem(404);
        api.MapPost("/initiatives/{id:long}/change-requests", Request)
            .Accepts<ChangeRequestInput>("application/json", "multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(uploads.MaxRequestBytes))
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415);
        api.MapGet("/change-requests", Pending);
        api.MapGet("/change-requests/{requestId:long}", Get).ProducesProblem(404);
        api.MapPost("/change-requests/{requestId:long}/decision", Decide)
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    public static async Task<Ok<PlanHistory>> History(long id, ReadPlans read, CancellationToken ct) =>
        TypedResults.Ok(await read.HistoryAsync(id, ct));

    public static async Task<Created<ChangeRequestDto>> Request(
        long id, HttpRequest request, RequestChange change, IOptions<TrackerOptions> options, IOptions<JsonOptions> json, CancellationToken ct)
    {
        // Who may ask is checked before the body is read: a stranger's upload is refused unread.
        await change.RequireRequesterAsync(id, ct);
        var (input, files) = await EvidenceForm.ReadAsync<ChangeRequestInput>(request, "request", options.Value.Uploads, json.Value.SerializerOptions, ct);
        var created = await change.RunAsync(id, input, files, ct);
        return TypedResults.Created($"/api/change-requests/{created.Id}", created);
    }

    public static async Task<Ok<Paged<ChangeRequestDto>>> Pending(int? page, int? pageSize, ReadPlans read, CancellationToken ct) =>
        TypedResults.Ok(await read.PendingAsync(page, pageSize, ct));

    public static async Task<Ok<ChangeRequestDto>> Get(long requestId, ReadPlans read, CancellationToken ct) =>
        TypedResults.Ok(await read.RequestAsync(requestId, ct));

    /// <summary>Approve or reject; <c>If-Match</c> with the request's ETag makes a decision on a stale view a 409.</summary>
    public static async Task<Ok<ChangeRequestDto>> Decide(long requestId, ChangeDecision decision, HttpRequest request, DecideChange decide, CancellationToken ct) =>
        TypedResults.Ok(await decide.RunAsync(requestId, decision, ETags.FromIfMatch(request), ct));
}
