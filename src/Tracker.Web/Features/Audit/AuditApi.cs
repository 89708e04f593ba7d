using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Audit;

public sealed record AuditQuery(long? InitiativeId, string? EntityType, string? EntityId, string? UserId, DateTimeOffset? From, DateTimeOffset? To, int? Page, int? PageSize);

public sealed record AuditDto(long Id, DateTimeOffset At, string? UserId, string UserName, string Action, string EntityType, string EntityId,
    long? InitiativeId, string? Before, string? After);

public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", List).WithTags("Audit").Validate<AuditQuery>()
            .RequireAuthorization(p => p.RequireRole(Roles.Supervisor, Roles.Admin))
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    /// <summary>Admins read the whole trail; supervisors the entries of the items they supervise.</summary>
    public static async Task<Ok<Paged<AuditDto>>> List([AsParameters] AuditQuery query, Viewer viewer, TrackerDbContext db, CancellationToken ct)
    {
        var entries = db.AuditLog.AsNoTracking();
        if (!viewer.Is(Roles.Admin))
        {
            var readable = db.Initiatives.Where(viewer.CanRead()).Select(i => i.Id);
            entries = entries.Where(e => e.InitiativeId != null && readable.Contains(e.InitiativeId.Value));
        }
        if (query.InitiativeId is { } initiative) entries = entries.Where(e => e.InitiativeId == initiative);
        if (query.EntityType is { } type) entries = entries.Where(e => e.EntityType == type);
        if (query.EntityId is { } id) entries = entries.Where(e => e.EntityId == id);
        if (query.UserId is { } user) entries = entries.Where(e => e.UserId == user);
        if (query.From is { } from) entries = entries.Where(e => e.At >= from);
        if (query.To is { } to) entries = entries.Where(e => e.At < to);

        return TypedResults.Ok(await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Select(e => new AuditDto(e.Id, e.At, e.UserId, e.UserName, e.Action, e.EntityType, e.EntityId, e.InitiativeId, e.Before, e.After))
            .ToPagedAsync(PageRequest.Of(query.Page, query.PageSize, 50, 200), ct));
    }
}

internal sealed class AuditQueryValidator : AbstractValidator<AuditQuery>
{
    public AuditQueryValidator()
    {
        RuleFor(q => q.Page).InclusiveBetween(1, 10_000);
        RuleFor(q => q.PageSize).InclusiveBetween(1, 200);
        RuleFor(q => q.To).GreaterThan(q => q.From).When(q => q.From is not null && q.To is not null);
    }
}
