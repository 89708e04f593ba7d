using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Livelihood;

public sealed record SessionInput(int? JurisdictionId, int? Year, string? Name, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt,
    int? ItemsToChoose, BallotMode? Mode, PassRule? PassRule, long[]? CandidateIds);

public sealed record SessionDto(long Id, int JurisdictionId, int Year, string Name, DateTimeOffset OpensAt, DateTimeOffset ClosesAt,
    int ItemsToChoose, BallotMode Mode, PassRule PassRule, int Deputies, IReadOnlyList<long> CandidateIds, int BallotsCast, bool Adopted);

public sealed record ChoiceInput(long CandidateId, VoteChoice Choice);

public sealed record BallotInput(ChoiceInput[]? Choices);

public sealed record BallotDto(long SessionId, DateTimeOffset CastAt, IReadOnlyList<ChoiceInput> Choices);

public sealed record Adoption(long[]? TieBreak);

public sealed record AdoptionResult(IReadOnlyList<long> InitiativeIds, IReadOnlyList<long> StillTied);

public static class VotingApi
{
    public static IEndpointRouteBuilder MapVotingApi(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/api/sessions").WithTags("Livelihood items: the vote").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(404);
        sessions.MapPost("/", Create).Validate<SessionInput>();
        sessions.MapGet("/{id:long}", Get);
        sessions.MapPost("/{id:long}/ballots", Cast).ProducesValidationProblem().ProducesProblem(409);
        sessions.MapGet("/{id:long}/ballots/mine", Mine);
        sessions.MapGet("/{id:long}/result", Result).ProducesProblem(409);
        sessions.MapPost("/{id:long}/adopt", Adopt).ProducesProblem(409);
        return app;
    }

    /// <summary>Sets up a session: its candidates, how many items to choose, the ballot and pass rules, and the voting window.</summary>
    public static async Task<Created<SessionDto>> Create(SessionInput input, Viewer viewer, TrackerDbContext db, CancellationToken ct)
    {
        ProposalsApi.RequireScreener(viewer);
        await ItemAccess.RequireSupervisorOfAsync(db, viewer, input.JurisdictionId!.Value, "Only supervisors of the jurisdiction set up its vote.", ct);
        var ids = input.CandidateIds!.Distinct().ToList();
        if (await db.Candidates.CountAsync(c => ids.Contains(c.Id) && c.JurisdictionId == input.JurisdictionId && c.Year == input.Year, ct) != ids.Count)
            throw new ValidationException([new FluentValidation.Results.ValidationFailure("CandidateIds", "Every candidate must be one of this jurisdiction and year.")]);

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
            Deputies = await DeputiesOf(db, input.JurisdictionId.Value).CountAsync(ct),
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/sessions/{session.Id}", ToDto(session, 0));
    }

    public static async Task<Ok<SessionDto>> Get(long id, ReadSession read, CancellationToken ct) =>
        TypedResults.Ok(await read.GetAsync(id, ct));

    public static async Task<Created<BallotDto>> Cast(long id, BallotInput input, CastBallot cast, CancellationToken ct) =>
        TypedResults.Created($"/api/sessions/{id}/ballots/mine", await cast.RunAsync(id, input, ct));

    /// <summary>A deputy reads back their own ballot; there is no way to read anyone else's.</summary>
    public static async Task<Ok<BallotDto>> Mine(long id, ReadSession read, CancellationToken ct) =>
        TypedResults.Ok(await read.MineAsync(id, ct) ?? throw new NotFoundException("You have not voted in this session."));

    /// <summary>The count, once voting has closed, recomputed from the stored ballots every time.</summary>
    public static async Task<Ok<VoteResult>> Result(long id, ReadSession sessions, TrackerDbContext db, OfficeClock clock, CancellationToken ct)
    {
        var session = await sessions.FindAsync(id, ct);
        if (!session.IsClosed(clock.Now))
            throw new DomainException(ErrorCodes.VotingOpen, "The result is counted once voting has closed.");
        return TypedResults.Ok(await CountAsync(db, session, ct));
    }

