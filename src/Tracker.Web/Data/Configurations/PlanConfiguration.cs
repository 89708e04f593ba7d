using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Domain;

namespace Tracker.Web.Data.Configurations;

internal sealed class ChangeRequestConfiguration : IEntityTypeConfiguration<ChangeRequest>
{
    public void Configure(EntityTypeBuilder<ChangeRequest> b)
    {
        b.Property(r => r.RequestedBy).HasMaxLength(100);
        b.Property(r => r.Reason).HasMaxLength(2000);
        b.Property(r => r.DecidedBy).HasMaxLength(100);
        b.Property(r => r.Comment).HasMaxLength(2000);
        b.Property(r => r.Version).IsRowVersion();
        b.Property(r => r.Targets).AsJson();
        b.Property(r => r.Milestones).AsJson();
        b.HasOne<Initiative>().WithMany().HasForeignKey(r => r.InitiativeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Department>().WithMany().HasForeignKey(r => r.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(r => r.Evidence).WithOne().HasForeignKey(a => a.ChangeRequestId).OnDelete(DeleteBehavior.Restrict);
        // One request awaits a decision per item; the supervisors' queue reads the pending ones oldest first.
        b.HasIndex(r => r.InitiativeId, "ix_change_requests_pending").HasDatabaseName("ix_change_requests_pending").IsUnique().HasFilter("status = 'Pending'");
        b.HasIndex(r => new { r.InitiativeId, r.RequestedAt });
        b.HasIndex(r => new { r.RequestedAt, r.Id }, "ix_change_requests_queue").HasDatabaseName("ix_change_requests_queue").HasFilter("status = 'Pending'");
    }
}

internal sealed class PlanVersionConfiguration : IEntityTypeConfiguration<PlanVersion>
{
    public void Configure(EntityTypeBuilder<PlanVersion> b)
    {
        b.Property(v => v.RequestedBy).HasMaxLength(100);
        b.Property(v => v.DecidedBy).HasMaxLength(100);
        b.Property(v => v.Reason).HasMaxLength(2000);
        b.Property(v => v.Targets).AsJson();
        b.Property(v => v.Milestones).AsJson();
        b.HasOne<Initiative>().WithMany().HasForeignKey(v => v.InitiativeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ChangeRequest>().WithMany().HasForeignKey(v => v.ChangeRequestId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(v => new { v.InitiativeId, v.Number }).IsUnique();
    }
}

internal static class JsonColumns
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>A list of plan records kept as one jsonb value: read and written whole, never queried inside.</summary>
    public static PropertyBuilder<List<T>> AsJson<T>(this PropertyBuilder<List<T>> property) => property
        .HasColumnType("jsonb")
        .HasConversion(
            v => JsonSerializer.Serialize(v, Options),
            v => JsonSerializer.Deserialize<List<T>>(v, Options) ?? new List<T>(),
            new ValueComparer<List<T>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, x) => HashCode.Combine(h, x)), v => v.ToList()));
}
