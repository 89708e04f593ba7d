using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Audit;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Reminders;

namespace Tracker.Web.Data;

public sealed class TrackerDbContext(
    DbContextOptions<TrackerDbContext> options, IAuditActor? actor = null, TimeProvider? time = null, OfficeClock? clock = null, HealthPolicy? policy = null)
    : IdentityDbContext<TrackerUser>(options), IDataProtectionKeyContext
{
    /// <summary>The keys that protect sign-in cookies and tokens, shared by every instance and kept across restarts.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Sign-ins, open and ended; a cookie or token is accepted only while its session is open.</summary>
    public DbSet<UserSession> UserSessions => Set<UserSession>();

    public DbSet<Jurisdiction> Jurisdictions => Set<Jurisdiction>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<Initiative> Initiatives => Set<Initiative>();
    public DbSet<Target> Targets => Set<Target>();
    public DbSet<ItemCount> ItemCounts => Set<ItemCount>();
    public DbSet<DepartmentYearCount> DepartmentCounts => Set<DepartmentYearCount>();
    public DbSet<DepartmentFlags> DepartmentFlags => Set<DepartmentFlags>();
    public DbSet<JurisdictionFlags> JurisdictionFlags => Set<JurisdictionFlags>();
    public DbSet<Milestone> Milestones => Set<Milestone>();
    public DbSet<ChangeRequest> ChangeRequests => Set<ChangeRequest>();
    public DbSet<PlanVersion> PlanVersions => Set<PlanVersion>();
    public DbSet<LedgerRow> LedgerRows => Set<LedgerRow>();
    public DbSet<LedgerStep> LedgerSteps => Set<LedgerStep>();
    public DbSet<LedgerCategory> LedgerCategories => Set<LedgerCategory>();
    public DbSet<ProgressReport> ProgressReports => Set<ProgressReport>();
    public DbSet<ReportValue> ReportValues => Set<ReportValue>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<AttachmentContent> AttachmentContents => Set<AttachmentContent>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<Reminder> Reminders => Set<Reminder>();
    public DbSet<SupervisionNotice> Notices => Set<SupervisionNotice>();
    public DbSet<NoticeStep> NoticeSteps => Set<NoticeStep>();
    public DbSet<InboxMessage> Inbox => Set<InboxMessage>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();
    public DbSet<LaggingWatch> LaggingWatch => Set<LaggingWatch>();
    public DbSet<CalendarDay> CalendarDays => Set<CalendarDay>();
    public DbSet<Proposal> Proposals => Set<Proposal>();
    public DbSet<Candidate> Candidates => Set<Candidate>();
    public DbSet<CongressSession> Sessions => Set<CongressSession>();
    public DbSet<Ballot> Ballots => Set<Ballot>();
    public DbSet<BallotChoice> BallotChoices => Set<BallotChoice>();
    public DbSet<DeputyGroup> DeputyGroups => Set<DeputyGroup>();
    public DbSet<Inspection> Inspections => Set<Inspection>();
    public DbSet<FollowUp> FollowUps => Set<FollowUp>();
    public DbSet<Evaluation> Evaluations => Set<Evaluation>();
    public DbSet<Features.Bulletins.Bulletin> Bulletins => Set<Features.Bulletins.Bulletin>();
    public DbSet<Features.Bulletins.BulletinSetting> BulletinSettings => Set<Features.Bulletins.BulletinSetting>();
    public DbSet<Features.Dispatch.DispatchRound> DispatchRounds => Set<Features.Dispatch.DispatchRound>();
    public DbSet<Features.Dispatch.DispatchItem> DispatchItems => Set<Features.Dispatch.DispatchItem>();
    public DbSet<Features.Dispatch.DispatchCount> DispatchCounts => Set<Features.Dispatch.DispatchCount>();
    public DbSet<Features.Programmes.Programme> Programmes => Set<Features.Programmes.Programme>();
    public DbSet<Features.Programmes.ProgrammeItem> ProgrammeItems => Set<Features.Programmes.ProgrammeItem>();
    public DbSet<KeyProjectFacts> KeyProjects => Set<KeyProjectFacts>();
    public DbSet<Features.Programmes.ProgrammeCount> ProgrammeCounts => Set<Features.Programmes.ProgrammeCount>();
    public DbSet<InvestmentMonth> InvestmentMonths => Set<InvestmentMonth>();
    public DbSet<Features.Bulletins.WorkGroupRobot> WorkGroupRobots => Set<Features.Bulletins.WorkGroupRobot>();
    public DbSet<Features.Bulletins.RobotDelivery> RobotDeliveries => Set<Features.Bulletins.RobotDelivery>();
    public DbSet<Features.Bulletins.RobotAttempt> RobotAttempts => Set<Features.Bulletins.RobotAttempt>();
    public DbSet<Features.Bulletins.BulletinPublication> BulletinPublications => Set<Features.Bulletins.BulletinPublication>();
    public DbSet<Features.Lists.SavedFilter> SavedFilters => Set<Features.Lists.SavedFilter>();

    /// <summary>
    /// Every save writes its audit entries in the same transaction: the data is saved first (so that
    /// generated keys are known), then the entries, then the transaction commits — or nothing does.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampHealth();
        var pending = AuditRecorder.Capture(ChangeTracker);
        if (pending.Count == 0)
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

        await using var owned = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        AuditLog.AddRange(AuditRecorder.Complete(pending, actor ?? SystemActor.Instance, (time ?? TimeProvider.System).GetUtcNow()));
        await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (owned is not null)
            await owned.CommitAsync(cancellationToken);
        return written;
    }

    /// <summary>New entities by binary COPY, audited like a save (an import's thousands of rows); in the caller's transaction.</summary>
    internal Task InsertByCopyAsync<T>(IReadOnlyList<T> entities, bool assignKeys, CancellationToken ct) where T : class =>
        CopyInsert.RunAsync(this, entities, assignKeys, actor ?? SystemActor.Instance, (time ?? TimeProvider.System).GetUtcNow(), ct);

    /// <summary>Every item written carries its health of today, in the same transaction as the change that moved it.</summary>
    private void StampHealth()
    {
        if (clock is null)
            return;
        ChangeTracker.DetectChanges();
        HealthContext? today = null;
        foreach (var entry in ChangeTracker.Entries<Initiative>())
            if (entry.State is EntityState.Added or EntityState.Modified)
                entry.Entity.StampHealth(today ??= new HealthContext(clock.Today, policy ?? new HealthPolicy()));
    }

    /// <summary>Only for writes that are not audited (the data-protection key ring saves synchronously).</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        AuditRecorder.Capture(ChangeTracker).Count == 0
            ? base.SaveChanges(acceptAllChangesOnSuccess)
            : throw new NotSupportedException("Use SaveChangesAsync: it writes the audit trail in the same transaction.");

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Identity's tables in the same snake_case as the rest of the schema.
        modelBuilder.Entity<TrackerUser>().ToTable("users");
        modelBuilder.Entity<IdentityRole>().ToTable("roles");
        modelBuilder.Entity<IdentityUserRole<string>>().ToTable("user_roles");
        modelBuilder.Entity<IdentityUserClaim<string>>().ToTable("user_claims");
        modelBuilder.Entity<IdentityUserLogin<string>>().ToTable("user_logins");
        modelBuilder.Entity<IdentityUserToken<string>>().ToTable("user_tokens");
        modelBuilder.Entity<IdentityRoleClaim<string>>().ToTable("role_claims");
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
        configurationBuilder.Properties<ReminderReason>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<ReminderStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<NoticeStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<ChangeRequestStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<DeliveryChannel>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<DeliveryStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<CalendarDayKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<ProposerKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<ProposalStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<BallotMode>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<HealthColour>().HaveConversion<string>().HaveMaxLength(8);
        configurationBuilder.Properties<PassRule>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<VoteChoice>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<InspectionKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Rating>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<SessionKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<SessionEnd>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<LedgerRowStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<LedgerSeverity>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<RectificationMode>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<LedgerStepAction>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<LedgerCount>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<decimal>().HavePrecision(18, 4);
    }
}
