using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Domain;

namespace Tracker.Web.Data.Configurations;

internal sealed class JurisdictionConfiguration : IEntityTypeConfiguration<Jurisdiction>
{
    public void Configure(EntityTypeBuilder<Jurisdiction> b)
    {
        b.Property(j => j.Code).HasMaxLength(64);
        b.Property(j => j.Name).HasMaxLength(200);
        b.Property(j => j.Path).HasMaxLength(400);
        b.HasIndex(j => j.Code).IsUnique();
        b.HasIndex(j => j.ParentId);
        // Prefix searches (path LIKE '/1/4/%') for "this jurisdiction and everything below it".
        b.HasIndex(j => j.Path).HasOperators("text_pattern_ops");
        // The pickers' "name contains" (ILIKE '%…%') over a province's 3,000 jurisdictions.
        b.HasIndex(j => j.Name).HasMethod("gin").HasOperators("gin_trgm_ops");
        b.HasOne<Jurisdiction>().WithMany().HasForeignKey(j => j.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DepartmentConfiguration : IEntityTypeConfiguration<Department>
{
    public void Configure(EntityTypeBuilder<Department> b)
    {
        b.Property(d => d.Code).HasMaxLength(64);
        b.Property(d => d.Name).HasMaxLength(200);
        b.Property(d => d.HeadName).HasMaxLength(100);
        b.Property(d => d.HeadEmail).HasMaxLength(256);
        b.HasIndex(d => d.Code).IsUnique();
        b.HasIndex(d => new { d.JurisdictionId, d.Name });
        // The pickers' "name contains" (ILIKE '%…%') over a province's 30,000 departments.
        b.HasIndex(d => d.Name).HasMethod("gin").HasOperators("gin_trgm_ops");
        b.HasOne(d => d.Jurisdiction).WithMany().HasForeignKey(d => d.JurisdictionId).OnDelete(DeleteBehavior.Restrict);
    }
}
