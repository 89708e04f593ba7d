using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Domain;
using Tracker.Web.Features.Initiatives;

namespace Tracker.Web.Data.Configurations;

internal sealed class InitiativeConfiguration : IEntityTypeConfiguration<Initiative>
{
    // Active items are what supervisors chase; partial indexes keep those lists small and sorted.
    private const string ActiveFilter = "status IN ('Planned', 'InProgress')";
    // HealthRules.Flagged, as kept on the row.
    internal const string FlaggedFilter = "overdue OR milestone_overdue OR silent OR lagging";

    public void Configure(EntityTypeBuilder<Initiative> b)
    {
        b.Property(i => i.Code).HasMaxLength(64);
        b.Property(i => i.Title).HasMaxLength(300);
        b.Property(i => i.Description).HasMaxLength(4000);
        b.Property(i => i.Budget).HasPrecision(18, 2);
        b.Property(i => i.Weight).HasPrecision(9, 4).HasDefaultValue(1m);
        // A parent is not deleted from under its children; its children are found by this index.
        b.HasOne<Initiative>().WithMany().HasForeignKey(i => i.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(i => i.ParentId).HasFilter("parent_id IS NOT NULL");
        b.HasOne(i => i.KeyProject).WithOne().HasForeignKey<KeyProjectFacts>(k => k.InitiativeId).OnDelete(DeleteBehavior.Cascade);
        b.Property(i => i.Version).IsRowVersion();
        b.ComplexProperty(i => i.LeaderInCharge, Contact);
        b.ComplexProperty(i => i.ResponsiblePerson, Contact);

        b.HasOne(i => i.Jurisdiction).WithMany().HasForeignKey(i => i.JurisdictionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(i => i.LeadDepartment).WithMany().HasForeignKey(i => i.LeadDepartmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(i => i.CoDepartments).WithOne().HasForeignKey(c => c.InitiativeId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(i => i.Targets).WithOne().HasForeignKey(t => t.InitiativeId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(i => i.Milestones).WithOne().HasForeignKey(m => m.InitiativeId).OnDelete(DeleteBehavior.Cascade);

        // Written by the database (trigger set_initiative_jurisdiction_path) and read back on every insert and update.
        b.Property(i => i.JurisdictionPath).HasMaxLength(200).ValueGeneratedOnAddOrUpdate();
        b.Property(i => i.ExpectedProgress).HasPrecision(9, 4);
        b.Property(i => i.ProgressByMonth).HasColumnType("numeric(9,4)[]").HasDefaultValueSql("array_fill(0::numeric, ARRAY[12])");

        // Lists are read a page at a time in (deadline, id) order, in one of three scopes: everything the viewer reads
        // (walked in order, the scope a cheap filter on the kept path), a jurisdiction's subtree or a department.
        b.HasIndex(i => new { i.JurisdictionId, i.Year, i.Code }).IsUnique();
        b.HasIndex(i => new { i.Deadline, i.Id }, "ix_initiatives_deadline_id").HasDatabaseName("ix_initiatives_deadline_id");
        b.HasIndex(i => new { i.JurisdictionId, i.Deadline, i.Id }, "ix_initiatives_jurisdiction_deadline_id").HasDatabaseName("ix_initiatives_jurisdiction_deadline_id");
        b.HasIndex(i => new { i.LeadDepartmentId, i.Deadline, i.Id }, "ix_initiatives_department_deadline_id").HasDatabaseName("ix_initiatives_department_deadline_id");
        b.HasIndex(i => new { i.JurisdictionPath, i.Deadline, i.Id }, "ix_initiatives_path_deadline_id").HasDatabaseName("ix_initiatives_path_deadline_id").HasOperators("text_pattern_ops", "date_ops", "int8_ops");
        // The board: what needs pressing, most overdue first; a few percent of the items.
        b.HasIndex(i => new { i.Deadline, i.Id }, "ix_initiatives_flagged_deadline_id").HasDatabaseName("ix_initiatives_flagged_deadline_id").HasFilter(FlaggedFilter);
        b.HasIndex(i => new { i.JurisdictionId, i.Deadline, i.Id }, "ix_initiatives_flagged_jurisdiction_deadline_id").HasDatabaseName("ix_initiatives_flagged_jurisdiction_deadline_id").HasFilter(FlaggedFilter);
        b.HasIndex(i => new { i.LeadDepartmentId, i.Deadline, i.Id }, "ix_initiatives_flagged_department_deadline_id").HasDatabaseName("ix_initiatives_flagged_department_deadline_id").HasFilter(FlaggedFilter);
        b.HasIndex(i => i.Deadline, "ix_initiatives_active_deadline").HasDatabaseName("ix_initiatives_active_deadline").HasFilter(ActiveFilter);
        // The public pages: published items (the deputies' items only), a small share, in deadline order.
        b.HasIndex(i => new { i.Deadline, i.Id }, "ix_initiatives_published_deadline_id").HasDatabaseName("ix_initiatives_published_deadline_id")
            .HasFilter("is_published");
        // The deputies' roll-up counts voted items of other kinds than livelihood from their rows: a few per jurisdiction and year.
        b.HasIndex(i => new { i.Year, i.JurisdictionPath }, "ix_initiatives_voted_year_path").HasDatabaseName("ix_initiatives_voted_year_path")
            .HasOperators("int4_ops", "text_pattern_ops").HasFilter("is_voted AND kind <> 'Livelihood'");
        // The day's refresh finds the rows not yet of today.
        b.HasIndex(i => i.HealthOn);
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

internal sealed class ItemCountConfiguration : IEntityTypeConfiguration<ItemCount>
{
    public void Configure(EntityTypeBuilder<ItemCount> b)
    {
        b.HasKey(c => new { c.JurisdictionId, c.DepartmentId, c.Kind, c.Year });
        b.Property(c => c.JurisdictionPath).HasMaxLength(200);
        b.Property(c => c.ProgressSum).HasPrecision(18, 4);
        b.HasIndex(c => new { c.Year, c.JurisdictionPath }).HasOperators("int4_ops", "text_pattern_ops");
        b.HasIndex(c => new { c.DepartmentId, c.Year });
    }
}

// The roll-ups' generated columns and indexes: each list walks its index in the order it shows and stops at the page.
internal sealed class DepartmentYearCountConfiguration : IEntityTypeConfiguration<DepartmentYearCount>
{
    public void Configure(EntityTypeBuilder<DepartmentYearCount> b)
    {
        b.ToTable("department_counts");
        b.HasKey(c => new { c.DepartmentId, c.Year });
        b.Property(c => c.DepartmentName).HasMaxLength(200);
        b.Property(c => c.Path).HasMaxLength(200);
        b.Property(c => c.ProgressSum).HasPrecision(18, 4);
        b.Property(c => c.HasDue).HasComputedColumnSql("due > 0", stored: true);
        b.Property(c => c.OnTimeRate).HasPrecision(18, 12).HasComputedColumnSql("CASE WHEN due = 0 THEN 0 ELSE on_time::numeric / due END", stored: true);
        b.Property(c => c.AverageProgress).HasPrecision(18, 12).HasComputedColumnSql("CASE WHEN items = 0 THEN 0 ELSE progress_sum / items END", stored: true);
        b.HasIndex(c => new { c.Year, c.HasDue, c.OnTimeRate, c.AverageProgress, c.DepartmentName, c.DepartmentId }, "ix_department_counts_rank")
            .HasDatabaseName("ix_department_counts_rank").IsDescending(false, true, true, true, false, false).HasFilter("items > 0");
    }
}

internal sealed class DepartmentFlagsConfiguration : IEntityTypeConfiguration<DepartmentFlags>
{
    public void Configure(EntityTypeBuilder<DepartmentFlags> b)
    {
        b.ToTable("department_flags");
        b.HasKey(c => c.DepartmentId);
        b.Property(c => c.DepartmentName).HasMaxLength(200);
        b.Property(c => c.Path).HasMaxLength(200);
        b.Property(c => c.Flagged).HasComputedColumnSql(UnitFlagsSql.Flagged, stored: true);
        b.HasIndex(c => new { c.Red, c.Overdue, c.DepartmentId }, "ix_department_flags_board")
            .HasDatabaseName("ix_department_flags_board").IsDescending(true, true, false).HasFilter("flagged > 0");
        b.HasIndex(c => new { c.Red, c.DepartmentName, c.DepartmentId }, "ix_department_flags_red")
            .HasDatabaseName("ix_department_flags_red").IsDescending(true, false, false).HasFilter("red > 0");
    }
}

internal sealed class JurisdictionFlagsConfiguration : IEntityTypeConfiguration<JurisdictionFlags>
{
    public void Configure(EntityTypeBuilder<JurisdictionFlags> b)
    {
        b.ToTable("jurisdiction_flags");
        b.HasKey(c => c.JurisdictionId);
        b.Property(c => c.Path).HasMaxLength(200);
        b.Property(c => c.Flagged).HasComputedColumnSql(UnitFlagsSql.Flagged, stored: true);
        b.HasIndex(c => c.Path).HasOperators("text_pattern_ops");
    }
}

internal static class UnitFlagsSql
{
    public const string Flagged = "overdue + lagging + silent + milestone_overdue + red";
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
