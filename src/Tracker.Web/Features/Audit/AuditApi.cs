using Microsoft.AspNetCore.Http.HttpResults;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Audit;

/// <summary>The trail's filters; <see cref="Action"/> is Created, Updated or Deleted.</summary>
public sealed record AuditQuery(long? InitiativeId, string? EntityType, string? EntityId, string? UserId, DateTimeOffset? From, DateTimeOffset? To, int? Page, int? PageSize, string? Action = null);

public sealed record AuditDto(long Id, DateTimeOffset At, string? UserId, string UserName, string Action, string EntityType, string EntityId,
    long? InitiativeId, string? Before, string? After);

public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        // Signed in is the floor; who reads which part of the trail is ReadAudit's to say (an item's, whoever reads the item).
        app.MapGet("/api/audit", List).WithTags("Audit").RequireAuthorization()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>An item's trail to whoever reads the item; the whole trail to admins, and to supervisors over the items they supervise.</summary>
    public static async Task<Ok<Paged<AuditDto>>> List([AsParameters] AuditQuery query, ReadAudit read, CancellationToken ct) =>
        TypedResults.Ok((await read.ListAsync(query, withTotal: false, ct)).Entries);
}
