using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Domain;

namespace Tracker.Web.Data.Configurations;

internal sealed class ProposalConfiguration : IEntityTypeConfiguration<Proposal>
{
    public void Configure(EntityTypeBuilder<Proposal> b)
    {
        b.Property(p => p.Title).HasMaxLength(200);
        b.Property(p => p.Description).HasMaxLength(4000);
        b.Property(p => p.ReceiptCode).HasMaxLength(16);
        b.Property(p => p.RejectionReason).HasMaxLength(1000);
        b.Property(p => p.ProposerUserId).HasMaxLength(450);
        b.HasIndex(p => p.ReceiptCode).IsUnique();
        b.HasIndex(p => new { p.JurisdictionId, p.Year, p.Status });
        b.HasOne<Jurisdiction>().WithMany().HasForeignKey(p => p.JurisdictionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Candidate>().WithMany().HasForeignKey(p => p.CandidateId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CandidateConfiguration : IEntityTypeConfiguration<Candidate>
{
    public void Configure(EntityTypeBuilder<Candidate> b)
    {
        b.Property(c => c.Title).HasMaxLength(200);
        b.Property(c => c.Description).HasMaxLength(4000);
        b.Property(c => c.EstimatedCost).HasPrecision(18, 2);
        b.HasIndex(c => new { c.JurisdictionId, c.Year });
        b.HasIndex(c => c.InitiativeId).IsUnique();
        b.HasOne<Jurisdiction>().WithMany().HasForeignKey(c => c.JurisdictionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Department>().WithMany().HasForeignKey(c => c.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Initiative>().WithMany().HasForeignKey(c => c.InitiativeId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CongressSessionConfiguration : IEntityTypeConfiguration<CongressSession>
{
    public void Configure(EntityTypeBuilder<CongressSession> b)
    {
        b.ToTable("congress_sessions");
        b.Property(s => s.Name).HasMaxLength(200);
        b.HasIndex(s => new { s.JurisdictionId, s.Year });
        b.HasOne<Jurisdiction>().WithMany().HasForeignKey(s => s.JurisdictionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BallotConfiguration : IEntityTypeConfiguration<Ballot>
{
    public void Configure(EntityTypeBuilder<Ballot> b)
    {
        b.Property(x => x.DeputyUserId).HasMaxLength(450);
        // Nobody votes twice, whatever races: the database holds one ballot per deputy and session.
        b.HasIndex(x => new { x.SessionId, x.DeputyUserId }).IsUnique();
        b.HasOne<CongressSession>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Choices).WithOne().HasForeignKey(c => c.BallotId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BallotChoiceConfiguration : IEntityTypeConfiguration<BallotChoice>
{
    public void Configure(EntityTypeBuilder<BallotChoice> b)
    {
        b.HasKey(c => new { c.BallotId, c.CandidateId });
        b.HasOne<Candidate>().WithMany().HasForeignKey(c => c.CandidateId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DeputyGroupConfiguration : IEntityTypeConfiguration<DeputyGroup>
{
    public void Configure(EntityTypeBuilder<DeputyGroup> b)
    {
        b.Property(g => g.Name).HasMaxLength(200);
        b.HasIndex(g => g.JurisdictionId);
        b.HasIndex(g => g.MemberUserIds).HasMethod("gin");
        b.HasIndex(g => g.InitiativeIds).HasMethod("gin");
    }
}

internal sealed class InspectionConfiguration : IEntityTypeConfiguration<Inspection>
{
    public void Configure(EntityTypeBuilder<Inspection> b)
    {
        b.Property(i => i.Findings).HasMaxLength(4000);
        b.Property(i => i.DeputyUserId).HasMaxLength(450);
        b.HasIndex(i => new { i.InitiativeId, i.On });
        b.HasMany(i => i.Photos).WithOne().HasForeignKey(a => a.InspectionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Initiative>().WithMany().HasForeignKey(i => i.InitiativeId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FollowUpConfiguration : IEntityTypeConfiguration<FollowUp>
{
    public void Configure(EntityTypeBuilder<FollowUp> b)
    {
        b.ToTable("follow_ups");
        b.Property(f => f.Request).HasMaxLength(2000);
        b.Property(f => f.Answer).HasMaxLength(4000);
        b.Property(f => f.AnsweredBy).HasMaxLength(256);
        b.HasIndex(f => new { f.InitiativeId, f.DueOn });
        b.HasIndex(f => new { f.DepartmentId, f.DueOn }).HasFilter("answer IS NULL").HasDatabaseName("ix_follow_ups_open");
        // The negative list and the board find the overdue unanswered requests from here, not from the items.
        b.HasIndex(f => new { f.DueOn, f.InitiativeId }, "ix_follow_ups_unanswered").HasFilter("answer IS NULL").HasDatabaseName("ix_follow_ups_unanswered");
        b.HasOne<Inspection>().WithMany().HasForeignKey(f => f.InspectionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EvaluationConfiguration : IEntityTypeConfiguration<Evaluation>
{
    public void Configure(EntityTypeBuilder<Evaluation> b)
    {
        b.Property(e => e.Comment).HasMaxLength(2000);
        b.Property(e => e.DeputyUserId).HasMaxLength(450);
        b.HasIndex(e => new { e.InitiativeId, e.DeputyUserId }).IsUnique();
        b.HasIndex(e => e.Year);
        b.HasOne<Initiative>().WithMany().HasForeignKey(e => e.InitiativeId).OnDelete(DeleteBehavior.Restrict);
    }
}
