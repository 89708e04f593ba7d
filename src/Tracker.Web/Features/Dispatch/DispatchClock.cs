using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Reminders;

namespace Tracker.Web.Features.Dispatch;

/// <summary>
/// Opens a round: its items fixed (the jurisdiction's active items matching its filter, each with its lead department,
/// set-based) with each department's kept count, and a word to every official of each department asked, listing that
/// department's items. Also the reminder before the due time, to the officials of the departments still owing answers.
/// Each word goes to a person once per round (a unique key), so a second run writes nothing.
/// </summary>
public sealed class DispatchOpening(TrackerDbContext db, OfficeClock clock, IOptions<ReminderOptions> options, IBackgroundJobClient jobs)
{
    /// <summary>How many of a department's items a message lists by name; the rest are counted.</summary>
    private const int Named = 50;

    /// <summary>A round of this many items or more refreshes the planner's statistics of the rounds' tables.</summary>
    private const int AnalyzeAfter = 10_000;

    /// <summary>Opens the round (stored and tracked, in the caller's transaction); returns the deliveries to queue after the commit.</summary>
    public async Task<IReadOnlyList<long>> OpenAsync(DispatchRound round, CancellationToken ct)
    {
        var path = await db.Jurisdictions.Where(j => j.Id == round.JurisdictionId).Select(j => j.Path).SingleAsync(ct);
        var kind = round.Kind?.ToString();
        var asked = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO dispatch_items (round_id, initiative_id, department_id)
            SELECT {round.Id}, i.id, i.lead_department_id FROM initiatives i
            WHERE i.jurisdiction_path LIKE {path + "%"} AND i.status IN ('Planned', 'InProgress')
              AND ({kind}::text IS NULL OR i.kind = {kind}::text) AND ({round.DepartmentId}::int IS NULL OR i.lead_department_id = {round.DepartmentId}::int)
            ON CONFLICT DO NOTHING
            """, ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO dispatch_counts (round_id, department_id, items, on_time, late)
            SELECT {round.Id}, department_id, count(*), 0, 0 FROM dispatch_items WHERE round_id = {round.Id} GROUP BY department_id
            ON CONFLICT DO NOTHING
            """, ct);
        // A large round changes the table more than its statistics know until autovacuum comes by: without this, the
        // round's first readers get plans made for a small one (a sort of every item, not an index scan cut at 100).
        if (asked >= AnalyzeAfter)
            await db.Database.ExecuteSqlRawAsync("ANALYZE dispatch_items, dispatch_counts", ct);
        round.Status = DispatchStatus.Open;
        round.OpenedAt = clock.Now;
        await db.SaveChangesAsync(ct);
        return await TellAsync(round, DispatchNote.Opened, ct);
    }

    /// <summary>The reminder before the due time, to the departments with items not yet answered.</summary>
    public Task<IReadOnlyList<long>> RemindAsync(DispatchRound round, CancellationToken ct) => TellAsync(round, DispatchNote.DueSoon, ct);

    /// <summary>Queues the deliveries of words written (after their commit: a job never looks for a row not there yet).</summary>
    public void Queue(IEnumerable<long> deliveries)
    {
        foreach (var delivery in deliveries)
            DeliveryJob.Enqueue(jobs, delivery);
    }

    private async Task<IReadOnlyList<long>> TellAsync(DispatchRound round, DispatchNote note, CancellationToken ct)
    {
        var due = clock.Local(round.DueAt);
        var (subject, opening) = note == DispatchNote.Opened
            ? ($"【调度】{round.Title}（{due:MM-dd HH:mm} 前报送）", $"请于 {due:yyyy-MM-dd HH:mm} 前报送以下事项的进展{(round.FiguresRequired ? "（须填报各项指标完成值）" : "")}。")
            : ($"【调度催报】{round.Title} 将于 {due:HH:mm} 截止", $"调度将于 {due:yyyy-MM-dd HH:mm} 截止，以下事项尚未报送，请抓紧报送。");
        var head = round.Instructions.Length == 0 ? $"{opening}\n\n" : $"{opening}\n要求：{round.Instructions}\n\n";
        var onlyWaiting = note == DispatchNote.DueSoon;
        var noteName = note.ToString();
        var now = clock.Now;
        // Per department: its items (the first ones by code named), then one message per official of it.
        var messages = await db.Database.SqlQuery<long>($"""
            WITH asked AS (
                SELECT d.department_id, count(*)::int AS items,
                    array_to_string((array_agg('  • ' || i.code || ' ' || i.title ORDER BY i.code))[1:{Named}], E'\n') AS lines
                FROM dispatch_items d JOIN initiatives i ON i.id = d.initiative_id
                WHERE d.round_id = {round.Id} AND (NOT {onlyWaiting} OR d.answered_at IS NULL)
                GROUP BY d.department_id
            )
            INSERT INTO inbox_messages (period, recipient_email, recipient_name, subject, body, item_count, created_at, dispatch_round_id, dispatch_note)
            SELECT {clock.Today}, lower(u.email), coalesce(nullif(u.display_name, ''), u.email), {subject},
                coalesce(nullif(u.display_name, ''), u.email) || E'：\n\n' || {head} || a.lines
                    || CASE WHEN a.items > {Named} THEN format(E'\n  …… 共 %s 项', a.items) ELSE '' END,
                a.items, {now}, {round.Id}, {noteName}
            FROM asked a JOIN users u ON u.department_id = a.department_id
            WHERE u.email IS NOT NULL AND (u.lockout_end IS NULL OR u.lockout_end < {now})
              AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.name = {Roles.Official})
            ON CONFLICT (dispatch_round_id, dispatch_note, recipient_email) WHERE dispatch_round_id IS NOT NULL DO NOTHING
            RETURNING id AS "Value"
            """).ToListAsync(ct);
        return await DeliveryRows.InsertAsync(db, messages, options.Value.Channels(), ct);
    }
}

