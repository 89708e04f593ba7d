using Hangfire;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Reminders;

/// <summary>
/// Where a delivery stands: waiting for its first try, failed with a retry due, failed with Hangfire's retries spent
/// (dead: only a retry by hand sends it), or sent.
/// </summary>
public enum DeliveryState
{
    Waiting,
    Retrying,
    Dead,
    Sent,
}

public sealed record DeliveryLogRow(long Id, long MessageId, string Recipient, string Subject, DeliveryChannel Channel, DeliveryState State, int Attempts,
    DateTimeOffset? LastAttemptAt, string? LastError, DateTimeOffset? NextAttemptAt, DateTimeOffset? SentAt, bool RetryQueued);

/// <summary>A page of the log and how many deliveries stand in each state (every state named, zero included).</summary>
public sealed record DeliveryLog(Paged<DeliveryLogRow> Deliveries, IReadOnlyDictionary<DeliveryState, int> Totals);

public sealed record RetryResult(long DeliveryId, bool Queued, string? JobId);

internal static class DeliveryLogAccess
{
    internal static void RequireAdmin(Viewer viewer) =>
        Require.Role(viewer, "Admins read the delivery log and retry deliveries: it names every jurisdiction's recipients.", Roles.Admin);
}

/// <summary>
/// The delivery log for admins: a page of one state, newest first, with the totals per state. Admins only, since the
/// log names every jurisdiction's recipients and errors and nothing in a delivery says whose jurisdiction it is. Two queries, both served by ix_deliveries_status_id.
/// </summary>
public sealed class ReadDeliveries(TrackerDbContext db, Viewer viewer) : IUseCase
{
    public async Task<DeliveryLog> ListAsync(DeliveryState? state, int? page, int? pageSize, CancellationToken ct)
    {
        DeliveryLogAccess.RequireAdmin(viewer);
        var deliveries = In(db.Deliveries.AsNoTracking(), state);
        var rows = await deliveries.OrderByDescending(d => d.Id)
            .Select(d => new DeliveryLogRow(d.Id, d.MessageId, d.Message!.RecipientEmail, d.Message.Subject, d.Channel,
                d.Status == DeliveryStatus.Sent ? DeliveryState.Sent
                    : d.Attempts == 0 ? DeliveryState.Waiting
                    : d.NextAttemptAt != null ? DeliveryState.Retrying : DeliveryState.Dead,
                d.Attempts, d.LastAttemptAt, d.LastError, d.NextAttemptAt, d.SentAt, d.RetryQueuedAt != null))
            .ToPagedAsync(PageRequest.Of(page, pageSize, 50, 200), ct);

        var counts = await db.Deliveries.AsNoTracking()
            .GroupBy(d => new { d.Status, Tried = d.Attempts > 0, Next = d.NextAttemptAt != null })
            .Select(g => new { g.Key.Status, g.Key.Tried, g.Key.Next, Count = g.Count() }).ToListAsync(ct);
        var totals = Enum.GetValues<DeliveryState>().ToDictionary(s => s, _ => 0);
        foreach (var c in counts)
            totals[c.Status == DeliveryStatus.Sent ? DeliveryState.Sent : !c.Tried ? DeliveryState.Waiting : c.Next ? DeliveryState.Retrying : DeliveryState.Dead] += c.Count;
        return new DeliveryLog(rows, totals);
    }

    /// <summary>The old shape of <c>GET /api/deliveries</c>, by stored status.</summary>
    public async Task<Paged<DeliveryDto>> ListByStatusAsync(DeliveryStatus? status, int? page, int? pageSize, CancellationToken ct)
    {
        DeliveryLogAccess.RequireAdmin(viewer);
        var deliveries = db.Deliveries.AsNoTracking();
        if (status is not null)
            deliveries = deliveries.Where(d => d.Status == status);
        return await deliveries.OrderByDescending(d => d.Id)
            .Select(d => new DeliveryDto(d.Id, d.MessageId, d.Message!.RecipientEmail, d.Channel, d.Status, d.Attempts, d.SentAt, d.LastError))
            .ToPagedAsync(PageRequest.Of(page, pageSize, 50, 200), ct);
    }

    private static IQueryable<Delivery> In(IQueryable<Delivery> deliveries, DeliveryState? state) => state switch
    {
        DeliveryState.Sent => deliveries.Where(d => d.Status == DeliveryStatus.Sent),
        DeliveryState.Waiting => deliveries.Where(d => d.Status == DeliveryStatus.Pending && d.Attempts == 0),
        DeliveryState.Retrying => deliveries.Where(d => d.Status == DeliveryStatus.Pending && d.Attempts > 0 && d.NextAttemptAt != null),
        DeliveryState.Dead => deliveries.Where(d => d.Status == DeliveryStatus.Pending && d.Attempts > 0 && d.NextAttemptAt == null),
        _ => deliveries,
    };
}

/// <summary>
/// "Retry now" on a delivery not yet sent (admins): queues <see cref="DeliveryJob"/> at once. Idempotent
/// twice over: the row is locked while the retry is recorded, so a second request waits and then finds the retry queued
/// (and queues nothing), and the job itself sends nothing already sent. A delivery sent is refused (409).
/// </summary>
public sealed class RetryDelivery(TrackerDbContext db, Viewer viewer, OfficeClock clock, IBackgroundJobClient jobs) : IUseCase
{
    /// <summary>A retry queued this long ago and still not attempted is taken as lost (the queue was cleared), and may be queued again.</summary>
    public static readonly TimeSpan Lost = TimeSpan.FromMinutes(10);

    public async Task<RetryResult> RunAsync(long deliveryId, CancellationToken ct)
    {
        DeliveryLogAccess.RequireAdmin(viewer);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var delivery = (await db.Deliveries.FromSql($"SELECT * FROM deliveries WHERE id = {deliveryId} FOR UPDATE").ToListAsync(ct)).SingleOrDefault()
            ?? throw new NotFoundException($"No delivery {deliveryId}.");
        if (delivery.Status == DeliveryStatus.Sent)
            throw new DomainException(ErrorCodes.DeliverySent, $"Delivery {deliveryId} was sent already; it is not sent twice.");
        var now = clock.Now;
        if (delivery.RetryQueuedAt is { } queued && now - queued < Lost)
            return new RetryResult(deliveryId, Queued: false, null);

        delivery.RetryQueuedAt = now;
        delivery.NextAttemptAt = now;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        // Queued once the retry is recorded, so a refused or failed request queues nothing; should queueing fail
        // here, the retry recorded counts as lost after a while (Lost) and may be asked for again.
        return new RetryResult(deliveryId, Queued: true, DeliveryJob.Enqueue(jobs, deliveryId));
    }
}
