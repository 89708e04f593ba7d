using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Domain;
using Tracker.Web.Features.Audit;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>The sweep raises and escalates notices set-based; their steps and audit entries must read as if saved through EF.</summary>
public sealed class SweepNoticeAuditTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task Notices_raised_and_escalated_by_the_sweep_are_audited_as_the_recorder_audits_a_notice_saved_by_hand_and_a_second_sweep_adds_nothing()
    {
        var place = await app.NewPlaceAsync();
        var clock = app.Services.GetRequiredService<OfficeClock>();
        var (today, now) = (clock.Today, clock.Now);
        long overdue, byHand, escalatedByHand;
        await using (var db = app.Db())
        {
            // One item 20 days overdue (a notice at level 3); two on time, for the notices saved by hand.
            var ids = await db.Database.SqlQuery<long>($"""
                INSERT INTO initiatives (code, title, description, year, kind, jurisdiction_id, lead_department_id, planned_start, deadline,
                    reporting_interval, status, phase, progress, is_published, created_at, updated_at, leader_in_charge_name, responsible_person_name,
                    responsible_person_email, last_reported_at, last_reported_on)
                SELECT 'AUDIT-' || n, '审计事项 ' || n, '', 2026, 'KeyProject', {place.CountyId}, {place.CountyDepartmentId},
                    DATE '2026-01-01', CASE n WHEN 1 THEN {today.AddDays(-20)} ELSE {today.AddDays(100)} END, 'Monthly', 'InProgress', 'Started', 1,
                    false, now(), now(), '领导', '责任人', 'audit' || n || '@example.gov.cn', {now}, {today}
                FROM generate_series(1, 3) AS n ORDER BY n
                RETURNING id AS "Value"
                """).ToListAsync();
            (overdue, byHand, escalatedByHand) = (ids[0], ids[1], ids[2]);

            db.Notices.Add(SupervisionNotice.Raise(byHand, place.CountyDepartmentId, "by hand", today, today.AddDays(5), now));
            db.Notices.Add(SupervisionNotice.Raise(escalatedByHand, place.CountyDepartmentId, "late", today.AddDays(-10), today.AddDays(-1), now));
            await db.SaveChangesAsync();
        }
        await using (var db = app.Db())
        {
            var late = await db.Notices.Include(n => n.Steps).SingleAsync(n => n.InitiativeId == escalatedByHand);
            Assert.True(late.EscalateIfUnanswered(today, now));
            await db.SaveChangesAsync();
        }

        var first = await app.SweepAsync();

        Assert.Equal(1, first.NoticesRaised);
        Assert.Equal(0, first.NoticesEscalated);
        var raised = await EntriesAsync(overdue);
        var hand = await EntriesAsync(byHand);
        var reason = SupervisionNotice.SweepReason(ReminderReason.Overdue, "AUDIT-1", "审计事项 1", 20);
        var noticeId = await NoticeOf(overdue);
        AssertLike(hand.Single(e => e.EntityType == nameof(SupervisionNotice)), raised.Single(e => e.EntityType == nameof(SupervisionNotice)),
            overdue, noticeId, new() { ["Id"] = noticeId, ["InitiativeId"] = overdue, ["Reason"] = reason });
        var raisedStep = raised.Single(e => e.EntityType == nameof(NoticeStep));
        AssertLike(hand.Single(e => e.EntityType == nameof(NoticeStep)), raisedStep,
            overdue, long.Parse(raisedStep.EntityId), new() { ["Id"] = long.Parse(raisedStep.EntityId), ["NoticeId"] = noticeId, ["Text"] = reason });

        var counts = await CountsAsync();
        var again = await app.SweepAsync();
        Assert.Equal((0, 0), (again.NoticesRaised, again.NoticesEscalated));
        Assert.Equal(counts, await CountsAsync());

        // Six days on the answer is a day late: the sweep escalates the notice as EscalateIfUnanswered did by hand.
        app.Clock.Advance(TimeSpan.FromDays(6));
        var escalation = await app.SweepAsync();

        Assert.Equal(2, escalation.NoticesEscalated);   // the overdue item's, and the one raised by hand that day
        var escalated = (await EntriesAsync(overdue)).Where(e => e.Id > raised.Max(r => r.Id)).ToList();
        var lateEntries = await EntriesAsync(escalatedByHand);
        AssertLike(lateEntries.Single(e => e.EntityType == nameof(SupervisionNotice) && e.Action == "Updated"),
            escalated.Single(e => e.EntityType == nameof(SupervisionNotice)), overdue, noticeId, []);
        var escalationStep = escalated.Single(e => e.EntityType == nameof(NoticeStep));
        AssertLike(lateEntries.Last(e => e.EntityType == nameof(NoticeStep)), escalationStep, overdue, long.Parse(escalationStep.EntityId), new()
        {
            ["Id"] = long.Parse(escalationStep.EntityId),
            ["NoticeId"] = noticeId,
            ["At"] = JsonSerializer.SerializeToNode(clock.Now),
            ["Text"] = SupervisionNotice.UnansweredText(today.AddDays(5)),
        });

        counts = await CountsAsync();
        await app.SweepAsync();
        Assert.Equal(counts, await CountsAsync());
    }

    /// <summary>The entry the sweep wrote reads as the one the recorder wrote, once the fields that belong to the other notice are swapped.</summary>
    private static void AssertLike(AuditEntry recorded, AuditEntry swept, long initiativeId, long entityId, Dictionary<string, JsonNode?> own)
    {
        Assert.Equal((recorded.Action, recorded.UserId, recorded.UserName), (swept.Action, swept.UserId, swept.UserName));
        Assert.Equal(initiativeId, swept.InitiativeId);
        Assert.Equal(entityId.ToString(), swept.EntityId);
        Assert.True(JsonNode.DeepEquals(Parse(recorded.Before), Parse(swept.Before)), $"{recorded.Before} ≠ {swept.Before}");
        var expected = Parse(recorded.After)!.AsObject();
        foreach (var (name, value) in own)
            expected[name] = value?.DeepClone();
        Assert.True(JsonNode.DeepEquals(expected, Parse(swept.After)), $"{expected.ToJsonString()} ≠ {swept.After}");
    }

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);

    private async Task<List<AuditEntry>> EntriesAsync(long initiativeId)
    {
        await using var db = app.Db();
        return await db.AuditLog.Where(e => e.InitiativeId == initiativeId && (e.EntityType == nameof(SupervisionNotice) || e.EntityType == nameof(NoticeStep)))
            .OrderBy(e => e.Id).AsNoTracking().ToListAsync();
    }

    private async Task<long> NoticeOf(long initiativeId)
    {
        await using var db = app.Db();
        return await db.Notices.Where(n => n.InitiativeId == initiativeId).Select(n => n.Id).SingleAsync();
    }

    private async Task<(int Audit, int Steps, int Notices)> CountsAsync()
    {
        await using var db = app.Db();
        return (await db.AuditLog.CountAsync(), await db.NoticeSteps.CountAsync(), await db.Notices.CountAsync());
    }
}