/// <summary>
/// The rounds' clock, a recurring job every few minutes: closes the rounds that fell due (and sets up the next of a
/// weekly series), opens those whose time has come, and reminds the departments still owing answers two hours before the
/// due time. Under one advisory lock and one transaction, keyed by the rounds' own state, so a retry, a second server or
/// a run after an outage does each thing once.
/// </summary>
public sealed class DispatchClock(TrackerDbContext db, OfficeClock clock, DispatchOpening opening, ILogger<DispatchClock> logger)
{
    public const string JobId = "dispatch-clock";
    private const long ClockLock = 0x6469_7370_6100; // "dispa"

    public sealed record Tick(int Closed, int Opened, int Reminded);

    [JobDisplayName("Dispatch rounds: open, remind, close")]
    public async Task<Tick> RunAsync(CancellationToken ct)
    {
        var now = clock.Now;
        var deliveries = new List<long>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ClockLock})", ct);

        var closing = await db.DispatchRounds.Where(r => r.Status == DispatchStatus.Open && r.DueAt <= now).OrderBy(r => r.Id).ToListAsync(ct);
        foreach (var round in closing)
        {
            round.Status = DispatchStatus.Closed;
            round.ClosedAt = now;
            if (round.Weekly && !await db.DispatchRounds.AnyAsync(r => r.PreviousId == round.Id, ct))
            {
                var (opens, due) = DispatchRules.Next(round.OpensAt, round.DueAt);
                db.DispatchRounds.Add(new DispatchRound
                {
                    JurisdictionId = round.JurisdictionId,
                    Title = round.Title,
                    Instructions = round.Instructions,
                    Kind = round.Kind,
                    DepartmentId = round.DepartmentId,
                    FiguresRequired = round.FiguresRequired,
                    Weekly = true,
                    PreviousId = round.Id,
                    OpensAt = opens,
                    DueAt = due,
                    Status = DispatchStatus.Scheduled,
                    CreatedBy = round.CreatedBy,
                    CreatedAt = now,
                });
            }
        }
        await db.SaveChangesAsync(ct);

        // A round whose due time passed while the service was down opens and closes on the next run, its items told late.
        var opened = await db.DispatchRounds.Where(r => r.Status == DispatchStatus.Scheduled && r.OpensAt <= now).OrderBy(r => r.Id).ToListAsync(ct);
        foreach (var round in opened)
            deliveries.AddRange(await opening.OpenAsync(round, ct));

        // Due within the reminder's lead (DispatchRules.RemindAt), not yet due.
        var remindFrom = now + DispatchRules.ReminderLead;
        var reminding = await db.DispatchRounds.Where(r => r.Status == DispatchStatus.Open && r.RemindedAt == null && r.DueAt > now && r.DueAt <= remindFrom)
            .OrderBy(r => r.Id).ToListAsync(ct);
        foreach (var round in reminding)
        {
            deliveries.AddRange(await opening.RemindAsync(round, ct));
            round.RemindedAt = now;
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        opening.Queue(deliveries);

        var tick = new Tick(closing.Count, opened.Count, reminding.Count);
        if (tick != new Tick(0, 0, 0))
            logger.LogInformation("Dispatch {Tick}", tick);
        return tick;
    }
}

/// <summary>
/// A progress report answers the oldest round still waiting on its item that takes it (<see cref="DispatchRules.Accepts"/>:
/// opened before the report, due no more than the late window ago; a round that asks for figures only by a report that
/// carries some). Called by <see cref="Progress.SubmitReport"/> in its transaction.
/// </summary>
public static class DispatchAnswers
{
    public static Task<int> RecordAsync(TrackerDbContext db, long initiativeId, long reportId, DateTimeOffset at, bool withFigures, CancellationToken ct)
    {
        var dueSince = at - DispatchRules.LateWindow;
        // The item's answer and its department's count in one statement (on time by the due instant, late after it).
        return db.Database.ExecuteSqlAsync($"""
            WITH answered AS (
                UPDATE dispatch_items d SET answered_at = {at}, report_id = {reportId}
                FROM (SELECT w.round_id, r.due_at FROM dispatch_items w JOIN dispatch_rounds r ON r.id = w.round_id
                      WHERE w.initiative_id = {initiativeId} AND w.answered_at IS NULL
                        AND r.status IN ('Open', 'Closed') AND r.opened_at <= {at} AND r.due_at >= {dueSince}
                        AND ({withFigures} OR NOT r.figures_required)
                      ORDER BY r.due_at, r.id LIMIT 1) AS oldest
                WHERE d.round_id = oldest.round_id AND d.initiative_id = {initiativeId}
                RETURNING d.round_id, d.department_id, oldest.due_at
            )
            UPDATE dispatch_counts c
            SET on_time = c.on_time + CASE WHEN {at} <= a.due_at THEN 1 ELSE 0 END,
                late = c.late + CASE WHEN {at} > a.due_at THEN 1 ELSE 0 END
            FROM answered a WHERE c.round_id = a.round_id AND c.department_id = a.department_id
            """, ct);
    }
}
