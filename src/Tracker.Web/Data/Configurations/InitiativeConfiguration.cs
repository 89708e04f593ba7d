using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Domain;

namespace Tracker.Web.Data.Configurations;

internal sealed class InitiativeConfiguration : IEntityTypeConfiguration<Initiative>
{
    // Active items are what supervisors chase; partial indexes keep those lists small and sorted.
    private const string ActiveFilter = "status IN ('Planned', 'InProgress')";

    public void Configure(EntityTypeBuilder<Initiative> b)
    {
        b.Property(i => i.Code).HasMaxLength(64);
        b.Property(i => i.Title).HasMaxLength(300);
        b.Property(i => i.Description).HasMaxLength(4000);
        b.Property(i => i.Budget).HasPrecision(18, 2);
        b.Property(i => i.Version).IsRowVersion();
        b.ComplexProperty(i => i.LeaderInCharge, Contact);
        b.ComplexProperty(i => i.ResponsiblePerson, Contact);

        b.HasOne(i => i.Jurisdiction).WithMany().HasForeignKey(i => i.JurisdictionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(i => i.LeadDepartment).WithMany().HasForeignKey(i => i.LeadDepartmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(i => i.CoDepartments).WithOne().HasForeignKey(c => c.InitiativeId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(i => i.Targets).WithOne().HasForeignKey(t => t.InitiativeId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(i => i.Milestones).WithOne().HasForeignKey(m => m.InitiativeId).OnDelete(DeleteBehavior.Cascade);

        b.HasIndex(i => new { i.JurisdictionId, i.Year, i.Code }).IsUnique();
        b.HasIndex(i => new { i.JurisdictionId, i.Deadline });
        b.HasIndex(i => new { i.LeadDepartmentId, i.Deadline });
        b.HasIndex(i => new { i.Year, i.Deadline });
        b.HasIndex(i => i.Deadline).HasDatabaseName("ix_initiatives_active_deadline").HasFilter(ActiveFilter);
        b.HasIndex(i => new { i.JurisdictionId, i.Deadline }).HasDatabaseName("ix_initiatives_active_jurisdiction_deadline").HasFilter(ActiveFilter);
        b.HasIndex(i => i.Title).HasMethod("gin").HasOperators("gin_trgm_ops");
        b.HasIndex(i => i.Code).HasMethod("gin").HasOperators("gin_trgm_ops");
    }

    private static void Contact(ComplexPropertyBuilder<Contact> c)
    {
        c.Property(p => p.Name).HasMaxLength(100);
        c.Property(p => p.Title).HasMaxLength(100);
        c.Property(p => p.Phone).HasMaxLength(40);
        c.Property(p => p.Email).HasMaxLength(200);
    }
}

internal sealed class InitiativeCoDepartmentConfiguration : IEntityTypeConfiguration<InitiativeCoDepartment>
{
    public void Configure(EntityTypeBuilder<InitiativeCoDepartment> b)
    {
        b.HasKey(c => new { c.InitiativeId, c.DepartmentId });
        b.HasIndex(c => c.DepartmentId);
        b.HasOne(c => c.Department).WithMany().HasForeignKey(c => c.DepartmentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TargetConfiguration : IEntityTypeConfiguration<Target>
{
    public void Configure(EntityTypeBuilder<Target> b)
    {
        b.Property(t => t.Metric).HasMaxLength(200);
        b.Property(t => t.Unit).HasMaxLength(32);
        b.Ignore(t => t.Reported);
        b.Ignore(t => t.Completion);
    }
}

internal sealed class MilestoneConfiguration : IEntityTypeConfiguration<Milestone>
{
    public void Configure(EntityTypeBuilder<Milestone> b) => b.Property(m => m.Name).HasMaxLength(200);
}
