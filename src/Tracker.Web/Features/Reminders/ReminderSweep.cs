using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Audit;

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
    TrackerDbContext db, OfficeClock clock, HealthPolicy healthPolicy, IOptions<ReminderOptions> options, OfficeDays days,
    IBackgroundJobClient jobs, ILogger<ReminderSweep> logger)
{
    private const long SweepLock = 0x7377_6565_7000; // "swee(p)"
    private const int BatchSize = 5000;
    private const int MessageBatchSize = 500;

    /// <summary>Marks a digest row that lists a department's own overdue ledger rows (level: how many; deadline: the earliest due).</summary>
    private const string LedgerRowsLine = "LedgerRows";

    /// <summary>Marks a digest row that lists a department's items not yet answered in an open dispatch round (level: how many).</summary>
    private const string DispatchLine = "Dispatch";

    public async Task<SweepResult> RunAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var policy = settings.Policy();
        var today = clock.Today;
        var now = clock.Now;
        var health = new HealthContext(today, healthPolicy);
        var calendar = await days.CalendarAsync(ct);

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
        var (digests, deliveries) = await WriteDigestsAsync(today, now, ChangeRequest.RemindIfMadeBy(today, calendar, settings.ChangeDecisionDays), ct);
        await transaction.CommitAsync(ct);

        // Queued after the commit, so a job never looks for a delivery that is not there yet. Deliveries never tried,
        // of earlier days or of today (an instance killed between a sweep's commit and its queueing: the job's re-run
        // finds today's rows made and makes none), are queued again; a job locks its delivery and does nothing once it
        // is sent, so a second job for one delivery sends nothing twice.
        var stranded = await db.Deliveries.Where(d => d.Status == DeliveryStatus.Pending && d.Attempts == 0 && d.Message!.Period <= today)
            .Select(d => d.Id).ToListAsync(ct);
        foreach (var delivery in deliveries.Union(stranded))
            DeliveryJob.Enqueue(jobs, delivery);

        var result = new SweepResult(today, candidates, created, superseded, resolved, raised, escalated, digests, deliveries.Count);
        logger.LogInformation("Sweep {Result}", result);
        return result;
    }

    private async Task<(int Candidates, int Created)> RecordRemindersAsync(
        HealthContext health, EscalationPolicy policy, WorkingCalendar calendar, CancellationToken ct)
    {
        var until = calendar.AddDays(health.Today, policy.DueSoonDays.DefaultIfEmpty(0).Max());
        // Due soon includes the deadline day; a deputies' follow-up unanswered past its date calls for a reminder too.
        Expression<Func<Initiative, HealthContext, bool>> dueSoon = (i, c) => i.Deadline >= c.Today && i.Deadline <= until;
        var rowOverdue = LedgerRow.OverdueOn(health.Today);
        Expression<Func<Initiative, HealthContext, bool>> followUpOverdue = (i, c) =>
            db.FollowUps.Any(f => f.InitiativeId == i.Id && f.Answer == null && f.DueOn < c.Today)
            || db.LedgerRows.Where(rowOverdue).Any(r => r.InitiativeId == i.Id);
        var flagged = db.Initiatives.AsNoTracking()
            .Where(HealthRules.Active.On(health))
            .Where(HealthRules.Or(HealthRules.Or(HealthRules.Flagged, dueSoon), followUpOverdue).On(health));
        var candidate = CandidateProjection(health);

        int candidates = 0, created = 0;
        var batch = new ReminderBatch();
        // Pages by id: each page is read to the end before its reminders are written on the same connection.
        for (long after = 0; ;)
        {
            var page = await flagged.Where(i => i.Id > after).OrderBy(i => i.Id).Take(BatchSize).Select(candidate).ToListAsync(ct);
            foreach (var row in page)
            {
                candidates++;
                if (row.LaggingRed && row.RedSince is null)
                    batch.NewlyRed.Add(row.Id);
                var redSince = row.RedSince ?? (row.LaggingRed ? health.Today : null);
                foreach (var due in Escalation.Evaluate(row.Facts(health), health.Today, policy, calendar, redSince))
                    batch.Add(row.Id, due);
            }
            created += await FlushAsync(batch, health.Today, ct);
            if (page.Count < BatchSize)
                break;
            after = page[^1].Id;
        }
        return (candidates, created);
    }

    /// <summary>
    /// The columns the escalation ladder reads, with the health flags computed by the database from the
    /// rules' own expressions (HealthRules), so that no whole initiative is read and no rule is written twice.
    /// </summary>
    private Expression<Func<Initiative, Candidate>> CandidateProjection(HealthContext health)
    {
        var toRectify = LedgerRow.ToRectify;
        Expression<Func<Initiative, bool, bool, bool, bool, bool, Candidate>> shape = (i, overdue, milestoneOverdue, silent, lagging, laggingRed) => new Candidate
        {
            Id = i.Id,
            Status = i.Status,
            Deadline = i.Deadline,
            PlannedStart = i.PlannedStart,
            NextMilestoneDue = i.NextMilestoneDue,
            LastReportedOn = i.LastReportedOn,
            Overdue = overdue,
            MilestoneOverdue = milestoneOverdue,
            Silent = silent,
            Lagging = lagging,
            LaggingRed = laggingRed,
            RedSince = db.LaggingWatch.Where(w => w.InitiativeId == i.Id).Select(w => (DateOnly?)w.RedSince).FirstOrDefault(),
            LastDueSoonOn = db.Reminders.Where(r => r.InitiativeId == i.Id && r.Reason == ReminderReason.DueSoon && r.Period < health.Today)
                .Max(r => (DateOnly?)r.Period),
            OldestFollowUpDue = db.FollowUps.Where(f => f.InitiativeId == i.Id && f.Answer == null).Min(f => (DateOnly?)f.DueOn),
            OldestLedgerRowDue = db.LedgerRows.Where(toRectify).Where(r => r.InitiativeId == i.Id).Min(r => (DateOnly?)(r.Deadline ?? r.FoundOn)),
        };
        var item = shape.Parameters[0];
        var rules = new[] { HealthRules.Overdue, HealthRules.MilestoneOverdue, HealthRules.Silent, HealthRules.Lagging, HealthRules.LaggingRed };
        var body = shape.Body;
        foreach (var (rule, flag) in rules.Zip(shape.Parameters.Skip(1)))
        {
            var bound = rule.On(health);
            body = ReplacingExpressionVisitor.Replace(flag, ReplacingExpressionVisitor.Replace(bound.Parameters[0], item, bound.Body), body);
        }
        return Expression.Lambda<Func<Initiative, Candidate>>(body, item);
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

    /// <summary>
    /// Level 3 raises a supervision notice to the lead department, unless one is open already: the notices with
    /// their audit entries in one statement, their first steps in a second. The notices raised and escalated by
    /// this sweep are noted in a temporary table, for their steps and the digests.
    /// </summary>
    private async Task<int> RaiseNoticesAsync(
        DateOnly today, DateTimeOffset now, EscalationPolicy policy, WorkingCalendar calendar, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync(
            "CREATE TEMPORARY TABLE sweep_notices (id bigint PRIMARY KEY, escalated boolean NOT NULL) ON COMMIT DROP", ct);
        var answerDue = calendar.AddDays(today, policy.NoticeAnswerDays);
        var actor = SystemActor.Instance;
        var counts = await db.Database.SqlQuery<int>($"""
            WITH due AS (
                SELECT DISTINCT ON (r.initiative_id) r.initiative_id, i.lead_department_id,
                    format(CASE r.reason WHEN {nameof(ReminderReason.Overdue)} THEN {SqlFormat(SupervisionNotice.ReasonFormat(ReminderReason.Overdue))}
                                         WHEN {nameof(ReminderReason.FollowUpOverdue)} THEN {SqlFormat(SupervisionNotice.ReasonFormat(ReminderReason.FollowUpOverdue))}
                                         WHEN {nameof(ReminderReason.LedgerRowsOverdue)} THEN {SqlFormat(SupervisionNotice.ReasonFormat(ReminderReason.LedgerRowsOverdue))}
                                         ELSE {SqlFormat(SupervisionNotice.ReasonFormat(ReminderReason.Lagging))} END,
                           i.code, i.title, r.days) AS reason
                FROM reminders r JOIN initiatives i ON i.id = r.initiative_id
                WHERE r.period = {today} AND r.status = {nameof(ReminderStatus.Open)} AND r.level >= {Escalation.NoticeLevel}
                  AND NOT EXISTS (SELECT 1 FROM supervision_notices n WHERE n.initiative_id = r.initiative_id AND n.status <> {nameof(NoticeStatus.Closed)})
                ORDER BY r.initiative_id, CASE r.reason WHEN {nameof(ReminderReason.Overdue)} THEN 0 WHEN {nameof(ReminderReason.Lagging)} THEN 1 ELSE 2 END
            ), raised AS (
                INSERT INTO supervision_notices (initiative_id, department_id, reason, raised_on, answer_due, status, escalated)
                SELECT initiative_id, lead_department_id, reason, {today}, {answerDue}, {nameof(NoticeStatus.Raised)}, false FROM due
                ORDER BY initiative_id
                ON CONFLICT (initiative_id) WHERE status <> {nameof(NoticeStatus.Closed)} DO NOTHING
                RETURNING id, initiative_id, department_id, reason, raised_on, answer_due, status, escalated
            ), noted AS (
                INSERT INTO sweep_notices (id, escalated) SELECT id, false FROM raised
            ), audit AS (
                INSERT INTO audit_log (at, user_id, user_name, action, entity_type, entity_id, initiative_id, before, after)
                SELECT {now}, {actor.UserId}::text, {actor.UserName}, 'Created', {nameof(SupervisionNotice)}, r.id::text, r.initiative_id, NULL,
                    jsonb_build_object('Id', r.id, 'AnswerDue', r.answer_due, 'DepartmentId', r.department_id, 'Escalated', r.escalated,
                        'InitiativeId', r.initiative_id, 'RaisedOn', r.raised_on, 'Reason', r.reason, 'Status', r.status)
                FROM raised r ORDER BY r.id
            )
            SELECT count(*)::int AS "Value" FROM raised
            """).ToListAsync(ct);
        await WriteStepsAsync(escalated: false, now, ct);
        return counts[0];
    }

    /// <summary>Notices left unanswered past their date escalate once (<see cref="SupervisionNotice.EscalateIfUnanswered"/>), set-based.</summary>
    private async Task<int> EscalateNoticesAsync(DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        var actor = SystemActor.Instance;
        var counts = await db.Database.SqlQuery<int>($"""
            WITH escalated AS (
                UPDATE supervision_notices n SET escalated = true
                WHERE n.status IN ({nameof(NoticeStatus.Raised)}, {nameof(NoticeStatus.Returned)}) AND NOT n.escalated AND n.answer_due < {today}
                RETURNING n.id, n.initiative_id
            ), noted AS (
                INSERT INTO sweep_notices (id, escalated) SELECT id, true FROM escalated
            ), audit AS (
                INSERT INTO audit_log (at, user_id, user_name, action, entity_type, entity_id, initiative_id, before, after)
                SELECT {now}, {actor.UserId}::text, {actor.UserName}, 'Updated', {nameof(SupervisionNotice)}, e.id::text, e.initiative_id,
                    {Json(nameof(SupervisionNotice.Escalated), false)}::jsonb, {Json(nameof(SupervisionNotice.Escalated), true)}::jsonb
                FROM escalated e ORDER BY e.id
            )
            SELECT count(*)::int AS "Value" FROM escalated
            """).ToListAsync(ct);
        await WriteStepsAsync(escalated: true, now, ct);
        return counts[0];
    }

    /// <summary>
    /// The step of each notice this sweep raised (or escalated) and its audit entry. A statement of its own, so that the
    /// steps' entries find their notices by key: joining two sets returned by one statement has no index to use.
    /// </summary>
    private async Task WriteStepsAsync(bool escalated, DateTimeOffset now, CancellationToken ct)
    {
        var actor = SystemActor.Instance;
        await db.Database.ExecuteSqlAsync($"""
            WITH steps AS (
                INSERT INTO notice_steps (notice_id, at, action, "by", text)
                SELECT n.id, {now}, {(escalated ? SupervisionNotice.EscalatedAction : nameof(NoticeStatus.Raised))}, {SupervisionNotice.SystemBy},
                    CASE WHEN k.escalated THEN format({SqlFormat(SupervisionNotice.UnansweredFormat)}, to_char(n.answer_due, 'YYYY-MM-DD')) ELSE n.reason END
                FROM sweep_notices k JOIN supervision_notices n ON n.id = k.id
                WHERE k.escalated = {escalated}
                ORDER BY n.id
                RETURNING id, notice_id, action, "by", text
            )
            INSERT INTO audit_log (at, user_id, user_name, action, entity_type, entity_id, initiative_id, before, after)
            SELECT {now}, {actor.UserId}::text, {actor.UserName}, 'Created', {nameof(NoticeStep)}, s.id::text, n.initiative_id, NULL,
                {Json(nameof(NoticeStep.At), now)}::jsonb || jsonb_build_object('Id', s.id, 'Action', s.action, 'By', s."by", 'NoticeId', s.notice_id, 'Text', s.text)
            FROM steps s JOIN supervision_notices n ON n.id = s.notice_id
            ORDER BY s.id
            """, ct);
    }

    /// <summary>A composite format of the domain ("{0} {1}") as a format string of SQL's format() ("%1$s %2$s").</summary>
    internal static string SqlFormat(string composite)
    {
        var sql = Regex.Replace(composite.Replace("%", "%%", StringComparison.Ordinal), @"\{(\d+)\}",
            m => $"%{int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1}$s");
        return sql.Contains('{', StringComparison.Ordinal) || sql.Contains('}', StringComparison.Ordinal)
            ? throw new ArgumentException($"Only plain {{n}} placeholders translate to SQL: {composite}", nameof(composite))
            : sql;
    }

    /// <summary>One field as the audit recorder writes it (System.Text.Json's form of a date and time, say).</summary>
    private static string Json(string name, object value) => JsonSerializer.Serialize(new Dictionary<string, object> { [name] = value });

    /// <summary>
    /// One digest per person listing all their items of the day, then one delivery per enabled channel. The
    /// lines come from the database sorted by person (a cursor read in pages), and each person's digest is
    /// written in batches once complete: memory holds one person and one batch, whatever the number of items.
    /// </summary>
    private async Task<(int Digests, List<long> Deliveries)> WriteDigestsAsync(DateOnly today, DateTimeOffset now, DateOnly changesMadeBy, CancellationToken ct)
    {
        // Per person: their lines as responsible person, leader in charge and department head (from level 2) in the
        // order of the deadlines, then the notices raised or escalated today, then their department's lines for an
        // official of the lead department (the department's reminder lines, then its notices); last, for supervisors, the
        // change requests on the items of their jurisdiction and below left undecided too long; then, for the officials of a
        // department that rectifies ledger rows on any item, its rows past their date; last, for the officials of a department
        // asked in an open dispatch round, how many of its items have not answered yet.
        await db.Database.ExecuteSqlAsync($"""
            DECLARE sweep_digest NO SCROLL CURSOR FOR
            WITH lines AS (
                SELECT r.reason, r.level, r.days, i.code, i.title, i.deadline, i.lead_department_id AS department_id,
                    i.responsible_person_email, i.responsible_person_name, i.leader_in_charge_email, i.leader_in_charge_name, d.head_email, d.head_name
                FROM reminders r
                JOIN initiatives i ON i.id = r.initiative_id
                JOIN departments d ON d.id = i.lead_department_id
                WHERE r.period = {today} AND r.status = {nameof(ReminderStatus.Open)}
            ), notices AS (
                SELECT n.reason AS notice_reason, n.answer_due, k.escalated, n.department_id, i.code,
                    i.leader_in_charge_email, i.leader_in_charge_name, d.head_email, d.head_name
                FROM sweep_notices k
                JOIN supervision_notices n ON n.id = k.id
                JOIN initiatives i ON i.id = n.initiative_id
                JOIN departments d ON d.id = i.lead_department_id
            ), changes AS (
                SELECT i.code, i.title, c.deadline, i.jurisdiction_path, (c.requested_at AT TIME ZONE {clock.Zone.Id})::date AS requested_on
                FROM change_requests c
                JOIN initiatives i ON i.id = c.initiative_id
                WHERE c.status = 'Pending' AND (c.requested_at AT TIME ZONE {clock.Zone.Id})::date <= {changesMadeBy}
            ), ledger AS (
                SELECT r.department_id, i.code, i.title, count(*)::int AS rows, min(coalesce(r.deadline, r.found_on)) AS due
                FROM ledger_rows r JOIN initiatives i ON i.id = r.initiative_id
                WHERE r.status IN ('Open', 'Rectifying') AND coalesce(r.deadline, r.found_on) < {today}
                  AND i.status IN ('Planned', 'InProgress')
                GROUP BY r.department_id, i.code, i.title
            ), waiting AS (
                SELECT c.department_id, r.title, r.due_at, c.items - c.on_time - c.late AS waiting
                FROM dispatch_rounds r JOIN dispatch_counts c ON c.round_id = r.id
                WHERE r.status = {nameof(DispatchStatus.Open)} AND c.items > c.on_time + c.late
            ), supervisors AS (
                SELECT u.email, u.display_name, j.path FROM users u
                JOIN jurisdictions j ON j.id = u.jurisdiction_id
                WHERE EXISTS (SELECT 1 FROM user_roles ur JOIN roles ro ON ro.id = ur.role_id WHERE ur.user_id = u.id AND ro.name = {Roles.Supervisor})
            ), officials AS (
                SELECT u.email, u.display_name, u.department_id FROM users u
                WHERE u.department_id IS NOT NULL
                  AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles ro ON ro.id = ur.role_id WHERE ur.user_id = u.id AND ro.name = {Roles.Official})
            ), addressed AS (
                SELECT l.responsible_person_email AS email, l.responsible_person_name AS name, 1 AS phase,
                    l.reason, l.level, l.days, l.code, l.title, l.deadline, NULL AS notice_reason, NULL::date AS answer_due, NULL::boolean AS escalated,
                    NULL::date AS requested_on, NULL::timestamptz AS due_at
                FROM lines l
                UNION ALL
                SELECT l.leader_in_charge_email, l.leader_in_charge_name, 1, l.reason, l.level, l.days, l.code, l.title, l.deadline, NULL, NULL, NULL, NULL, NULL
                FROM lines l WHERE l.level >= 2
                UNION ALL
                SELECT l.head_email, l.head_name, 1, l.reason, l.level, l.days, l.code, l.title, l.deadline, NULL, NULL, NULL, NULL, NULL
                FROM lines l WHERE l.level >= 2
                UNION ALL
                SELECT n.head_email, n.head_name, 2, NULL, NULL, NULL, n.code, NULL, NULL, n.notice_reason, n.answer_due, n.escalated, NULL, NULL
                FROM notices n
                UNION ALL
                SELECT n.leader_in_charge_email, n.leader_in_charge_name, 2, NULL, NULL, NULL, n.code, NULL, NULL, n.notice_reason, n.answer_due, n.escalated, NULL, NULL
                FROM notices n WHERE n.escalated
                UNION ALL
                SELECT o.email, o.display_name, 3, l.reason, l.level, l.days, l.code, l.title, l.deadline, NULL, NULL, NULL, NULL, NULL
                FROM lines l JOIN officials o ON o.department_id = l.department_id
                UNION ALL
                SELECT o.email, o.display_name, 4, NULL, NULL, NULL, n.code, NULL, NULL, n.notice_reason, n.answer_due, n.escalated, NULL, NULL
                FROM notices n JOIN officials o ON o.department_id = n.department_id
                UNION ALL
                SELECT s.email, s.display_name, 5, NULL, NULL, NULL, ch.code, ch.title, ch.deadline, NULL, NULL, NULL, ch.requested_on, NULL
                FROM changes ch JOIN supervisors s ON ch.jurisdiction_path LIKE s.path || '%'
                UNION ALL
                SELECT o.email, o.display_name, 6, {LedgerRowsLine}, l.rows, NULL, l.code, l.title, l.due, NULL, NULL, NULL, NULL, NULL
                FROM ledger l JOIN officials o ON o.department_id = l.department_id
                UNION ALL
                SELECT o.email, o.display_name, 7, {DispatchLine}, w.waiting, NULL, '', w.title, NULL, NULL, NULL, NULL, NULL, w.due_at
                FROM waiting w JOIN officials o ON o.department_id = w.department_id
            )
            SELECT email, name, phase, reason, level, days, code, title, deadline, notice_reason, answer_due, escalated, requested_on, due_at
            FROM addressed a
            WHERE btrim(email) <> ''
              -- A person's digest of the day is written once: a second sweep leaves out those already written.
              -- (a bulletin's copy, also in the inbox, is not a digest).
              AND NOT EXISTS (SELECT 1 FROM inbox_messages m WHERE m.period = {today} AND m.recipient_email = lower(btrim(a.email)) AND m.bulletin_id IS NULL AND m.dispatch_round_id IS NULL)
            ORDER BY lower(btrim(email)) COLLATE "C", phase, escalated, deadline, due_at, code, title, reason, level
            """, ct);

        var digest = new DigestBuilder(today);
        var pending = new List<DigestMessage>();
        int digests = 0;
        var deliveries = new List<long>();
        async Task WriteAsync(bool all)
        {
            if (pending.Count == 0 || (!all && pending.Count < MessageBatchSize))
                return;
            var (created, queued) = await WriteMessagesAsync(pending, today, now, ct);
            digests += created;
            deliveries.AddRange(queued);
            pending.Clear();
        }

        while (true)
        {
            var rows = await db.Database.SqlQueryRaw<DigestRow>($"FETCH {BatchSize} FROM sweep_digest").ToListAsync(ct);
            foreach (var row in rows)
            {
                var line = row.Reason == LedgerRowsLine
                    ? DigestBuilder.LedgerRowsLine(row.Code, row.Title!, row.Level!.Value, row.Deadline!.Value)
                    : row.Reason == DispatchLine
                    ? DigestBuilder.DispatchLine(row.Title!, row.Level!.Value, clock.Local(row.DueAt!.Value))
                    : row.RequestedOn is { } requestedOn
                    ? DigestBuilder.ChangeLine(row.Code, row.Title!, requestedOn, row.Deadline!.Value)
                    : row.NoticeReason is { } reason
                    ? DigestBuilder.NoticeLine(reason, row.AnswerDue!.Value, row.Escalated == true)
                    : DigestBuilder.Line(Enum.Parse<ReminderReason>(row.Reason!), row.Level!.Value, row.Days!.Value, row.Code, row.Title!, row.Deadline!.Value);
                if (digest.Add(row.Email, row.Name, line) is { } message)
                    pending.Add(message);
            }
            await WriteAsync(all: false);
            if (rows.Count < BatchSize)
                break;
        }
        if (digest.Finish() is { } last)
            pending.Add(last);
        await WriteAsync(all: true);
        await db.Database.ExecuteSqlRawAsync("CLOSE sweep_digest", ct);
        return (digests, deliveries);
    }

    private async Task<(int Created, List<long> Deliveries)> WriteMessagesAsync(
        List<DigestMessage> messages, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        var created = await db.Database.SqlQuery<long>($"""
            INSERT INTO inbox_messages (period, recipient_email, recipient_name, subject, body, item_count, created_at)
            SELECT {today}, t.email, t.name, t.subject, t.body, t.items, {now}
            FROM unnest({messages.Select(m => m.Email).ToArray()}, {messages.Select(m => m.Name).ToArray()},
                        {messages.Select(m => m.Subject).ToArray()}, {messages.Select(m => m.Body).ToArray()},
                        {messages.Select(m => m.Items).ToArray()}) AS t(email, name, subject, body, items)
            ON CONFLICT (period, recipient_email) WHERE bulletin_id IS NULL AND dispatch_round_id IS NULL DO NOTHING
            RETURNING id AS "Value"
            """).ToListAsync(ct);

        return (created.Count, await DeliveryRows.InsertAsync(db, created, options.Value.Channels(), ct));
    }

    /// <summary>One line of one person's digest, as the digest cursor gives it: a reminder, or a notice when NoticeReason is set.</summary>
    private sealed record DigestRow(
        string Email, string? Name, int Phase, string? Reason, int? Level, int? Days, string Code, string? Title, DateOnly? Deadline,
        string? NoticeReason, DateOnly? AnswerDue, bool? Escalated, DateOnly? RequestedOn, DateTimeOffset? DueAt);

    /// <summary>What the escalation ladder reads of one candidate item.</summary>
    private sealed class Candidate
    {
        public long Id { get; init; }
        public InitiativeStatus Status { get; init; }
        public DateOnly Deadline { get; init; }
        public DateOnly PlannedStart { get; init; }
        public DateOnly? NextMilestoneDue { get; init; }
        public DateOnly? LastReportedOn { get; init; }
        public bool Overdue { get; init; }
        public bool MilestoneOverdue { get; init; }
        public bool Silent { get; init; }
        public bool Lagging { get; init; }
        public bool LaggingRed { get; init; }
        public DateOnly? RedSince { get; init; }
        public DateOnly? LastDueSoonOn { get; init; }
        public DateOnly? OldestFollowUpDue { get; init; }
        public DateOnly? OldestLedgerRowDue { get; init; }

        // Days since the last report are counted as HealthRules.Evaluate counts them.
        public EscalationFacts Facts(HealthContext health) => new(
            Status, Deadline, PlannedStart, NextMilestoneDue, Overdue, MilestoneOverdue, Silent,
            LastReportedOn is { } last ? health.TodayNumber - last.DayNumber : null, Lagging, LaggingRed, LastDueSoonOn, OldestFollowUpDue, OldestLedgerRowDue);
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
