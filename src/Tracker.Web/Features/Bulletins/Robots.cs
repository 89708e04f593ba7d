using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Bulletins;

/// <summary>The work-group robots a bulletin goes to: DingTalk's and WeCom's markdown robots, or a signed JSON webhook.</summary>
public enum RobotKind
{
    DingTalk,
    WeCom,
    Json,
}

/// <summary>A jurisdiction's work-group robot (工作群机器人): where its bulletins are posted, and the secret that signs them.</summary>
public sealed class WorkGroupRobot
{
    public int Id { get; set; }
    public int JurisdictionId { get; set; }
    public RobotKind Kind { get; set; }
    public required string Name { get; set; }
    public required string Url { get; set; }

    /// <summary>DingTalk's 加签 secret, or the JSON webhook's HMAC key; WeCom's key is in its URL.</summary>
    public string? Secret { get; set; }
}

/// <summary>One bulletin to one robot, sent once: the row is locked while sending, and every attempt is logged.</summary>
public sealed class RobotDelivery
{
    public long Id { get; set; }
    public long BulletinId { get; set; }
    public int RobotId { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
}

public sealed class RobotAttempt
{
    public long Id { get; set; }
    public long RobotDeliveryId { get; set; }
    public DateTimeOffset At { get; set; }
    public bool Succeeded { get; set; }
    public string? Error { get; set; }
}

public sealed record RobotInput(RobotKind? Kind, string? Name, string? Url, string? Secret);

/// <summary>A robot as its supervisors see it: the secret is never shown again.</summary>
public sealed record RobotDto(int Id, RobotKind Kind, string Name, string Url, bool Signed);

internal sealed class RobotInputValidator : AbstractValidator<RobotInput>
{
    public RobotInputValidator()
    {
        RuleFor(x => x.Kind).NotNull().IsInEnum();
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Url).NotEmpty().MaximumLength(500)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            .WithMessage("The robot's address is an http(s) URL, as the group's robot settings show it.");
        RuleFor(x => x.Secret).MaximumLength(200);
        RuleFor(x => x.Secret).NotEmpty().When(x => x.Kind == RobotKind.DingTalk)
            .WithMessage("A DingTalk robot is signed (加签): give its secret (SEC…).");
    }
}

/// <summary>A jurisdiction's robots: listed, added and removed by its supervisors and admins.</summary>
public sealed class WorkGroupRobots(TrackerDbContext db, BulletinAccess access, IValidator<RobotInput> validator) : IUseCase
{
    public async Task<List<RobotDto>> ListAsync(int jurisdictionId, CancellationToken ct)
    {
        await access.RequireJurisdictionAsync(jurisdictionId, ct);
        return await db.WorkGroupRobots.AsNoTracking().Where(r => r.JurisdictionId == jurisdictionId).OrderBy(r => r.Id)
            .Select(r => new RobotDto(r.Id, r.Kind, r.Name, r.Url, r.Secret != null)).ToListAsync(ct);
    }

    public async Task<RobotDto> AddAsync(int jurisdictionId, RobotInput input, CancellationToken ct)
    {
        await access.RequireJurisdictionAsync(jurisdictionId, ct);
        await validator.ValidateAndThrowAsync(input, ct);
        var robot = new WorkGroupRobot
        {
            JurisdictionId = jurisdictionId,
            Kind = input.Kind!.Value,
            Name = input.Name!.Trim(),
            Url = input.Url!.Trim(),
            Secret = string.IsNullOrWhiteSpace(input.Secret) ? null : input.Secret.Trim(),
        };
        db.WorkGroupRobots.Add(robot);
        await db.SaveChangesAsync(ct);
        return new RobotDto(robot.Id, robot.Kind, robot.Name, robot.Url, robot.Secret is not null);
    }

