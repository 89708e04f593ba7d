using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Domain;

namespace Tracker.Web.Data.Configurations;

internal sealed class ProgressReportConfiguration : IEntityTypeConfiguration<ProgressReport>
{
    public void Configure(EntityTypeBuilder<ProgressReport> b)
    {
        // Partitioned by the year of the office day it was received (decision 0020): the key must hold that day.
        b.HasKey(r => new { r.Id, r.ReportedOn });
        b.Property(r => r.Id).ValueGeneratedOnAdd().UseIdentityByDefaultColumn();
        b.Property(r => r.ReportedOn).IsPartitionKey();
        b.Property(r => r.ReportedBy).HasMaxLength(100);
        b.Property(r => r.Narrative).HasMaxLength(4000);
        b.Property(r => r.Problems).HasMaxLength(4000);
        b.Property(r => r.NextSteps).HasMaxLength(4000);
        b.Property(r => r.Investment).HasPrecision(18, 2);
        b.HasOne<Initiative>().WithMany().HasForeignKey(r => r.InitiativeId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(r => r.Values).WithOne().HasForeignKey(v => new { v.ReportId, v.ReportedOn }).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(r => r.Attachments).WithOne().HasForeignKey(a => new { a.ReportId, a.ReportedOn }).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => new { r.InitiativeId, r.ReportedAt }).IsDescending(false, true);
    }
}

internal sealed class ReportValueConfiguration : IEntityTypeConfiguration<ReportValue>
{
    public void Configure(EntityTypeBuilder<ReportValue> b)
    {
        // Partitioned like its report, whose day it copies: the foreign key to a partitioned table must include it.
        b.HasKey(v => new { v.ReportId, v.ReportedOn, v.TargetId });
        b.Property(v => v.ReportedOn).IsPartitionKey();
        b.HasIndex(v => v.TargetId);
        b.HasOne<Target>().WithMany().HasForeignKey(v => v.TargetId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> b)
    {
        b.Property(a => a.FileName).HasMaxLength(255);
        b.Property(a => a.ContentType).HasMaxLength(100);
        b.Property(a => a.Sha256).HasMaxLength(64);
        b.HasIndex(a => new { a.ReportId, a.ReportedOn });
        b.HasIndex(a => a.InspectionId);
        b.HasIndex(a => a.ChangeRequestId);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_attachments_one_owner", "num_nonnulls(report_id, inspection_id, change_request_id, ledger_step_id) = 1");
            // A composite foreign key with one column null is not checked at all: the report's day comes with its id.
            t.HasCheckConstraint("ck_attachments_report_day", "(report_id IS NULL) = (reported_on IS NULL)");
        });
        b.HasOne(a => a.Content).WithOne().HasForeignKey<AttachmentContent>(c => c.AttachmentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AttachmentContentConfiguration : IEntityTypeConfiguration<AttachmentContent>
{
    public void Configure(EntityTypeBuilder<AttachmentContent> b) => b.HasKey(c => c.AttachmentId);
}
