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
        sessions.MapPost("/", Create).ProducesValidationProblem();
        sessions.MapGet("/", List);
        sessions.MapGet("/{id:long}", Get);
        sessions.MapPost("/{id:long}/ballots", Cast).ProducesValidationProblem().ProducesProblem(409);
        sessions.MapGet("/{id:long}/ballots/mine", Mine);
        sessions.MapGet("/{id:long}/result", Result).ProducesProblem(409);
        sessions.MapPost("/{id:long}/adopt", Adopt).ProducesProblem(409);
        return app;
    }

    public static async Task<Created<SessionDto>> Create(SessionInput input, SetUpSession setUp, CancellationToken ct)
    {
        var session = await setUp.RunAsync(input, ct);
        return TypedResults.Created($"/api/sessions/{session.Id}", session);
    }

    public static async Task<Ok<List<SessionDto>>> List(int? jurisdictionId, int? year, ReadSession read, CancellationToken ct) =>
        TypedResults.Ok(await read.ListAsync(jurisdictionId, year, ct));

    public static async Task<Ok<SessionDto>> Get(long id, ReadSession read, CancellationToken ct) =>
        TypedResults.Ok(await read.GetAsync(id, ct));

    public static async Task<Created<BallotDto>> Cast(long id, BallotInput input, CastBallot cast, CancellationToken ct) =>
        TypedResults.Created($"/api/sessions/{id}/ballots/mine", await cast.RunAsync(id, input, ct));

    /// <summary>A deputy reads back their own ballot; there is no way to read anyone else's.</summary>
    public static async Task<Ok<BallotDto>> Mine(long id, ReadSession read, CancellationToken ct) =>
        TypedResults.Ok(await read.MineAsync(id, ct) ?? throw new NotFoundException("You have not voted in this session."));

    /// <summary>The count, once voting has closed, recomputed from the stored ballots every time.</summary>
    public static async Task<Ok<VoteResult>> Result(long id, AdoptVote vote, CancellationToken ct) =>
        TypedResults.Ok(await vote.ResultAsync(id, ct));

    public static async Task<Ok<AdoptionResult>> Adopt(long id, Adoption adoption, AdoptVote vote, CancellationToken ct) =>
        TypedResults.Ok(await vote.RunAsync(id, adoption, ct));

    internal static IQueryable<TrackerUser> DeputiesOf(TrackerDbContext db, int jurisdictionId) =>
        db.Users.Where(u => u.JurisdictionId == jurisdictionId
            && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Deputy)));

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
