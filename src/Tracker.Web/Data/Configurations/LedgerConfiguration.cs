using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Domain;

namespace Tracker.Web.Data.Configurations;

internal sealed class LedgerRowConfiguration : IEntityTypeConfiguration<LedgerRow>
{
    public void Configure(EntityTypeBuilder<LedgerRow> b)
    {
        b.Property(r => r.Number).HasMaxLength(20);
        b.Property(r => r.Finding).HasMaxLength(2000);
        b.Property(r => r.Place).HasMaxLength(200);
        b.Property(r => r.Category).HasMaxLength(50);
        b.Property(r => r.Source).HasMaxLength(50);
        b.Property(r => r.ResponsiblePerson).HasMaxLength(100);
        b.Property(r => r.Measures).HasMaxLength(2000);
        b.Property(r => r.Version).IsRowVersion();
        b.HasOne<Initiative>().WithMany().HasForeignKey(r => r.InitiativeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Department>().WithMany().HasForeignKey(r => r.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Department>().WithMany().HasForeignKey(r => r.FoundByDepartmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(r => r.Steps).WithOne().HasForeignKey(s => s.RowId).OnDelete(DeleteBehavior.Restrict);
        // 序号 is unique in its ledger (an import updates by it); the ledger page reads a ledger in number order.
        b.HasIndex(r => new { r.InitiativeId, r.Number }).IsUnique();
        // The sweep and the board look for rows still to rectify by their due day.
        b.HasIndex(r => new { r.InitiativeId, r.Deadline }, "ix_ledger_rows_unrectified").HasDatabaseName("ix_ledger_rows_unrectified")
            .HasFilter("status IN ('Open', 'Rectifying')");
        // The verifiers' queue: rows rectified and awaiting 销号.
        b.HasIndex(r => new { r.InitiativeId, r.Id }, "ix_ledger_rows_rectified").HasDatabaseName("ix_ledger_rows_rectified")
            .HasFilter("status = 'Rectified'");
        b.HasIndex(r => new { r.DepartmentId, r.Status });
    }
}

internal sealed class LedgerStepConfiguration : IEntityTypeConfiguration<LedgerStep>
{
    public void Configure(EntityTypeBuilder<LedgerStep> b)
    {
        b.Property(s => s.By).HasMaxLength(100);
        b.Property(s => s.Note).HasMaxLength(2000);
        b.HasMany(s => s.Photos).WithOne().HasForeignKey(a => a.LedgerStepId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(s => new { s.RowId, s.At });
    }
}

internal sealed class LedgerCategoryConfiguration : IEntityTypeConfiguration<LedgerCategory>
{
    public void Configure(EntityTypeBuilder<LedgerCategory> b)
    {
        b.HasKey(c => new { c.JurisdictionId, c.Name });
        b.Property(c => c.Name).HasMaxLength(50);
        b.HasOne<Jurisdiction>().WithMany().HasForeignKey(c => c.JurisdictionId).OnDelete(DeleteBehavior.Cascade);
    }
}
