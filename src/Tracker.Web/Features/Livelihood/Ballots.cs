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

    /// <summary>The sessions the viewer reads, newest first, each with its count of ballots cast (never who chose what).</summary>
    public async Task<List<SessionDto>> ListAsync(int? jurisdictionId, int? year, CancellationToken ct)
    {
        Require.Role(viewer, "Supervisors, deputies and admins read the congress's sessions.", Roles.Supervisor, Roles.Deputy, Roles.Admin);
        var sessions = db.Sessions.AsNoTracking().Where(ProposalsApi.InScope<CongressSession>(db, viewer, s => s.JurisdictionId));
        if (jurisdictionId is { } jurisdiction) sessions = sessions.Where(s => s.JurisdictionId == jurisdiction);
        if (year is { } y) sessions = sessions.Where(s => s.Year == y);
        var rows = await sessions.OrderByDescending(s => s.OpensAt).ThenByDescending(s => s.Id).Take(100)
            .Select(s => new { Session = s, Ballots = db.Ballots.Count(b => b.SessionId == s.Id) })
            .ToListAsync(ct);
        return [.. rows.Select(r => VotingApi.ToDto(r.Session, r.Ballots))];
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

/// <summary>Sets up a session: its candidates, how many items to choose, the ballot and pass rules, and the voting window; its deputies are the jurisdiction's.</summary>
public sealed class SetUpSession(TrackerDbContext db, Viewer viewer, IValidator<SessionInput> validator) : IUseCase
{
    public async Task<SessionDto> RunAsync(SessionInput input, CancellationToken ct)
    {
        ScreenProposals.RequireScreener(viewer);
        await validator.ValidateAndThrowAsync(input, ct);
        await ItemAccess.RequireSupervisorOfAsync(db, viewer, input.JurisdictionId!.Value, "Only supervisors of the jurisdiction set up its vote.", ct);
        var ids = input.CandidateIds!.Distinct().ToList();
        if (await db.Candidates.CountAsync(c => ids.Contains(c.Id) && c.JurisdictionId == input.JurisdictionId && c.Year == input.Year, ct) != ids.Count)
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(SessionInput.CandidateIds), "Every candidate must be one of this jurisdiction and year.")]);

        var session = new CongressSession
        {
            JurisdictionId = input.JurisdictionId!.Value,
            Year = input.Year!.Value,
            Name = input.Name!.Trim(),
            OpensAt = input.OpensAt!.Value.ToUniversalTime(),
            ClosesAt = input.ClosesAt!.Value.ToUniversalTime(),
            ItemsToChoose = input.ItemsToChoose!.Value,
            Mode = input.Mode ?? BallotMode.ForAgainstAbstain,
            PassRule = input.PassRule ?? PassRule.MajorityOfDeputies,
            CandidateIds = ids,
            Deputies = await VotingApi.DeputiesOf(db, input.JurisdictionId.Value).CountAsync(ct),
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        return VotingApi.ToDto(session, 0);
    }
}

/// <summary>
/// The count of a closed session, recomputed from the stored ballots every time (for whoever reads the session), and
/// its adoption: the chosen candidates become the year's livelihood items, led by the candidate's department, for
/// officials to give targets, milestones and deadlines before a supervisor publishes them (an existing item a candidate
/// named already has its plan, and is published at once). Candidates tied at the cut-off are taken only when the
/// supervisor names them (the congress's decision), never picked silently.
/// </summary>
public sealed class AdoptVote(TrackerDbContext db, Viewer viewer, OfficeClock clock, ReadSession sessions) : IUseCase
{
    public async Task<VoteResult> ResultAsync(long id, CancellationToken ct)
    {
        var session = await sessions.FindAsync(id, ct);
        if (!session.IsClosed(clock.Now))
            throw new DomainException(ErrorCodes.VotingOpen, "The result is counted once voting has closed.");
        return await CountAsync(session, ct);
    }

    public async Task<AdoptionResult> RunAsync(long id, Adoption adoption, CancellationToken ct)
    {
        var session = await sessions.FindAsync(id, ct);
        await ItemAccess.RequireSupervisorOfAsync(db, viewer, session.JurisdictionId, "Only supervisors of the jurisdiction adopt its vote.", ct);
        if (!session.IsClosed(clock.Now))
            throw new DomainException(ErrorCodes.VotingOpen, "Adopt the result once voting has closed.");
        var result = await CountAsync(session, ct);
        var tieBreak = adoption.TieBreak ?? [];
        if (tieBreak.Except(result.TiedAtCutoff).Any())
            throw new DomainException(ErrorCodes.TieBreak, "Only candidates tied at the cut-off can be named to break the tie.");
        if (result.Chosen.Count + tieBreak.Length > session.ItemsToChoose)
            throw new DomainException(ErrorCodes.TieBreak, $"That would choose more than {session.ItemsToChoose} items.");

        var code = await db.Jurisdictions.Where(j => j.Id == session.JurisdictionId).Select(j => j.Code).SingleAsync(ct);
        var chosen = result.Chosen.Concat(tieBreak).ToList();
        var candidates = await db.Candidates.Where(c => chosen.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Marked adopted first, under the row's lock: a second adoption (another tie-break, or the same one twice at
        // once) waits for this one and then finds it adopted — never a second set of items.
        if (await db.Sessions.Where(s => s.Id == id && !s.Adopted).ExecuteUpdateAsync(u => u.SetProperty(s => s.Adopted, true), ct) == 0)
            throw new DomainException(ErrorCodes.Adopted, "The session's result was adopted already.");
        var number = await db.Initiatives.CountAsync(i => i.JurisdictionId == session.JurisdictionId && i.Year == session.Year, ct);
        foreach (var candidate in candidates.Where(c => c.InitiativeId is null))
        {
            var initiative = new Initiative
            {
                Code = $"{code}-MS{session.Year}-V{++number:00}",
                Title = candidate.Title,
                Description = candidate.Description,
                Year = session.Year,
                Kind = InitiativeKind.Livelihood,
                JurisdictionId = session.JurisdictionId,
                LeadDepartmentId = candidate.DepartmentId,
                Budget = candidate.EstimatedCost,
                PlannedStart = new DateOnly(session.Year, 1, 1),
                Deadline = new DateOnly(session.Year, 12, 31),
                ReportingInterval = ReportingInterval.Monthly,
                Status = InitiativeStatus.Planned,
                Phase = Phases.First(InitiativeKind.Livelihood),
                CreatedAt = clock.Now,
                UpdatedAt = clock.Now,
            };
            // Not published yet: the lead department gives it targets, milestones and dates first, and publishing fixes that plan.
            initiative.ChosenByVote();
            db.Initiatives.Add(initiative);
            await db.SaveChangesAsync(ct);
            candidate.InitiativeId = initiative.Id;
        }
        // A candidate screened onto an existing item (a renovation programme, say) makes that item a voted one, whatever its kind.
        var named = candidates.Where(c => c.InitiativeId is not null).Select(c => c.InitiativeId!.Value).ToList();
        foreach (var item in await db.Initiatives.Where(i => named.Contains(i.Id) && !i.IsVoted).ToListAsync(ct))
        {
            item.ChosenByVote();
            item.Publish(true);
        }
        session.Adopted = true;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new AdoptionResult([.. candidates.Select(c => c.InitiativeId!.Value)], [.. result.TiedAtCutoff.Except(tieBreak)]);
    }

    private async Task<VoteResult> CountAsync(CongressSession session, CancellationToken ct) =>
        Tally.Count(session, await db.Ballots.AsNoTracking().Include(b => b.Choices).Where(b => b.SessionId == session.Id).ToListAsync(ct));
}
