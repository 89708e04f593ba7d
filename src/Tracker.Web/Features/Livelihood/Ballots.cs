using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Livelihood;

/// <summary>A voting session as its readers see it: supervisors and deputies of its jurisdiction or above (admins: any); others get 404.</summary>
public sealed class ReadSession(TrackerDbContext db, Viewer viewer) : IUseCase
{
    public async Task<SessionDto> GetAsync(long id, CancellationToken ct)
    {
        var session = await FindAsync(id, ct);
        return VotingApi.ToDto(session, await db.Ballots.CountAsync(b => b.SessionId == id, ct));
    }

    /// <summary>The viewer's own ballot in the session, or null; there is no way to read anyone else's.</summary>
    public async Task<BallotDto?> MineAsync(long id, CancellationToken ct)
    {
        var ballot = await db.Ballots.AsNoTracking().Include(b => b.Choices)
            .SingleOrDefaultAsync(b => b.SessionId == id && b.DeputyUserId == viewer.UserId, ct);
        return ballot is null ? null : VotingApi.ToDto(ballot);
    }

    internal async Task<CongressSession> FindAsync(long id, CancellationToken ct)
    {
        var row = await db.Sessions.Where(s => s.Id == id)
            .Select(s => new { Session = s, Path = db.Jurisdictions.Where(j => j.Id == s.JurisdictionId).Select(j => j.Path).Single() })
            .SingleOrDefaultAsync(ct) ?? throw new NotFoundException($"No session {id}.");
        var sees = viewer.Is(Roles.Admin)
            || ((viewer.Is(Roles.Supervisor) || viewer.Is(Roles.Deputy)) && viewer.JurisdictionPath is { } mine && row.Path.StartsWith(mine, StringComparison.Ordinal));
        return sees ? row.Session : throw new NotFoundException($"No session {id}.");
    }
}

/// <summary>
/// A deputy of the session's own jurisdiction casts one ballot within the window. A second ballot is refused
/// (409, <see cref="ErrorCodes.Voted"/>), also when two race, by the one-ballot-per-deputy key.
/// </summary>
public sealed class CastBallot(TrackerDbContext db, Viewer viewer, OfficeClock clock, IValidator<BallotInput> validator, ReadSession sessions) : IUseCase
{
    public async Task<BallotDto> RunAsync(long id, BallotInput input, CancellationToken ct)
    {
        var session = await sessions.FindAsync(id, ct);
        Require.That(viewer.Is(Roles.Deputy) && viewer.JurisdictionId == session.JurisdictionId, "Only deputies of this jurisdiction's congress vote in its session.");
        await validator.ValidateAndThrowAsync(input, ct);
        var choices = input.Choices!.Select(c => new BallotChoice { CandidateId = c.CandidateId, Choice = c.Choice }).ToList();
        var now = clock.Now;
        session.Check(choices, now);
        if (await db.Ballots.AnyAsync(b => b.SessionId == id && b.DeputyUserId == viewer.UserId, ct))
            throw Voted();

        var ballot = new Ballot { SessionId = id, DeputyUserId = viewer.UserId!, CastAt = now, Choices = choices };
        db.Ballots.Add(ballot);
        await db.SaveUniqueAsync(ballot, Voted, ct);
        return VotingApi.ToDto(ballot);
    }

    private static DomainException Voted() => new(ErrorCodes.Voted, "You have voted in this session already.");
}