    /// <summary>
    /// Turns the chosen candidates into the year's livelihood items, led by the candidate's department,
    /// for officials to give targets, milestones and deadlines. Candidates tied at the cut-off are taken
    /// only when the supervisor names them (the congress's decision), never picked silently.
    /// </summary>
    public static async Task<Ok<AdoptionResult>> Adopt(long id, Adoption adoption, Viewer viewer, ReadSession sessions, TrackerDbContext db, OfficeClock clock, CancellationToken ct)
    {
        var session = await sessions.FindAsync(id, ct);
        await ItemAccess.RequireSupervisorOfAsync(db, viewer, session.JurisdictionId, "Only supervisors of the jurisdiction adopt its vote.", ct);
        if (!session.IsClosed(clock.Now))
            throw new DomainException(ErrorCodes.VotingOpen, "Adopt the result once voting has closed.");
        var result = await CountAsync(db, session, ct);
        var tieBreak = adoption.TieBreak ?? [];
        if (tieBreak.Except(result.TiedAtCutoff).Any())
            throw new DomainException(ErrorCodes.TieBreak, "Only candidates tied at the cut-off can be named to break the tie.");
        if (result.Chosen.Count + tieBreak.Length > session.ItemsToChoose)
            throw new DomainException(ErrorCodes.TieBreak, $"That would choose more than {session.ItemsToChoose} items.");

        var code = await db.Jurisdictions.Where(j => j.Id == session.JurisdictionId).Select(j => j.Code).SingleAsync(ct);
        var chosen = result.Chosen.Concat(tieBreak).ToList();
        var candidates = await db.Candidates.Where(c => chosen.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
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
            initiative.ChosenByVote();
            initiative.Publish(true);
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
        return TypedResults.Ok(new AdoptionResult([.. candidates.Select(c => c.InitiativeId!.Value)], [.. result.TiedAtCutoff.Except(tieBreak)]));
    }

    internal static IQueryable<TrackerUser> DeputiesOf(TrackerDbContext db, int jurisdictionId) =>
        db.Users.Where(u => u.JurisdictionId == jurisdictionId
            && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Deputy)));

    private static async Task<VoteResult> CountAsync(TrackerDbContext db, CongressSession session, CancellationToken ct) =>
        Tally.Count(session, await db.Ballots.AsNoTracking().Include(b => b.Choices).Where(b => b.SessionId == session.Id).ToListAsync(ct));

    internal static SessionDto ToDto(CongressSession s, int ballots) =>
        new(s.Id, s.JurisdictionId, s.Year, s.Name, s.OpensAt, s.ClosesAt, s.ItemsToChoose, s.Mode, s.PassRule, s.Deputies, s.CandidateIds, ballots, s.Adopted);

    internal static BallotDto ToDto(Ballot b) => new(b.SessionId, b.CastAt, [.. b.Choices.OrderBy(c => c.CandidateId).Select(c => new ChoiceInput(c.CandidateId, c.Choice))]);
}

internal sealed class SessionInputValidator : AbstractValidator<SessionInput>
{
    public SessionInputValidator()
    {
        RuleFor(s => s.JurisdictionId).NotNull();
        RuleFor(s => s.Year).NotNull().InclusiveBetween(2000, 2100);
        RuleFor(s => s.Name).NotEmpty().MaximumLength(200);
        RuleFor(s => s.OpensAt).NotNull().PlausibleTime();
        RuleFor(s => s.ClosesAt).NotNull().PlausibleTime().GreaterThan(s => s.OpensAt).When(s => s.OpensAt is not null);
        RuleFor(s => s.ItemsToChoose).NotNull().GreaterThan(0);
        RuleFor(s => s.CandidateIds).NotEmpty();
        RuleFor(s => s.ItemsToChoose).LessThanOrEqualTo(s => s.CandidateIds!.Length).When(s => s.CandidateIds is { Length: > 0 })
            .WithMessage("There must be at least as many candidates as items to choose.");
        RuleFor(s => s.Mode).IsInEnum();
        RuleFor(s => s.PassRule).IsInEnum();
    }
}

internal sealed class BallotInputValidator : AbstractValidator<BallotInput>
{
    public BallotInputValidator()
    {
        RuleFor(b => b.Choices).NotEmpty().NoNullElements();
        RuleForEach(b => b.Choices).ChildRules(c => c.RuleFor(x => x.Choice).IsInEnum());
    }
}
