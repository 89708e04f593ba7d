using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Supervision;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Bulletins;

/// <summary>
/// A bulletin's ranking and negative list shown to the public (通报晾晒): who published it and when, and its withdrawal.
/// Audited like every write; at most one per bulletin.
/// </summary>
public sealed class BulletinPublication
{
    public long Id { get; set; }
    public long BulletinId { get; set; }
    public int JurisdictionId { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public required string PublishedBy { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
    public string? WithdrawnBy { get; set; }
    public string? WithdrawnReason { get; set; }
}

/// <summary>Publish (true) or take down (false, with a reason) a bulletin's ranking and negative list.</summary>
public sealed record PublicationInput(bool? Published, string? Reason);

internal sealed class PublicationInputValidator : AbstractValidator<PublicationInput>
{
    public PublicationInputValidator()
    {
        RuleFor(x => x.Published).NotNull();
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(500).When(x => x.Published == false)
            .WithMessage("Say why the published list is taken down.");
    }
}

/// <summary>What the public sees of a bulletin: its number and period, the ranking and the negative list — departments and items, no one's name.</summary>
public sealed record PublicBulletin(long Id, string Jurisdiction, string Title, string Number, DateOnly PeriodFrom, DateOnly PeriodTo, DateOnly IssuedOn,
    DateTimeOffset PublishedAt, IReadOnlyList<PublicRank> Ranking, IReadOnlyList<NegativeDepartment> NegativeList);

public sealed record PublicRank(int Rank, string Department, decimal? OnTimeRate, decimal AverageProgress, int Red, string Change);

public sealed record PublicBulletinSummary(long Id, string Title, string Number, DateOnly IssuedOn);

/// <summary>A supervisor of the bulletin's jurisdiction publishes its ranking and negative list, or takes them down.</summary>
public sealed class PublishBulletin(TrackerDbContext db, Viewer viewer, OfficeClock clock, BulletinAccess access, IValidator<PublicationInput> validator) : IUseCase
{
    public async Task<bool> RunAsync(long bulletinId, PublicationInput input, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        var bulletin = await db.Bulletins.AsNoTracking().Where(b => b.Id == bulletinId).Select(b => new { b.JurisdictionId, b.WithdrawnAt }).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"No bulletin {bulletinId}.");
        await access.RequireJurisdictionAsync(bulletin.JurisdictionId, ct);
        await validator.ValidateAndThrowAsync(input, ct);
        var publication = await db.BulletinPublications.SingleOrDefaultAsync(p => p.BulletinId == bulletinId && p.WithdrawnAt == null, ct);
        if (input.Published!.Value)
        {
            if (bulletin.WithdrawnAt is not null)
                throw new DomainException(ErrorCodes.BulletinWithdrawn, "A withdrawn bulletin is not published.");
            if (publication is null)
                db.BulletinPublications.Add(new BulletinPublication { BulletinId = bulletinId, JurisdictionId = bulletin.JurisdictionId, PublishedAt = clock.Now, PublishedBy = viewer.UserName });
        }
        else if (publication is not null)
        {
            (publication.WithdrawnAt, publication.WithdrawnBy, publication.WithdrawnReason) = (clock.Now, viewer.UserName, input.Reason!.Trim());
        }
        await db.SaveChangesAsync(ct);
        return input.Published.Value;
    }
}

/// <summary>The public's view: a jurisdiction's published negative lists, newest first, and one of them.</summary>
public sealed class ReadPublicBulletins([FromKeyedServices(ReplicaReads.Key)] TrackerDbContext db) : IUseCase
{
    public async Task<List<PublicBulletinSummary>> ListAsync(int jurisdictionId, CancellationToken ct) =>
        [.. (await db.BulletinPublications.AsNoTracking().Where(p => p.JurisdictionId == jurisdictionId && p.WithdrawnAt == null)
            .Join(db.Bulletins.Where(b => b.WithdrawnAt == null), p => p.BulletinId, b => b.Id, (p, b) => new { b.Id, b.Title, b.Year, b.Number, b.IssuedOn })
            .OrderByDescending(b => b.Id).Take(24).ToListAsync(ct))
            .Select(b => new PublicBulletinSummary(b.Id, b.Title, BulletinRules.NumberText(b.Year, b.Number), b.IssuedOn))];

    public async Task<PublicBulletin> OneAsync(long id, CancellationToken ct)
    {
        var row = await db.BulletinPublications.AsNoTracking().Where(p => p.BulletinId == id && p.WithdrawnAt == null)
            .Join(db.Bulletins.Where(b => b.WithdrawnAt == null), p => p.BulletinId, b => b.Id, (p, b) => new { p.PublishedAt, Bulletin = b })
            .SingleOrDefaultAsync(ct) ?? throw new NotFoundException($"No published bulletin {id}.");
        var b = row.Bulletin;
        var jurisdiction = await db.Jurisdictions.Where(j => j.Id == b.JurisdictionId).Select(j => j.Name).SingleAsync(ct);
        var content = BulletinContent.Read(b.Content);
        return new PublicBulletin(b.Id, jurisdiction, b.Title, BulletinRules.NumberText(b.Year, b.Number), b.PeriodFrom, b.PeriodTo, b.IssuedOn, row.PublishedAt,
            [.. content.Ranking.Select(r => new PublicRank(r.Rank, r.Department, r.OnTimeRate, r.AverageProgress, r.Red, BulletinRules.RankChangeText(r.Change)))],
            content.NegativeList);
    }
}
