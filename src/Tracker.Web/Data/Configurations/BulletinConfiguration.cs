using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Domain;
using Tracker.Web.Features.Bulletins;

namespace Tracker.Web.Data.Configurations;

internal sealed class BulletinConfiguration : IEntityTypeConfiguration<Bulletin>
{
    public void Configure(EntityTypeBuilder<Bulletin> b)
    {
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.PeriodKey).HasMaxLength(32);
        b.Property(x => x.Title).HasMaxLength(200);
        b.Property(x => x.Text).HasMaxLength(8000);
        b.Property(x => x.IssuedBy).HasMaxLength(100);
        b.Property(x => x.WithdrawnBy).HasMaxLength(100);
        b.Property(x => x.WithdrawnReason).HasMaxLength(500);
        b.Property(x => x.Content).HasColumnType("jsonb");
        // Issued once per period, whatever retries or servers; numbered once per year.
        b.HasIndex(x => new { x.JurisdictionId, x.Kind, x.PeriodKey }).IsUnique();
        b.HasIndex(x => new { x.JurisdictionId, x.Kind, x.Year, x.Number }).IsUnique();
        // The archive: a jurisdiction's bulletins, newest first.
        b.HasIndex(x => new { x.JurisdictionId, x.Id });
        b.HasOne<Jurisdiction>().WithMany().HasForeignKey(x => x.JurisdictionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BulletinSettingConfiguration : IEntityTypeConfiguration<BulletinSetting>
{
    public void Configure(EntityTypeBuilder<BulletinSetting> b)
    {
        b.HasKey(x => x.JurisdictionId);
        b.HasOne<Jurisdiction>().WithMany().HasForeignKey(x => x.JurisdictionId).OnDelete(DeleteBehavior.Cascade);
    }
}
