using System.Linq.Expressions;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;

namespace Tracker.Web.Features.Reminders;

public sealed record SweepResult(
    DateOnly Day, int Candidates, int RemindersCreated, int Superseded, int Resolved,
    int NoticesRaised, int NoticesEscalated, int Digests, int Deliveries);

/// <summary>
/// The daily sweep: finds what is due soon, overdue, silent or lagging with the domain's health and
/// escalation rules, records reminders, raises and escalates supervision notices, and writes one
/// digest per person, then queues its deliveries. Idempotent: a second run on the same day, a retry
/// or a second server finds every row already there (unique keys) and adds nothing.
/// </summary>
public sealed class ReminderSweep(
    TrackerDbContext db, OfficeClock clock, HealthPolicy healthPolicy, IOptions<ReminderOptions> options,
    IBackgroundJobClient jobs, ILogger<ReminderSweep> logger)
{
    private const long SweepLock = 0x7377_6565_7000; // "swee(p)"
    private const int BatchSize = 2000;

    public async Task<SweepResult> RunAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var policy = settings.Policy();
        var today = clock.Today;
        var now = clock.Now;
        var health = new HealthContext(today, healthPolicy);
        var calendar = settings.CountWorkingDays
            ? WorkingCalendar.WorkingDays(await db.CalendarDays.AsNoTracking().ToListAsync(ct))
            : WorkingCalendar.CalendarDays;

        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Two servers sweeping at once take turns; the one that waited then finds the day's rows there.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SweepLock})", ct);

        var laggingRed = HealthRules.LaggingRed.On(health);
        await db.LaggingWatch.Where(w => !db.Initiatives.Where(laggingRed).Any(i => i.Id == w.InitiativeId)).ExecuteDeleteAsync(ct);

        var (candidates, created) = await RecordRemindersAsync(health, policy, calendar, ct);
        var superseded = await db.Database.ExecuteSqlAsync($"""
            UPDATE reminders AS old SET status = 'Superseded', closed_at = {now}
            WHERE old.status = 'Open' AND old.period < {today}
              AND EXISTS (SELECT 1 FROM reminders n WHERE n.initiative_id = old.initiative_id AND n.reason = old.reason AND n.period = {today})
            """, ct);
        // A condition that no longer shows up today has cleared (due-soon reminders only come on their days, so they clear otherwise).
        var resolved = await db.Database.ExecuteSqlAsync($"""
            UPDATE reminders AS old SET status = 'Resolved', closed_at = {now}
            WHERE old.status = 'Open' AND old.period < {today} AND old.reason <> 'DueSoon'
              AND NOT EXISTS (SELECT 1 FROM reminders n WHERE n.initiative_id = old.initiative_id AND n.reason = old.reason AND n.period = {today})
            """, ct);
        resolved += await db.Database.ExecuteSqlAsync($"""
            UPDATE reminders AS r SET status = 'Resolved', closed_at = {now}
            FROM initiatives AS i
            WHERE r.initiative_id = i.id AND r.status = 'Open' AND r.reason = 'DueSoon'
              AND (i.status NOT IN ('Planned', 'InProgress') OR i.deadline < {today})
            """, ct);

        var raised = await RaiseNoticesAsync(today, now, policy, calendar, ct);
        var escalated = await EscalateNoticesAsync(today, now, ct);
        var (digests, deliveries) = await WriteDigestsAsync(today, now, raised, escalated, ct);
        await transaction.CommitAsync(ct);

        // Queued after the commit, so a job never looks for a delivery that is not there yet. Deliveries of
        // earlier days never tried (a crash between a commit and its queueing) are queued again; a job
        // that finds its delivery sent does nothing, so a second job for one delivery sends nothing twice.
        var stranded = await db.Deliveries.Where(d => d.Status == DeliveryStatus.Pending && d.Attempts == 0 && d.Message!.Period < today)
            .Select(d => d.Id).ToListAsync(ct);
        foreach (var delivery in deliveries.Concat(stranded))
            jobs.Enqueue<DeliveryJob>(j => j.DeliverAsync(delivery, CancellationToken.None));

        var result = new SweepResult(today, candidates, created, superseded, resolved, raised.Count, escalated.Count, digests, deliveries.Count);
        logger.LogInformation("Sweep {Result}", result);
        return result;
    }

    private async Task<(int Candidates, int Created)> RecordRemindersAsync(
        HealthContext health, EscalationPolicy policy, WorkingCalendar calendar, CancellationToken ct)
    {
        var until = calendar.AddDays(health.Today, policy.DueSoonDays.DefaultIfEmpty(0).Max());
        Expression<Func<Initiative, HealthContext, bool>> dueSoon = (i, c) => i.Deadline > c.Today && i.Deadline <= until;
        var flagged = db.Initiatives.AsNoTracking()
            .Where(HealthRules.Active.On(health))
            .Where(HealthRules.Or(HealthRules.Flagged, dueSoon).On(health));

        int candidates = 0, created = 0;
        var batch = new ReminderBatch();
        // Pages by id: each page is read to the end before its reminders are written on the same connection.
        for (long after = 0; ;)
        {
            var page = await flagged.Where(i => i.Id > after).OrderBy(i => i.Id).Take(BatchSize)
                .Select(i => new { Item = i, RedSince = db.LaggingWatch.Where(w => w.InitiativeId == i.Id).Select(w => (DateOnly?)w.RedSince).FirstOrDefault() })
                .ToListAsync(ct);
            foreach (var row in page)
            {
                candidates++;
                var itemHealth = HealthRules.Evaluate(row.Item, health);
                if (itemHealth.LaggingRed && row.RedSince is null)
                    batch.NewlyRed.Add(row.Item.Id);
                var redSince = row.RedSince ?? (itemHealth.LaggingRed ? health.Today : null);
                foreach (var due in Escalation.Evaluate(row.Item, itemHealth, health.Today, policy, calendar, redSince))
                    batch.Add(row.Item.Id, due);
            }
            created += await FlushAsync(batch, health.Today, ct);
            if (page.Count < BatchSize)
                break;
            after = page[^1].Item.Id;
        }
        return (candidates, created);
    }

    private async Task<int> FlushAsync(ReminderBatch batch, DateOnly today, CancellationToken ct)
    {
        var now = clock.Now;
        var created = batch.Count == 0 ? 0 : await db.Database.ExecuteSqlAsync($"""
            INSERT INTO reminders (initiative_id, reason, level, period, days, status, created_at)
            SELECT t.initiative_id, t.reason, t.level, {today}, t.days, 'Open', {now}
            FROM unnest({batch.Ids.ToArray()}, {batch.Reasons.ToArray()}, {batch.Levels.ToArray()}, {batch.Days.ToArray()})
                AS t(initiative_id, reason, level, days)
            ON CONFLICT (initiative_id, reason, level, period) DO NOTHING
            """, ct);
        if (batch.NewlyRed.Count > 0)
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO lagging_watch (initiative_id, red_since) SELECT unnest({batch.NewlyRed.ToArray()}), {today}
                ON CONFLICT DO NOTHING
                """, ct);
        batch.Clear();
        return created;
    }

    /// <summary>Level 3 raises a supervision notice to the lead department, unless one is open already.</summary>
    private async Task<List<SupervisionNotice>> RaiseNoticesAsync(
        DateOnly today, DateTimeOffset now, EscalationPolicy policy, WorkingCalendar calendar, CancellationToken ct)
    {
        var due = await db.Reminders
            .Where(r => r.Period == today && r.Status == ReminderStatus.Open && r.Level >= Escalation.NoticeLevel)
            .Where(r => !db.Notices.Any(n => n.InitiativeId == r.InitiativeId && n.Status != NoticeStatus.Closed))
            .Join(db.Initiatives, r => r.InitiativeId, i => i.Id, (r, i) => new { r.InitiativeId, i.LeadDepartmentId, r.Reason, r.Days, i.Code, i.Title })
            .ToListAsync(ct);
        var notices = due.GroupBy(d => d.InitiativeId).Select(g => g.First()).Select(d => SupervisionNotice.Raise(
            d.InitiativeId, d.LeadDepartmentId,
            d.Reason == ReminderReason.Overdue ? $"{d.Code} {d.Title}：已逾期 {d.Days} 天" : $"{d.Code} {d.Title}：进度严重滞后已持续 {d.Days} 天",
            today, calendar.AddDays(today, policy.NoticeAnswerDays), now)).ToList();
        db.Notices.AddRange(notices);
        await db.SaveChangesAsync(ct);
        return notices;
    }

    private async Task<List<SupervisionNotice>> EscalateNoticesAsync(DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        var waiting = await db.Notices.Include(n => n.Steps)
            .Where(n => (n.Status == NoticeStatus.Raised || n.Status == NoticeStatus.Returned) && !n.Escalated && n.AnswerDue < today)
            .ToListAsync(ct);
        var escalated = waiting.Where(n => n.EscalateIfUnanswered(today, now)).ToList();
        await db.SaveChangesAsync(ct);
        return escalated;
    }

    /// <summary>One digest per person listing all their items of the day, then one delivery per enabled channel.</summary>
    private async Task<(int Digests, List<long> Deliveries)> WriteDigestsAsync(
        DateOnly today, DateTimeOffset now, List<SupervisionNotice> raised, List<SupervisionNotice> escalated, CancellationToken ct)
    {
        var digest = new DigestBuilder();
        var lines = db.Reminders.AsNoTracking()
            .Where(r => r.Period == today && r.Status == ReminderStatus.Open)
            .Join(db.Initiatives, r => r.InitiativeId, i => i.Id, (r, i) => new { r, i })
            .Join(db.Departments, x => x.i.LeadDepartmentId, d => d.Id, (x, d) => new
            {
                x.r.Reason,
                x.r.Level,
                x.r.Days,
                x.i.Code,
                x.i.Title,
                x.i.Deadline,
                x.i.LeadDepartmentId,
                Responsible = x.i.ResponsiblePerson,
                Leader = x.i.LeaderInCharge,
                d.HeadName,
                d.HeadEmail,
            })
            .OrderBy(x => x.Deadline).ThenBy(x => x.Code)
            .AsAsyncEnumerable();
        var departments = new HashSet<int>();
        await foreach (var x in lines.WithCancellation(ct))
        {
            var text = DigestBuilder.Line(x.Reason, x.Level, x.Days, x.Code, x.Title, x.Deadline);
            digest.Add(x.Responsible.Email, x.Responsible.Name, text);
            digest.AddDepartment(x.LeadDepartmentId, text);
            departments.Add(x.LeadDepartmentId);
            if (x.Level >= 2)
            {
                digest.Add(x.Leader.Email, x.Leader.Name, text);
                digest.Add(x.HeadEmail, x.HeadName, text);
            }
        }
        var noticeItemIds = raised.Concat(escalated).Select(n => n.InitiativeId).Distinct().ToList();
        var noticeItems = await db.Initiatives.AsNoTracking().Where(i => noticeItemIds.Contains(i.Id))
            .Select(i => new { i.Id, i.LeaderInCharge, Department = i.LeadDepartment! }).ToDictionaryAsync(i => i.Id, ct);
        foreach (var notice in raised.Concat(escalated))
        {
            var item = noticeItems[notice.InitiativeId];
            var text = notice.Escalated ? $"【督办单逾期未答复】{notice.Reason}" : $"【督办单】{notice.Reason}，请于 {notice.AnswerDue:yyyy-MM-dd} 前答复整改方案";
            digest.AddDepartment(notice.DepartmentId, text);
            departments.Add(notice.DepartmentId);
            digest.Add(item.Department.HeadEmail, item.Department.HeadName, text);
            if (notice.Escalated)
                digest.Add(item.LeaderInCharge.Email, item.LeaderInCharge.Name, text);
        }

        // Officials of the lead department get their department's lines in their own inbox.
        var officials = await db.Users.AsNoTracking()
            .Where(u => u.DepartmentId != null && departments.Contains(u.DepartmentId.Value))
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Official)))
            .Select(u => new { u.Email, u.DisplayName, DepartmentId = u.DepartmentId!.Value })
            .ToListAsync(ct);
        foreach (var official in officials)
            digest.AddFromDepartment(official.DepartmentId, official.Email, official.DisplayName);

        var messages = digest.Messages(today).ToList();
        if (messages.Count == 0)
            return (0, []);
        var created = await db.Database.SqlQuery<long>($"""
            INSERT INTO inbox_messages (period, recipient_email, recipient_name, subject, body, item_count, created_at)
            SELECT {today}, t.email, t.name, t.subject, t.body, t.items, {now}
            FROM unnest({messages.Select(m => m.Email).ToArray()}, {messages.Select(m => m.Name).ToArray()},
                        {messages.Select(m => m.Subject).ToArray()}, {messages.Select(m => m.Body).ToArray()},
                        {messages.Select(m => m.Items).ToArray()}) AS t(email, name, subject, body, items)
            ON CONFLICT (period, recipient_email) DO NOTHING
            RETURNING id AS "Value"
            """).ToListAsync(ct);

        var channels = new List<string>();
        if (options.Value.Smtp.Enabled) channels.Add(nameof(DeliveryChannel.Email));
        if (options.Value.Webhook.Enabled) channels.Add(nameof(DeliveryChannel.Webhook));
        if (created.Count == 0 || channels.Count == 0)
            return (created.Count, []);
        var deliveries = await db.Database.SqlQuery<long>($"""
            INSERT INTO deliveries (message_id, channel, status, attempts)
            SELECT m, c, 'Pending', 0 FROM unnest({created.ToArray()}) AS m CROSS JOIN unnest({channels.ToArray()}) AS c
            ON CONFLICT (message_id, channel) DO NOTHING
            RETURNING id AS "Value"
            """).ToListAsync(ct);
        return (created.Count, deliveries);
    }

    private sealed class ReminderBatch
    {
        public List<long> Ids { get; } = [];
        public List<string> Reasons { get; } = [];
        public List<int> Levels { get; } = [];
        public List<int> Days { get; } = [];
        public List<long> NewlyRed { get; } = [];
        public int Count => Ids.Count;

        public void Add(long id, ReminderDue due)
        {
            Ids.Add(id);
            Reasons.Add(due.Reason.ToString());
            Levels.Add(due.Level);
            Days.Add(due.Days);
        }

        public void Clear()
        {
            Ids.Clear();
            Reasons.Clear();
            Levels.Clear();
            Days.Clear();
            NewlyRed.Clear();
        }
    }
}
