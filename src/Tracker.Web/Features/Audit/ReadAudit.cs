using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Audit;

/// <summary>A page of the trail, with how many entries the filters match when that was asked for.</summary>
public sealed record AuditTrail(Paged<AuditDto> Entries, int? Total);

/// <summary>Who wrote in an item's trail, and what kinds of record it holds: the choices of the history's filters.</summary>
public sealed record AuditChoices(IReadOnlyList<AuditPerson> People, IReadOnlyList<string> EntityTypes);

public sealed record AuditPerson(string? UserId, string UserName);

/// <summary>
/// Reads the audit trail. An item's trail is read by whoever reads the item (404 for anyone else, as the item itself);
/// the whole trail by admins, and by supervisors over the items they supervise; nobody else reads it unfiltered (403).
/// </summary>
public sealed class ReadAudit(TrackerDbContext db, Viewer viewer, IValidator<AuditQuery> validator) : IUseCase
{
    public const int MaxPeople = 100;

    /// <remarks>
    /// The total is one count over the same filters; an item's is served by its (initiative_id, at) index. The API asks
    /// for none, since the whole trail of a province is too long to count on every page.
    /// </remarks>
    public async Task<AuditTrail> ListAsync(AuditQuery query, bool withTotal, CancellationToken ct)
    {
        var entries = await ScopeAsync(query.InitiativeId, ct);
        await validator.ValidateAndThrowAsync(query, ct);

        if (query.InitiativeId is { } initiative) entries = entries.Where(e => e.InitiativeId == initiative);
        if (query.EntityType is { } type) entries = entries.Where(e => e.EntityType == type);
        if (query.EntityId is { } id) entries = entries.Where(e => e.EntityId == id);
        if (query.UserId is { } user) entries = entries.Where(e => e.UserId == user);
        if (query.Action is { } action) entries = entries.Where(e => e.Action == action);
        if (query.From is { } from) entries = entries.Where(e => e.At >= from);
        if (query.To is { } to) entries = entries.Where(e => e.At < to);

        var page = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Select(e => new AuditDto(e.Id, e.At, e.UserId, e.UserName, e.Action, e.EntityType, e.EntityId, e.InitiativeId, e.Before, e.After))
            .ToPagedAsync(PageRequest.Of(query.Page, query.PageSize, 50, 200), ct);
        int? total = withTotal ? await entries.CountAsync(ct) : null;
        return new AuditTrail(page, total);
    }

    /// <summary>The people and kinds of record in an item's trail, in one query bounded by the item's entries.</summary>
    public async Task<AuditChoices> ChoicesAsync(long initiativeId, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, initiativeId, ct);
        var rows = await db.AuditLog.AsNoTracking().Where(e => e.InitiativeId == initiativeId)
            .GroupBy(e => new { e.EntityType, e.UserId, e.UserName }).Select(g => g.Key)
            .OrderBy(k => k.UserName).ThenBy(k => k.EntityType).Take(MaxPeople * 10).ToListAsync(ct);
        return new AuditChoices(
            [.. rows.DistinctBy(r => r.UserId).Select(r => new AuditPerson(r.UserId, r.UserName)).Take(MaxPeople)],
            [.. rows.Select(r => r.EntityType).Distinct().Order(StringComparer.Ordinal)]);
    }

    private async Task<IQueryable<AuditEntry>> ScopeAsync(long? initiativeId, CancellationToken ct)
    {
        var entries = db.AuditLog.AsNoTracking();
        if (initiativeId is { } item)
        {
            await ItemAccess.RequireReadableAsync(db, viewer, item, ct);
            return entries;
        }
        Require.Role(viewer, "Only supervisors and admins read the trail beyond one item.", Roles.Supervisor, Roles.Admin);
        if (viewer.Is(Roles.Admin))
            return entries;
        var readable = db.Initiatives.Where(viewer.CanRead()).Select(i => i.Id);
        return entries.Where(e => e.InitiativeId != null && readable.Contains(e.InitiativeId.Value));
    }
}

internal sealed class AuditQueryValidator : AbstractValidator<AuditQuery>
{
    public static readonly string[] Actions = ["Created", "Updated", "Deleted"];

    public AuditQueryValidator()
    {
        RuleFor(q => q.Page).InclusiveBetween(1, 10_000);
        RuleFor(q => q.PageSize).InclusiveBetween(1, 200);
        RuleFor(q => q.Action).Must(a => Actions.Contains(a)).When(q => q.Action is not null);
        RuleFor(q => q.EntityType).MaximumLength(64);
        RuleFor(q => q.To).GreaterThan(q => q.From).When(q => q.From is not null && q.To is not null)
            .WithErrorCode(Domain.ErrorCodes.DateRange);
    }
}
