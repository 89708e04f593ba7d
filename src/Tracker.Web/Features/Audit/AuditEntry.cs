namespace Tracker.Web.Features.Audit;

/// <summary>One write, recorded in the same transaction as the write itself. The table refuses UPDATE, DELETE and TRUNCATE.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string? UserId { get; set; }
    public required string UserName { get; set; }

    /// <summary>Created, Updated or Deleted.</summary>
    public required string Action { get; set; }

    public required string EntityType { get; set; }
    public required string EntityId { get; set; }

    /// <summary>The initiative the write belongs to, when it belongs to one: the audit of an item gathers its targets, milestones and reports.</summary>
    public long? InitiativeId { get; set; }

    /// <summary>Changed fields before the write (JSON); null for a creation.</summary>
    public string? Before { get; set; }

    /// <summary>Changed fields after the write (JSON); null for a deletion.</summary>
    public string? After { get; set; }
}

/// <summary>Who is writing: the signed-in user, or the system (seeding, jobs).</summary>
public interface IAuditActor
{
    string? UserId { get; }
    string UserName { get; }
}

public sealed class SystemActor : IAuditActor
{
    public static readonly SystemActor Instance = new();
    public string? UserId => null;
    public string UserName => "system";
}
