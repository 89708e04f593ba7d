using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Audit;

namespace Tracker.Web.Data;

/// <summary>
/// Turns the change tracker's pending writes into audit entries. Captured before the save (to keep
/// the "before" values and deletions) and completed after it (to know generated keys).
/// </summary>
internal static class AuditRecorder
{
    // Secrets and bookkeeping that change on every sign-in are not worth keeping in the trail.
    private static readonly HashSet<string> Ignored =
    [
        nameof(TrackerUser.PasswordHash), nameof(TrackerUser.SecurityStamp), nameof(TrackerUser.ConcurrencyStamp),
        nameof(TrackerUser.NormalizedEmail), nameof(TrackerUser.NormalizedUserName), nameof(Initiative.Version), nameof(ChangeRequest.Version),
        nameof(LedgerRow.Version),
        // The kept health and path follow from the item's own figures and the day; the trail keeps those figures.
        nameof(Initiative.HealthColour), nameof(Initiative.Overdue), nameof(Initiative.DaysOverdue), nameof(Initiative.MilestoneOverdue),
        nameof(Initiative.Silent), nameof(Initiative.Lagging), nameof(Initiative.LaggingRed), nameof(Initiative.Due),
        nameof(Initiative.ExpectedProgress), nameof(Initiative.HealthOn), nameof(Initiative.JurisdictionPath),
    ];

    private static readonly Type[] Audited =
    [
        typeof(Initiative), typeof(Target), typeof(Milestone), typeof(InitiativeCoDepartment), typeof(ProgressReport),
        typeof(ReportValue), typeof(Attachment), typeof(Jurisdiction), typeof(Department), typeof(TrackerUser),
        typeof(IdentityUserRole<string>), typeof(IdentityRole), typeof(SupervisionNotice), typeof(NoticeStep),
        typeof(Proposal), typeof(Candidate), typeof(CongressSession), typeof(DeputyGroup), typeof(Inspection), typeof(FollowUp), typeof(Evaluation),
        typeof(ChangeRequest), typeof(PlanVersion), typeof(Ballot), typeof(LedgerRow), typeof(LedgerCategory), typeof(Features.Bulletins.BulletinPublication),
        typeof(Features.Dispatch.DispatchRound), typeof(Features.Programmes.Programme), typeof(Features.Programmes.ProgrammeItem),
    ];

    /// <summary>
    /// The vote and the ratings are secret: the trail keeps that a ballot was cast in a session, or a rating given on an
    /// item, and nothing else: neither who cast it (the entry names no one) nor which choice (only these fields are kept;
    /// a ballot's choices are not audited at all).
    /// </summary>
    private static readonly Dictionary<Type, string[]> Secret = new()
    {
        [typeof(Ballot)] = [nameof(Ballot.Id), nameof(Ballot.SessionId)],
        [typeof(Evaluation)] = [nameof(Evaluation.Id), nameof(Evaluation.InitiativeId), nameof(Evaluation.Year)],
    };

    /// <summary>Who a secret entry names instead of the deputy.</summary>
    public const string SecretActor = "deputy (secret)";

    /// <summary>A write about to be saved; for a creation the key and values are read once the row exists.</summary>
    public sealed record Pending(EntityEntry Entry, string Action, string? EntityId, string? Before, string? After);

    public static List<Pending> Capture(ChangeTracker tracker)
    {
        tracker.DetectChanges();
        var pending = new List<Pending>();
        foreach (var entry in tracker.Entries())
        {
            if (!Audited.Contains(entry.Metadata.ClrType))
                continue;
            switch (entry.State)
            {
                case EntityState.Added:
                    pending.Add(new(entry, "Created", null, null, null));
                    break;
                case EntityState.Modified:
                    var before = Values(entry, original: true, onlyModified: true);
                    if (before.Count > 0)
                        pending.Add(new(entry, "Updated", Key(entry), Json(before),
                            Json(Values(entry, original: false, onlyModified: false, keys: before.Keys))));
                    break;
                case EntityState.Deleted:
                    pending.Add(new(entry, "Deleted", Key(entry), Json(Values(entry, original: true, onlyModified: false)), null));
                    break;
            }
        }
        return pending;
    }

