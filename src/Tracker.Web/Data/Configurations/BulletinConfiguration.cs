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

internal sealed class WorkGroupRobotConfiguration : IEntityTypeConfiguration<WorkGroupRobot>
{
    public void Configure(EntityTypeBuilder<WorkGroupRobot> b)
    {
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Name).HasMaxLength(120);
        b.Property(x => x.Url).HasMaxLength(500);
        b.Property(x => x.Secret).HasMaxLength(200);
        b.HasIndex(x => x.JurisdictionId);
        b.HasOne<Jurisdiction>().WithMany().HasForeignKey(x => x.JurisdictionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RobotDeliveryConfiguration : IEntityTypeConfiguration<RobotDelivery>
{
    public void Configure(EntityTypeBuilder<RobotDelivery> b)
    {
        // Once per bulletin and robot, whoever sends it on its way and however often.
        b.HasIndex(x => new { x.BulletinId, x.RobotId }).IsUnique();
        b.HasOne<Bulletin>().WithMany().HasForeignKey(x => x.BulletinId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WorkGroupRobot>().WithMany().HasForeignKey(x => x.RobotId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.LastError).HasMaxLength(2000);
    }
}

internal sealed class RobotAttemptConfiguration : IEntityTypeConfiguration<RobotAttempt>
{
    public void Configure(EntityTypeBuilder<RobotAttempt> b)
    {
        b.HasIndex(x => x.RobotDeliveryId);
        b.HasOne<RobotDelivery>().WithMany().HasForeignKey(x => x.RobotDeliveryId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Error).HasMaxLength(2000);
    }
}

internal sealed class BulletinPublicationConfiguration : IEntityTypeConfiguration<BulletinPublication>
{
    public void Configure(EntityTypeBuilder<BulletinPublication> b)
    {
        b.Property(x => x.PublishedBy).HasMaxLength(100);
        b.Property(x => x.WithdrawnBy).HasMaxLength(100);
        b.Property(x => x.WithdrawnReason).HasMaxLength(500);
        // One publication in force per bulletin; the public list reads a jurisdiction's, newest first.
        b.HasIndex(x => x.BulletinId).IsUnique().HasFilter("withdrawn_at IS NULL");
        b.HasIndex(x => new { x.JurisdictionId, x.BulletinId }).HasFilter("withdrawn_at IS NULL").HasDatabaseName("ix_bulletin_publications_public");
        b.HasOne<Bulletin>().WithMany().HasForeignKey(x => x.BulletinId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Jurisdiction>().WithMany().HasForeignKey(x => x.JurisdictionId).OnDelete(DeleteBehavior.Restrict);
    }
}
