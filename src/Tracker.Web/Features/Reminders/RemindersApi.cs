using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Reminders;

public sealed record DeliveryDto(long Id, long MessageId, string Recipient, DeliveryChannel Channel, DeliveryStatus Status, int Attempts, DateTimeOffset? SentAt, string? LastError);

/// <summary>The sweep queued by hand, the delivery log (supervisors and admins), and everyone's inbox.</summary>
public static class RemindersApi
{
    public static IEndpointRouteBuilder MapRemindersApi(this IEndpointRouteBuilder app)
    {
        var supervise = app.MapGroup("/api").WithTags("Reminders")
            .RequireAuthorization(p => p.RequireRole(Roles.Supervisor, Roles.Admin))
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        supervise.MapPost("/reminders/sweep", RunSweep);
        supervise.MapGet("/deliveries", Deliveries);

        var inbox = app.MapGroup("/api/inbox").WithTags("Inbox").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        inbox.MapGet("/", (bool? unreadOnly, int? page, int? pageSize, ReadInbox read, CancellationToken ct) => Inbox(unreadOnly, page, pageSize, read, ct));
        inbox.MapGet("/unread-count", async (ReadInbox read, CancellationToken ct) => TypedResults.Ok(await read.UnreadCountAsync(ct)));
        inbox.MapPost("/{id:long}/read", MarkRead).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>Queues the sweep now (the same job as the daily one); its progress shows in the dashboard.</summary>
    public static Accepted<object> RunSweep(QueueSweep sweep)
    {
        var id = sweep.Run();
        return TypedResults.Accepted($"/hangfire/jobs/details/{id}", (object)new { jobId = id });
    }

    public static async Task<Ok<Paged<DeliveryDto>>> Deliveries(DeliveryStatus? status, int? page, int? pageSize, TrackerDbContext db, CancellationToken ct)
    {
        var deliveries = db.Deliveries.AsNoTracking();
        if (status is not null)
            deliveries = deliveries.Where(d => d.Status == status);
        return TypedResults.Ok(await deliveries.OrderByDescending(d => d.Id)
            .Select(d => new DeliveryDto(d.Id, d.MessageId, d.Message!.RecipientEmail, d.Channel, d.Status, d.Attempts, d.SentAt, d.LastError))
            .ToPagedAsync(PageRequest.Of(page, pageSize, 50, 200), ct));
    }

    public static async Task<Ok<Paged<InboxItem>>> Inbox(bool? unreadOnly, int? page, int? pageSize, ReadInbox read, CancellationToken ct) =>
        TypedResults.Ok(await read.ListAsync(unreadOnly, page, pageSize, ct));

    public static async Task<NoContent> MarkRead(long id, ReadInbox read, CancellationToken ct)
    {
        await read.MarkReadAsync(id, ct);
        return TypedResults.NoContent();
    }
}

/// <summary>Queues the reminder sweep now, as the daily schedule would (supervisors and admins).</summary>
public sealed class QueueSweep(IBackgroundJobClient jobs, Viewer viewer) : IUseCase
{
    public string Run()
    {
        Require.Supervisor(viewer);
        return jobs.Enqueue<ReminderSweep>(s => s.RunAsync(CancellationToken.None));
    }
}
