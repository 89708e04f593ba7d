using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
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
        supervise.MapPost("/deliveries/{id:long}/retry", Retry).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

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

    public static async Task<Ok<Paged<DeliveryDto>>> Deliveries(DeliveryStatus? status, int? page, int? pageSize, ReadDeliveries read, CancellationToken ct) =>
        TypedResults.Ok(await read.ListByStatusAsync(status, page, pageSize, ct));

    /// <summary>Sends a delivery not yet sent again now; asked twice, it is queued once (<see cref="RetryDelivery"/>).</summary>
    public static async Task<Ok<RetryResult>> Retry(long id, RetryDelivery retry, CancellationToken ct) =>
        TypedResults.Ok(await retry.RunAsync(id, ct));

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