    public async Task RemoveAsync(int jurisdictionId, int robotId, CancellationToken ct)
    {
        await access.RequireJurisdictionAsync(jurisdictionId, ct);
        var robot = await db.WorkGroupRobots.SingleOrDefaultAsync(r => r.Id == robotId && r.JurisdictionId == jurisdictionId && r.Url != "", ct)
            ?? throw new NotFoundException($"No robot {robotId} here.");
        // Its deliveries stay, as the record of what was sent; the robot only stops receiving.
        robot.Url = "";
        robot.Secret = null;
        robot.Name = $"{robot.Name}（已移除）";
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>A bulletin as the work groups read it: markdown, the figures a phone screen holds.</summary>
public static class BulletinMarkdown
{
    public static string Of(Bulletin bulletin, string jurisdiction)
    {
        var c = BulletinContent.Read(bulletin.Content);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"### {bulletin.Title}\n")
            .Append(CultureInfo.InvariantCulture, $"{jurisdiction} · {BulletinRules.NumberText(bulletin.Year, bulletin.Number)} · {bulletin.PeriodFrom:yyyy-MM-dd}")
            .Append(bulletin.PeriodTo == bulletin.PeriodFrom ? "" : $" 至 {bulletin.PeriodTo:yyyy-MM-dd}").Append("\n\n")
            .Append(CultureInfo.InvariantCulture,
                $"共 {c.Counts.Items} 项：严重滞后 **{c.Counts.Red}**，滞后 {c.Counts.Amber}，正常 {c.Counts.Green}；逾期 **{c.Counts.Overdue}**，未按时报送 {c.Counts.Silent}。\n\n");
        if (bulletin.Text.Length > 0)
            text.Append(bulletin.Text).Append("\n\n");
        if (c.NewlyOverdue.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"**新增逾期 {c.NewlyOverdueTotal} 项**\n");
            foreach (var i in c.NewlyOverdue.Take(10))
                text.Append(CultureInfo.InvariantCulture, $"- {i.Code} {i.Title}（{i.Department}，逾期 {i.DaysOverdue} 天）\n");
            text.Append('\n');
        }
        foreach (var round in c.RoundLines.GroupBy(r => (r.RoundId, r.Round)))
        {
            var tally = new DispatchTally(round.Sum(r => r.Items), round.Sum(r => r.OnTime), round.Sum(r => r.Late));
            text.Append(CultureInfo.InvariantCulture, $"**调度：{round.Key.Round}** 应报 {tally.Items} 项，按时 {tally.OnTime}，补报 {tally.Late}，未报 {tally.Unanswered}")
                .Append(string.Join("", round.Where(r => r.Tally.Unanswered > 0).Select(r => r.Department).Take(10).Select((d, i) => (i == 0 ? "（未报单位：" : "、") + d)))
                .Append(round.Any(r => r.Tally.Unanswered > 0) ? "）\n\n" : "\n\n");
        }
        if (c.Ranking.Count > 0)
        {
            text.Append("**部门排名**\n");
            foreach (var r in c.Ranking.Take(5))
                text.Append(CultureInfo.InvariantCulture, $"{r.Rank}. {r.Department} {BulletinRules.RankChangeText(r.Change)}\n");
            text.Append('\n');
        }
        if (c.NegativeList.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $"**负面清单**：{string.Join("、", c.NegativeList.Select(d => d.Name))}\n");
        return text.ToString();
    }
}

