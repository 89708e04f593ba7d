using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Audit;

namespace Tracker.Web.Data.Configurations;

internal sealed class TrackerUserConfiguration : IEntityTypeConfiguration<TrackerUser>
{
    public void Configure(EntityTypeBuilder<TrackerUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(100);
        b.HasOne<Department>().WithMany().HasForeignKey(u => u.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Jurisdiction>().WithMany().HasForeignKey(u => u.JurisdictionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> b)
    {
        b.ToTable("user_sessions");
        // Every authenticated request looks its session up by this key.
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.UserId).HasMaxLength(450);
        b.Property(s => s.EndedBy).HasMaxLength(450);
        // A user's sessions, newest first, and "end all of them" (user_id = … AND ended_at IS NULL).
        b.HasIndex(s => new { s.UserId, s.CreatedAt });
        b.HasOne<TrackerUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_log");
        // Partitioned by the UTC year of the entry's time (decision 0020).
        b.HasKey(a => new { a.Id, a.At });
        b.Property(a => a.Id).ValueGeneratedOnAdd().UseIdentityByDefaultColumn();
        b.Property(a => a.At).IsPartitionKey();
        b.Property(a => a.UserId).HasMaxLength(450);
        b.Property(a => a.UserName).HasMaxLength(256);
        b.Property(a => a.Action).HasMaxLength(16);
        b.Property(a => a.EntityType).HasMaxLength(64);
        b.Property(a => a.EntityId).HasMaxLength(200);
        b.Property(a => a.Before).HasColumnType("jsonb");
        b.Property(a => a.After).HasColumnType("jsonb");
        b.HasIndex(a => new { a.InitiativeId, a.At });
        b.HasIndex(a => new { a.EntityType, a.EntityId, a.At });
        b.HasIndex(a => new { a.UserId, a.At });
        b.HasIndex(a => a.At);
    }
}

internal sealed class SavedFilterConfiguration : IEntityTypeConfiguration<Features.Lists.SavedFilter>
{
    public void Configure(EntityTypeBuilder<Features.Lists.SavedFilter> b)
    {
        b.ToTable("saved_filters");
        b.Property(f => f.UserId).HasMaxLength(450);
        b.Property(f => f.List).HasMaxLength(16);
        b.Property(f => f.Name).HasMaxLength(Features.Lists.SavedFilterValidator.NameLength);
        b.Property(f => f.Query).HasMaxLength(Features.Lists.SavedFilterValidator.QueryLength);
        // A person's filters of one list, by name: the list read, the name kept unique, and the count per person.
        b.HasIndex(f => new { f.UserId, f.List, f.Name }).IsUnique();
        b.HasOne<TrackerUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
