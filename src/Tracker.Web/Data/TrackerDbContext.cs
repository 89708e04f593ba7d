using Microsoft.EntityFrameworkCore;
using Tracker.Domain;

namespace Tracker.Web.Data;

public sealed class TrackerDbContext(DbContextOptions<TrackerDbContext> options) : DbContext(options)
{
    public DbSet<Jurisdiction> Jurisdictions => Set<Jurisdiction>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<Initiative> Initiatives => Set<Initiative>();
    public DbSet<Target> Targets => Set<Target>();
    public DbSet<Milestone> Milestones => Set<Milestone>();
    public DbSet<ProgressReport> ProgressReports => Set<ProgressReport>();
    public DbSet<ReportValue> ReportValues => Set<ReportValue>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<AttachmentContent> AttachmentContents => Set<AttachmentContent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TrackerDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums as readable text: the database is read by people and reports too.
        configurationBuilder.Properties<InitiativeKind>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<InitiativeStatus>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<Phase>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<ReportingInterval>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<JurisdictionLevel>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<decimal>().HavePrecision(18, 4);
    }
}
