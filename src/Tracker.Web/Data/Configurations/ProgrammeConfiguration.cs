using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Domain;
using Tracker.Web.Features.Programmes;

namespace Tracker.Web.Data.Configurations;

internal sealed class ProgrammeConfiguration : IEntityTypeConfiguration<Programme>
{
    public void Configure(EntityTypeBuilder<Programme> b)
    {
        b.Property(x => x.Code).HasMaxLength(64);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Description).HasMaxLength(4000);
        b.Property(x => x.CreatedBy).HasMaxLength(100);
        b.HasIndex(x => new { x.JurisdictionId, x.Year, x.Code }).IsUnique();
        b.HasOne<Jurisdiction>().WithMany().HasForeignKey(x => x.JurisdictionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Department>().WithMany().HasForeignKey(x => x.OwnerDepartmentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ProgrammeItemConfiguration : IEntityTypeConfiguration<ProgrammeItem>
{
    public void Configure(EntityTypeBuilder<ProgrammeItem> b)
    {
        b.HasKey(x => new { x.ProgrammeId, x.InitiativeId });
        // An item's programmes.
        b.HasIndex(x => x.InitiativeId);
        // A programme's items reddest first, a page at a time (ReadProgrammes.OneAsync).
        b.Property(x => x.Code).HasMaxLength(64);
        b.HasIndex(x => new { x.ProgrammeId, x.ColourRank, x.Code, x.InitiativeId });
        b.HasOne<Programme>().WithMany().HasForeignKey(x => x.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Initiative>().WithMany().HasForeignKey(x => x.InitiativeId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ProgrammeCountConfiguration : IEntityTypeConfiguration<ProgrammeCount>
{
    public void Configure(EntityTypeBuilder<ProgrammeCount> b)
    {
        b.HasKey(c => new { c.ProgrammeId, c.Status, c.Phase, c.HealthColour, c.Reported, c.StartDue, c.FirstMonth, c.LastMonth });
        b.Property(c => c.ProgressSum).HasPrecision(18, 4);
        b.Property(c => c.Planned).HasPrecision(18, 2);
        b.Property(c => c.Completed).HasPrecision(18, 2);
        b.Property(c => c.Invested).HasColumnType("numeric(18,2)[]");
        b.Property(c => c.ProgressAt).HasColumnType("numeric(18,4)[]");
        // A programme's rows go with it.
        b.HasOne<Programme>().WithMany().HasForeignKey(c => c.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class KeyProjectFactsConfiguration : IEntityTypeConfiguration<KeyProjectFacts>
{
    public void Configure(EntityTypeBuilder<KeyProjectFacts> b)
    {
        b.ToTable("key_projects");
        b.HasKey(x => x.InitiativeId);
        b.Property(x => x.Level).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Construction).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Industry).HasMaxLength(100);
        b.Property(x => x.OwnerEnterprise).HasMaxLength(200);
        b.Property(x => x.TotalInvestment).HasPrecision(18, 2);
        b.Property(x => x.PlannedInvestment).HasPrecision(18, 2);
        b.Property(x => x.CompletedInvestment).HasPrecision(18, 2);
        b.Property(x => x.CompletedByMonth).HasColumnType("numeric(18,2)[]").HasDefaultValueSql("array_fill(0::numeric, ARRAY[12])");
    }
}

internal sealed class InvestmentMonthConfiguration : IEntityTypeConfiguration<InvestmentMonth>
{
    public void Configure(EntityTypeBuilder<InvestmentMonth> b)
    {
        b.ToTable("investment_months");
        b.HasKey(x => new { x.InitiativeId, x.Month });
        b.Property(x => x.Completed).HasPrecision(18, 2);
        b.HasOne<Initiative>().WithMany().HasForeignKey(x => x.InitiativeId).OnDelete(DeleteBehavior.Cascade);
        // No foreign key to the partitioned reports (decision 0020): it would need the report's day here too.
        b.HasIndex(x => x.ReportId);
    }
}
