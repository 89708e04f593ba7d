using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Domain;
using Tracker.Web.Features.Dispatch;

namespace Tracker.Web.Data.Configurations;

internal sealed class DispatchRoundConfiguration : IEntityTypeConfiguration<DispatchRound>
{
    public void Configure(EntityTypeBuilder<DispatchRound> b)
    {
        b.Property(x => x.Title).HasMaxLength(200);
        b.Property(x => x.Instructions).HasMaxLength(4000);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.CreatedBy).HasMaxLength(100);
        b.Property(x => x.CancelledBy).HasMaxLength(100);
        b.Property(x => x.Version).IsRowVersion();
        // A jurisdiction's rounds, newest first; the clock's work by status and instant.
        b.HasIndex(x => new { x.JurisdictionId, x.Id });
        b.HasIndex(x => new { x.Status, x.DueAt });
        // A weekly round has one successor, whatever retries or servers close it.
        b.HasIndex(x => x.PreviousId).IsUnique().HasFilter("previous_id IS NOT NULL");
        b.HasOne<Jurisdiction>().WithMany().HasForeignKey(x => x.JurisdictionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Department>().WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<DispatchRound>().WithMany().HasForeignKey(x => x.PreviousId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DispatchItemConfiguration : IEntityTypeConfiguration<DispatchItem>
{
    public void Configure(EntityTypeBuilder<DispatchItem> b)
    {
        b.HasKey(x => new { x.RoundId, x.InitiativeId });
        // A report looks for the rounds still waiting on its item.
        b.HasIndex(x => x.InitiativeId).HasFilter("answered_at IS NULL").HasDatabaseName("ix_dispatch_items_waiting");
        // A round's items not answered on time, by department then item.
        b.HasIndex(x => new { x.RoundId, x.DepartmentId, x.InitiativeId });
        b.HasOne<DispatchRound>().WithMany().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Initiative>().WithMany().HasForeignKey(x => x.InitiativeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Department>().WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        // No foreign key to the partitioned reports (decision 0020): it would need the report's day here too.
        b.HasIndex(x => x.ReportId);
    }
}

internal sealed class DispatchCountConfiguration : IEntityTypeConfiguration<DispatchCount>
{
    public void Configure(EntityTypeBuilder<DispatchCount> b)
    {
        b.HasKey(x => new { x.RoundId, x.DepartmentId });
        b.HasOne<DispatchRound>().WithMany().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Department>().WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Restrict);
    }
}
