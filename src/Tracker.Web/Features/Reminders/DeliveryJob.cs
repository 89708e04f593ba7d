using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hangfire;
using Hangfire.Server;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Tracker.Domain;
using Tracker.Web.Data;

namespace Tracker.Web.Features.Reminders;

public sealed class DeliveryFailedException(string message) : Exception(message);

/// <summary>The delivery rows of inbox messages just written, one per message and channel, keyed so a second run adds none.</summary>
internal static class DeliveryRows
{
    /// <summary>Writes them (in the caller's transaction) and returns the new rows' ids, for <see cref="DeliveryJob"/> once committed.</summary>
    public static async Task<List<long>> InsertAsync(TrackerDbContext db, IReadOnlyCollection<long> messages, string[] channels, CancellationToken ct) =>
        messages.Count == 0 || channels.Length == 0
            ? []
            : await db.Database.SqlQuery<long>($"""
                INSERT INTO deliveries (message_id, channel, status, attempts)
                SELECT m, c, 'Pending', 0 FROM unnest({messages.ToArray()}) AS m CROSS JOIN unnest({channels}) AS c
                ON CONFLICT (message_id, channel) DO NOTHING
                RETURNING id AS "Value"
                """).ToListAsync(ct);
}

/// <summary>
/// Sends one digest through one channel. Hangfire runs a job at least once, so the job locks its
/// delivery row, does nothing if it was sent already, and logs every attempt. A failure throws, and
/// Hangfire retries with growing delays; a channel that is down loses nothing.
/// </summary>
public sealed class DeliveryJob(
    TrackerDbContext db, OfficeClock clock, IOptions<ReminderOptions> options, IHttpClientFactory http, ILogger<DeliveryJob> logger)
{
    public const string WebhookClient = "webhook";

    /// <summary>Queues a delivery; Hangfire hands the job its own context, which says how many retries it has had.</summary>
    public static string Enqueue(IBackgroundJobClient jobs, long deliveryId) =>
        jobs.Enqueue<DeliveryJob>(j => j.DeliverAsync(deliveryId, null, CancellationToken.None));

    /// <summary>Jobs queued before the job knew its retries still run.</summary>
    [JobDisplayName("Deliver digest (delivery {0})")]
    public Task DeliverAsync(long deliveryId, CancellationToken ct) => DeliverAsync(deliveryId, null, ct);

    [JobDisplayName("Deliver digest (delivery {0})")]
    public async Task DeliverAsync(long deliveryId, PerformContext? context, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var delivery = (await db.Deliveries.FromSql($"SELECT * FROM deliveries WHERE id = {deliveryId} FOR UPDATE").ToListAsync(ct)).SingleOrDefault();
        if (delivery is null)
        {
            logger.LogWarning("Delivery {Delivery} does not exist; nothing to send", deliveryId);
            return;
        }
        if (delivery.Status == DeliveryStatus.Sent)
            return;
        var message = await db.Inbox.AsNoTracking().SingleAsync(m => m.Id == delivery.MessageId, ct);
        if (message.BulletinId is { } bulletin && await db.Bulletins.AnyAsync(b => b.Id == bulletin && b.WithdrawnAt != null, ct))
        {
            // A bulletin withdrawn before its copy went out: not sent, and the row says why (not retried, not queued again).
            delivery.Attempts++;
            delivery.LastError = "The bulletin was withdrawn before it was sent.";
            (delivery.LastAttemptAt, delivery.NextAttemptAt, delivery.RetryQueuedAt) = (clock.Now, null, null);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return;
        }

        string? error = null;
        try
        {
            await (delivery.Channel == DeliveryChannel.Email ? SendEmailAsync(message, ct) : PostWebhookAsync(message, delivery.Id, ct));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            error = $"{e.GetType().Name}: {e.Message}";
        }

        var now = clock.Now;
        delivery.Attempts++;
        delivery.LastError = error;
        delivery.LastAttemptAt = now;
        delivery.RetryQueuedAt = null;
        delivery.NextAttemptAt = error is null ? null : NextTry(now, context);
        if (error is null)
        {
            delivery.Status = DeliveryStatus.Sent;
            delivery.SentAt = now;
        }
        db.DeliveryAttempts.Add(new DeliveryAttempt { DeliveryId = delivery.Id, At = now, Succeeded = error is null, Error = error });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        if (error is not null)
        {
            logger.LogWarning("Delivery {Delivery} by {Channel} failed (attempt {Attempt}): {Error}", delivery.Id, delivery.Channel, delivery.Attempts, error);
            throw new DeliveryFailedException($"Delivery {delivery.Id} by {delivery.Channel} failed: {error}");
        }
    }

    /// <summary>
    /// When Hangfire's retry filter (<see cref="JobsSetup"/>) runs this job again after the failure now, by its retry
    /// count and delays; null when the retries are spent and the job goes to the Failed list (a dead delivery, retried by hand).
    /// </summary>
    private DateTimeOffset? NextTry(DateTimeOffset now, PerformContext? context)
    {
        var retries = context?.GetJobParameter<int>("RetryCount") ?? 0;
        var reminders = options.Value;
        if (retries >= reminders.RetryAttempts)
            return null;
        var delays = reminders.RetryDelays;
        return now.AddSeconds(delays[Math.Min(retries, delays.Length - 1)]);
    }

    private async Task SendEmailAsync(InboxMessage message, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        var mail = new MimeMessage
        {
            // A stable id: should a retry race a crash, the receiving side can tell the copies apart.
            MessageId = $"digest-{message.Id}@tracker",
            Subject = message.Subject,
            Body = new TextPart("plain") { Text = message.Body },
        };
        mail.From.Add(new MailboxAddress(smtp.FromName, smtp.From));
        mail.To.Add(new MailboxAddress(message.RecipientName, message.RecipientEmail));

        using var client = new SmtpClient { Timeout = 15_000 };
        await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
        if (!string.IsNullOrEmpty(smtp.User))
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
        await client.SendAsync(mail, ct);
        await client.DisconnectAsync(quit: true, ct);
    }

    private async Task PostWebhookAsync(InboxMessage message, long deliveryId, CancellationToken ct)
    {
        var hook = options.Value.Webhook;
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = message.Id,
            period = message.Period,
            recipient = new { name = message.RecipientName, email = message.RecipientEmail },
            subject = message.Subject,
            text = message.Body,
            items = message.ItemCount,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-Tracker-Delivery", deliveryId.ToString());
        if (!string.IsNullOrEmpty(hook.Secret))
            request.Headers.Add("X-Tracker-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(hook.Secret), body)));
        using var response = await http.CreateClient(WebhookClient).SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
    }
}
