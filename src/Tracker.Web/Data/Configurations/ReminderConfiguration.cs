using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Domain;
using Tracker.Web.Features.Reminders;

namespace Tracker.Web.Data.Configurations;

internal sealed class ReminderConfiguration : IEntityTypeConfiguration<Reminder>
{
    public void Configure(EntityTypeBuilder<Reminder> b)
    {
        // Partitioned by the year of the day the reminder is for (decision 0020).
        b.HasKey(r => new { r.Id, r.Period });
        b.Property(r => r.Id).ValueGeneratedOnAdd().UseIdentityByDefaultColumn();
        b.Property(r => r.Period).IsPartitionKey();
        // The key that makes a sweep idempotent: run twice, retried, or on two servers, nothing doubles. It holds the
        // partition column (period), as every unique index of a partitioned table must.
        b.HasIndex(r => new { r.InitiativeId, r.Reason, r.Level, r.Period }).IsUnique();
        b.HasIndex(r => new { r.Period, r.Status });
        b.HasIndex(r => new { r.InitiativeId, r.Reason }).HasFilter("status = 'Open'").HasDatabaseName("ix_reminders_open");
        b.HasOne<Initiative>().WithMany().HasForeignKey(r => r.InitiativeId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SupervisionNoticeConfiguration : IEntityTypeConfiguration<SupervisionNotice>
{
    public void Configure(EntityTypeBuilder<SupervisionNotice> b)
    {
        b.ToTable("supervision_notices");
        b.Property(n => n.Reason).HasMaxLength(500);
        // At most one open notice per item, even with two sweeps racing.
        b.HasIndex(n => n.InitiativeId).IsUnique().HasFilter("status <> 'Closed'").HasDatabaseName("ix_supervision_notices_open");
        b.HasIndex(n => new { n.DepartmentId, n.Status });
        b.HasIndex(n => n.InitiativeId, "ix_supervision_notices_escalated").HasFilter("escalated AND status <> 'Closed'").HasDatabaseName("ix_supervision_notices_escalated");
        b.HasOne<Initiative>().WithMany().HasForeignKey(n => n.InitiativeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Department>().WithMany().HasForeignKey(n => n.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(n => n.Steps).WithOne().HasForeignKey(s => s.NoticeId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class NoticeStepConfiguration : IEntityTypeConfiguration<NoticeStep>
{
    public void Configure(EntityTypeBuilder<NoticeStep> b)
    {
        b.Property(s => s.Action).HasMaxLength(32);
        b.Property(s => s.By).HasMaxLength(256);
        b.Property(s => s.Text).HasMaxLength(4000);
    }
}

internal sealed class InboxMessageConfiguration : IEntityTypeConfiguration<InboxMessage>
{
    public void Configure(EntityTypeBuilder<InboxMessage> b)
    {
        b.ToTable("inbox_messages");
        b.Property(m => m.RecipientEmail).HasMaxLength(256);
        b.Property(m => m.RecipientName).HasMaxLength(100);
        b.Property(m => m.Subject).HasMaxLength(300);
        // One digest per person per sweep day; one copy of a bulletin per person; one of each word of a dispatch round.
        b.HasIndex(m => new { m.Period, m.RecipientEmail }).IsUnique().HasFilter("bulletin_id IS NULL AND dispatch_round_id IS NULL");
        b.HasIndex(m => new { m.BulletinId, m.RecipientEmail }).IsUnique().HasFilter("bulletin_id IS NOT NULL");
        b.HasOne<Features.Bulletins.Bulletin>().WithMany().HasForeignKey(m => m.BulletinId).OnDelete(DeleteBehavior.Restrict);
        b.Property(m => m.DispatchNote).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(m => new { m.DispatchRoundId, m.DispatchNote, m.RecipientEmail }).IsUnique().HasFilter("dispatch_round_id IS NOT NULL");
        b.HasOne<Features.Dispatch.DispatchRound>().WithMany().HasForeignKey(m => m.DispatchRoundId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(m => new { m.RecipientEmail, m.Period });
    }
}

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> b)
    {
        b.Property(d => d.LastError).HasMaxLength(2000);
        b.HasIndex(d => new { d.MessageId, d.Channel }).IsUnique();
        b.HasIndex(d => d.Status).HasFilter("status = 'Pending'").HasDatabaseName("ix_deliveries_pending");
        // The delivery log: a page of one status, newest first, and the totals per state, both from this index alone.
        b.HasIndex(d => new { d.Status, d.Id }).IncludeProperties(d => new { d.Attempts, d.NextAttemptAt }).HasDatabaseName("ix_deliveries_status_id");
        b.HasOne(d => d.Message).WithMany().HasForeignKey(d => d.MessageId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany<DeliveryAttempt>().WithOne().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> b)
    {
        b.Property(a => a.Error).HasMaxLength(2000);
        b.HasIndex(a => a.DeliveryId);
    }
}

internal sealed class LaggingWatchConfiguration : IEntityTypeConfiguration<LaggingWatch>
{
    public void Configure(EntityTypeBuilder<LaggingWatch> b)
    {
        b.HasKey(w => w.InitiativeId);
        b.HasOne<Initiative>().WithMany().HasForeignKey(w => w.InitiativeId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CalendarDayConfiguration : IEntityTypeConfiguration<CalendarDay>
{
    public void Configure(EntityTypeBuilder<CalendarDay> b)
    {
        b.ToTable("calendar_days");
        b.HasKey(d => d.Day);
        b.Property(d => d.Name).HasMaxLength(50);
    }
}