/// <summary>
/// Sends a bulletin on its way, as a digest goes: an inbox message for every official and supervisor of its
/// jurisdiction's subtree, with e-mail and the webhook when configured (sent by <see cref="DeliveryJob"/>), and a post to
/// each of the jurisdiction's robots (<see cref="RobotJob"/>). Every row is keyed, so running this again (a retry, a
/// second server) adds nothing; jobs are queued for what has not been tried yet.
/// </summary>
public sealed class DeliverBulletin(TrackerDbContext db, OfficeClock clock, IOptions<ReminderOptions> options, IBackgroundJobClient jobs)
{
    [JobDisplayName("Deliver bulletin {0}")]
    public async Task RunAsync(long bulletinId, CancellationToken ct)
    {
        var bulletin = await db.Bulletins.AsNoTracking().SingleAsync(b => b.Id == bulletinId, ct);
        if (bulletin.WithdrawnAt is not null)
            return;
        var jurisdiction = await db.Jurisdictions.Where(j => j.Id == bulletin.JurisdictionId).Select(j => new { j.Name, j.Path }).SingleAsync(ct);
        var subject = $"【通报】{bulletin.Title} {BulletinRules.NumberText(bulletin.Year, bulletin.Number)}";
        var body = BulletinMarkdown.Of(bulletin, jurisdiction.Name);
        var channels = options.Value.Channels();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Everyone in scope: officials of the subtree's departments, supervisors of the subtree's jurisdictions (set-based).
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO inbox_messages (period, recipient_email, recipient_name, subject, body, item_count, created_at, bulletin_id)
            SELECT {bulletin.IssuedOn}, lower(u.email), coalesce(nullif(u.display_name, ''), u.email), {subject}, {body}, 0, {clock.Now}, {bulletin.Id}
            FROM users u
            WHERE u.email IS NOT NULL AND (u.lockout_end IS NULL OR u.lockout_end < {clock.Now})
              AND (EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id JOIN departments d ON d.id = u.department_id
                           JOIN jurisdictions j ON j.id = d.jurisdiction_id
                           WHERE ur.user_id = u.id AND r.name = {Roles.Official} AND j.path LIKE {jurisdiction.Path + "%"})
                OR EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id JOIN jurisdictions j ON j.id = u.jurisdiction_id
                           WHERE ur.user_id = u.id AND r.name = {Roles.Supervisor} AND j.path LIKE {jurisdiction.Path + "%"}))
            ON CONFLICT (bulletin_id, recipient_email) WHERE bulletin_id IS NOT NULL DO NOTHING
            """, ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO deliveries (message_id, channel, status, attempts)
            SELECT m.id, c, 'Pending', 0 FROM inbox_messages m CROSS JOIN unnest({channels}) AS c
            WHERE m.bulletin_id = {bulletin.Id}
            ON CONFLICT (message_id, channel) DO NOTHING
            """, ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO robot_deliveries (bulletin_id, robot_id, status, attempts)
            SELECT {bulletin.Id}, r.id, 'Pending', 0 FROM work_group_robots r WHERE r.jurisdiction_id = {bulletin.JurisdictionId} AND r.url <> ''
            ON CONFLICT (bulletin_id, robot_id) DO NOTHING
            """, ct);
        await transaction.CommitAsync(ct);

        // Queued after the commit, for what has not been tried: a job never looks for a row that is not there yet.
        var mails = await db.Deliveries.Where(d => d.Message!.BulletinId == bulletin.Id && d.Status == DeliveryStatus.Pending && d.Attempts == 0)
            .Select(d => d.Id).ToListAsync(ct);
        foreach (var id in mails)
            DeliveryJob.Enqueue(jobs, id);
        var robots = await db.RobotDeliveries.Where(d => d.BulletinId == bulletin.Id && d.Status == DeliveryStatus.Pending && d.Attempts == 0)
            .Select(d => d.Id).ToListAsync(ct);
        foreach (var id in robots)
            jobs.Enqueue<RobotJob>(j => j.SendAsync(id, CancellationToken.None));
    }
}

/// <summary>
/// Posts one bulletin to one robot, once: the delivery row is locked while sending, a sent one is left alone, every
/// attempt is logged, and a failure throws for Hangfire to retry. DingTalk's robot gets its markdown message on a URL
/// signed with <c>timestamp</c> and <c>sign</c> (HMAC-SHA256 of "timestamp\nsecret", base64); WeCom's its markdown
/// message; a JSON robot the bulletin's summary signed in <c>X-Tracker-Signature</c>. A robot that answers 200 with an
/// <c>errcode</c> other than 0 has refused the message: that is a failure too.
/// </summary>
public sealed class RobotJob(TrackerDbContext db, OfficeClock clock, IHttpClientFactory http, ILogger<RobotJob> logger)
{
    [JobDisplayName("Post bulletin to a work-group robot (delivery {0})")]
    public async Task SendAsync(long deliveryId, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var delivery = (await db.RobotDeliveries.FromSql($"SELECT * FROM robot_deliveries WHERE id = {deliveryId} FOR UPDATE").ToListAsync(ct)).SingleOrDefault();
        if (delivery is null || delivery.Status == DeliveryStatus.Sent)
            return;
        var robot = await db.WorkGroupRobots.AsNoTracking().SingleAsync(r => r.Id == delivery.RobotId, ct);
        var bulletin = await db.Bulletins.AsNoTracking().SingleAsync(b => b.Id == delivery.BulletinId, ct);
        if (bulletin.WithdrawnAt is not null)
        {
            // Withdrawn before it went out: nothing is posted, and the row says why (not retried, not queued again).
            delivery.Attempts++;
            delivery.LastError = "The bulletin was withdrawn before it was posted.";
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return;
        }
        var jurisdiction = await db.Jurisdictions.Where(j => j.Id == bulletin.JurisdictionId).Select(j => j.Name).SingleAsync(ct);

        string? error = null;
        try
        {
            if (robot.Url.Length == 0)
                throw new DeliveryFailedException("The robot was removed.");
            using var request = Request(robot, bulletin, jurisdiction, clock.Now);
            using var response = await http.CreateClient(DeliveryJob.WebhookClient).SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            if (robot.Kind is RobotKind.DingTalk or RobotKind.WeCom && Refusal(await response.Content.ReadAsStringAsync(ct)) is { } refusal)
                throw new DeliveryFailedException($"The robot refused the message: {refusal}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            error = $"{e.GetType().Name}: {e.Message}";
        }

        var now = clock.Now;
        delivery.Attempts++;
        delivery.LastError = error;
        if (error is null)
            (delivery.Status, delivery.SentAt) = (DeliveryStatus.Sent, now);
        db.RobotAttempts.Add(new RobotAttempt { RobotDeliveryId = delivery.Id, At = now, Succeeded = error is null, Error = error });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (error is not null)
        {
            logger.LogWarning("Robot delivery {Delivery} failed (attempt {Attempt}): {Error}", delivery.Id, delivery.Attempts, error);
            throw new DeliveryFailedException($"Robot delivery {delivery.Id} failed: {error}");
        }
    }

    /// <summary>DingTalk's and WeCom's answer: <c>{"errcode":0}</c> is accepted; another code is a refusal (its <c>errmsg</c>).</summary>
    private static string? Refusal(string answer)
    {
        try
        {
            return answer.Length > 0 && JsonNode.Parse(answer) is JsonObject json && json["errcode"] is JsonValue code
                && code.TryGetValue<int>(out var number) && number != 0 ? $"{number} {json["errmsg"]}" : null;
        }
        catch (JsonException)
        {
            return null;   // not their JSON: the 200 stands
        }
    }

    /// <summary>DingTalk's signature of a timestamp (ms since 1970): base64 of HMAC-SHA256 over "timestamp\nsecret", keyed by the secret.</summary>
    public static string DingTalkSign(long timestamp, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}\n{secret}")));

    /// <summary>The text cut to at most <paramref name="bytes"/> UTF-8 bytes, marked when cut.</summary>
    public static string Fit(string text, int bytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= bytes)
            return text;
        const string cut = "\n\n……（全文见督查督办系统）";
        var room = bytes - Encoding.UTF8.GetByteCount(cut);
        var end = text.Length;
        while (end > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, end)) > room)
            end -= Math.Max(1, (Encoding.UTF8.GetByteCount(text.AsSpan(0, end)) - room) / 3);
        if (end > 0 && char.IsHighSurrogate(text[end - 1]))
            end--;
        return string.Concat(text.AsSpan(0, end), cut);
    }

    private static HttpRequestMessage Request(WorkGroupRobot robot, Bulletin bulletin, string jurisdiction, DateTimeOffset now)
    {
        // Robots take a bounded message (WeCom 4,096 bytes of markdown, DingTalk 20,000): a long special text is cut.
        var markdown = Fit(BulletinMarkdown.Of(bulletin, jurisdiction), robot.Kind == RobotKind.WeCom ? 4000 : 19_000);
        var title = $"{bulletin.Title} {BulletinRules.NumberText(bulletin.Year, bulletin.Number)}";
        var url = robot.Url;
        byte[] body;
        switch (robot.Kind)
        {
            case RobotKind.DingTalk:
                var timestamp = now.ToUnixTimeMilliseconds();
                url += (url.Contains('?') ? "&" : "?") + $"timestamp={timestamp}&sign={Uri.EscapeDataString(DingTalkSign(timestamp, robot.Secret ?? ""))}";
                body = JsonSerializer.SerializeToUtf8Bytes(new { msgtype = "markdown", markdown = new { title, text = markdown } });
                break;
            case RobotKind.WeCom:
                body = JsonSerializer.SerializeToUtf8Bytes(new { msgtype = "markdown", markdown = new { content = markdown } });
                break;
            default:
                body = JsonSerializer.SerializeToUtf8Bytes(new
                {
                    bulletin = bulletin.Id,
                    jurisdiction,
                    kind = bulletin.Kind.ToString(),
                    number = BulletinRules.NumberText(bulletin.Year, bulletin.Number),
                    title = bulletin.Title,
                    from = bulletin.PeriodFrom,
                    to = bulletin.PeriodTo,
                    markdown,
                });
                break;
        }
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        if (robot.Kind == RobotKind.Json && robot.Secret is { } secret)
            request.Headers.Add("X-Tracker-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        return request;
    }
}