    /// <summary>Call after the save: generated keys are known then.</summary>
    public static IEnumerable<AuditEntry> Complete(IReadOnlyCollection<Pending> pending, IAuditActor actor, DateTimeOffset now)
    {
        // DbSet.Local runs DetectChanges over every tracked entity each time it is read: owners are looked up
        // once here, not per entry (per entry made saving n notices O(n²)).
        var tracker = pending.FirstOrDefault()?.Entry.Context.ChangeTracker;
        var noticeItems = tracker?.Entries<SupervisionNotice>().ToDictionary(e => e.Entity.Id, e => e.Entity.InitiativeId) ?? [];
        var reportItems = tracker?.Entries<ProgressReport>().ToDictionary(e => e.Entity.Id, e => e.Entity.InitiativeId) ?? [];
        var inspectionItems = tracker?.Entries<Inspection>().ToDictionary(e => e.Entity.Id, e => e.Entity.InitiativeId) ?? [];
        var requestItems = tracker?.Entries<ChangeRequest>().ToDictionary(e => e.Entity.Id, e => e.Entity.InitiativeId) ?? [];
        long? Owner(Dictionary<long, long> items, long id) => items.TryGetValue(id, out var item) ? item : null;
        return pending.Select(p => new AuditEntry
        {
            At = now,
            UserId = Secret.ContainsKey(p.Entry.Metadata.ClrType) ? null : actor.UserId,
            UserName = Secret.ContainsKey(p.Entry.Metadata.ClrType) ? SecretActor : actor.UserName,
            Action = p.Action,
            EntityType = p.Entry.Metadata.ClrType.Name switch
            {
                "IdentityUserRole`1" => "UserRole",
                "IdentityRole" => "Role",
                "TrackerUser" => "User",
                var name => name,
            },
            EntityId = p.EntityId ?? Key(p.Entry),
            InitiativeId = p.Entry.Entity switch
            {
                Initiative i => i.Id,
                Target t => t.InitiativeId,
                Milestone m => m.InitiativeId,
                InitiativeCoDepartment c => c.InitiativeId,
                ProgressReport r => r.InitiativeId,
                SupervisionNotice n => n.InitiativeId,
                Inspection x => x.InitiativeId,
                FollowUp f => f.InitiativeId,
                Evaluation e => e.InitiativeId,
                Candidate c => c.InitiativeId,
                ChangeRequest r => r.InitiativeId,
                PlanVersion v => v.InitiativeId,
                LedgerRow r => r.InitiativeId,
                NoticeStep s => Owner(noticeItems, s.NoticeId),
                ReportValue v => Owner(reportItems, v.ReportId),
                Attachment { ReportId: { } report } => Owner(reportItems, report),
                Attachment { InspectionId: { } inspection } => Owner(inspectionItems, inspection),
                Attachment { ChangeRequestId: { } request } => Owner(requestItems, request),
                _ => null,
            },
            Before = p.Before,
            After = p.Action == "Created" ? Json(Values(p.Entry, original: false, onlyModified: false)) : p.After,
        });
    }

    /// <summary>The "Created" entries of entities inserted outside the change tracker (<see cref="CopyInsert"/>), keys assigned.</summary>
    public static List<AuditEntry> Created<T>(DbContext db, IEnumerable<T> entities, IAuditActor actor, DateTimeOffset now) where T : class =>
        !Audited.Contains(typeof(T)) ? [] : [.. Complete([.. entities.Select(e => new Pending(db.Entry(e), "Created", null, null, null))], actor, now)];

    private static string Key(EntityEntry entry) =>
        string.Join("/", entry.Metadata.FindPrimaryKey()!.Properties.Where(k => !k.IsPartitionKey()).Select(k => entry.Property(k.Name).CurrentValue?.ToString()));

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // Enums as names and Chinese as itself: the trail is read by people.
    private static string Json(Dictionary<string, object?> values) => JsonSerializer.Serialize(values, JsonOptions);

    private static Dictionary<string, object?> Values(EntityEntry entry, bool original, bool onlyModified, IEnumerable<string>? keys = null)
    {
        var values = new Dictionary<string, object?>();
        var kept = Secret.GetValueOrDefault(entry.Metadata.ClrType);
        foreach (var property in entry.Properties)
        {
            if (Ignored.Contains(property.Metadata.Name) || (keys is not null && !keys.Contains(property.Metadata.Name))
                || (kept is not null && !kept.Contains(property.Metadata.Name)))
                continue;
            if (keys is null && onlyModified && (!property.IsModified || Equals(property.OriginalValue, property.CurrentValue)))
                continue;
            values[property.Metadata.Name] = original ? property.OriginalValue : property.CurrentValue;
        }
        foreach (var complex in entry.ComplexProperties)
            foreach (var property in complex.Properties)
            {
                var name = $"{complex.Metadata.Name}.{property.Metadata.Name}";
                if (keys is not null && !keys.Contains(name))
                    continue;
                if (keys is null && onlyModified && (!property.IsModified || Equals(property.OriginalValue, property.CurrentValue)))
                    continue;
                values[name] = original ? property.OriginalValue : property.CurrentValue;
            }
        return values;
    }
}
