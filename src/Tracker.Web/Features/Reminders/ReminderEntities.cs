namespace Tracker.Web.Features.Reminders;

/// <summary>One digest for one person for one sweep day: the in-app inbox message, also sent by the channels.</summary>
public sealed class InboxMessage
{
    public long Id { get; set; }
    public DateOnly Period { get; set; }

    /// <summary>Lower-case email: the person's key, whether or not they have an account.</summary>
    public required string RecipientEmail { get; set; }

    public required string RecipientName { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    public int ItemCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }

    /// <summary>A bulletin's copy for this person (<see cref="Bulletins.DeliverBulletin"/>); null for the day's digest.</summary>
    public long? BulletinId { get; set; }

    /// <summary>A dispatch round's word to this person (its opening, or the reminder before it falls due); null otherwise.</summary>
    public long? DispatchRoundId { get; set; }

    public DispatchNote? DispatchNote { get; set; }
}

/// <summary>What a dispatch round tells the officials it asks: that it has opened, and, to those not yet answered, that it is nearly due.</summary>
public enum DispatchNote
{
    Opened,
    DueSoon,
}

public enum DeliveryChannel
{
    Email,
    Webhook,
}

public enum DeliveryStatus
{
    Pending,
    Sent,
}

/// <summary>A digest's journey through one channel; each attempt is logged in <see cref="DeliveryAttempt"/>.</summary>
public sealed class Delivery
{
    public long Id { get; set; }
    public long MessageId { get; set; }
    public InboxMessage? Message { get; set; }
    public DeliveryChannel Channel { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>When Hangfire tries again after a failure; null once sent, or once its retries are spent (dead).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>A retry asked for by hand and not yet attempted: a second request meanwhile queues nothing more.</summary>
    public DateTimeOffset? RetryQueuedAt { get; set; }
}

public sealed class DeliveryAttempt
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public DateTimeOffset At { get; set; }
    public bool Succeeded { get; set; }
    public string? Error { get; set; }
}

/// <summary>Since when an item has been red for lagging: level 3 comes after K weeks of it.</summary>
public sealed class LaggingWatch
{
    public long InitiativeId { get; set; }
    public DateOnly RedSince { get; set; }
}
