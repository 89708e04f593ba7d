using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

public sealed class SweepScaleTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task A_sweep_over_several_batches_of_items_records_every_reminder_and_notice()
    {
        var place = await app.NewPlaceAsync();
        await using (var db = app.Db())
        {
            // 4,500 items overdue by 1 to 30 days (more than two of the sweep's 2,000-item pages), reported yesterday.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO initiatives (code, title, description, year, kind, jurisdiction_id, lead_department_id, planned_start, deadline,
                    reporting_interval, status, phase, progress, is_published, created_at, updated_at, leader_in_charge_name, responsible_person_name,
                    responsible_person_email, last_reported_at, last_reported_on)
                SELECT 'BULK-' || n, '批量事项 ' || n, '', 2026, 'KeyProject', {place.CountyId}, {place.CountyDepartmentId},
                    DATE '2026-01-01', DATE '2026-06-15' - (1 + n % 30), 'Monthly', 'InProgress', 'Started', 1, false, now(), now(),
                    '领导', '责任人', 'bulk' || (n % 50) || '@example.gov.cn', TIMESTAMPTZ '2026-06-14 02:00Z', DATE '2026-06-14'
                FROM generate_series(1, 4500) AS n
                """);
        }

        var result = await app.SweepAsync();

        await using var check = app.Db();
        Assert.Equal(4500, result.Candidates);
        Assert.Equal(4500, await check.Reminders.CountAsync(r => r.Reason == ReminderReason.Overdue));
        // Overdue 15 days or more (16 of every 30 items) raises a notice.
        Assert.Equal(2400, result.NoticesRaised);
        Assert.Equal(2400, await check.Notices.CountAsync());
        Assert.Equal(2400 * 2, await check.AuditLog.CountAsync(e => e.EntityType == "SupervisionNotice" || e.EntityType == "NoticeStep"));
        Assert.Equal(50, await check.Inbox.CountAsync(m => m.RecipientEmail.StartsWith("bulk")));
    }
}
