using System.Security.Cryptography;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Livelihood;

public sealed class LivelihoodOptions
{
    public const string Section = "Tracker:Livelihood";

    /// <summary>Anonymous proposals accepted per minute from one address.</summary>
    public int PublicProposalsPerMinute { get; set; } = 5;

    /// <summary>An item whose dissatisfied share of ratings exceeds this is flagged for rectification.</summary>
    public decimal RectifyAboveDissatisfiedShare { get; set; } = 0.3m;
}

public sealed record ProposalInput(int? JurisdictionId, int? Year, string? Title, string? Description);

public sealed record ProposalReceipt(string ReceiptCode, ProposalStatus Status);

public sealed record ProposalStatusDto(string Title, ProposalStatus Status, string? RejectionReason, string? CandidateTitle);

public sealed record ProposalDto(long Id, int JurisdictionId, int Year, string Title, string Description, ProposerKind ProposerKind,
    DateTimeOffset SubmittedAt, ProposalStatus Status, long? CandidateId, string? RejectionReason);

/// <summary>A candidate; <see cref="InitiativeId"/> names an existing item of the jurisdiction and year, led by the candidate's
/// department, that the vote would choose (an old-community renovation, say) instead of a new livelihood item.</summary>
public sealed record CandidateInput(int? JurisdictionId, int? Year, string? Title, string? Description, decimal? EstimatedCost, int? DepartmentId, long[]? ProposalIds,
    long? InitiativeId = null);

public sealed record CandidateDto(long Id, int JurisdictionId, int Year, string Title, string Description, decimal EstimatedCost, int DepartmentId, long? InitiativeId, IReadOnlyList<long> ProposalIds);

public sealed record Rejection(string? Reason);

public static class ProposalsApi
{
    public static void AddLivelihood(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LivelihoodOptions>().BindConfiguration(LivelihoodOptions.Section);
        builder.Services.AddScoped<PublicSendLimit>();
    }

    /// <summary>Refuses, with 429 and Retry-After, the sends over the limit of endpoints marked <see cref="PublicSendLimitAttribute"/> (<see cref="PublicSendLimit"/>);
    /// the body is left to the status-code pages (a problem document for the API, the error page for a page).</summary>
    public static IApplicationBuilder UsePublicSendLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var method = context.Request.Method;
            if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || context.GetEndpoint()?.Metadata.GetMetadata<PublicSendLimitAttribute>() is null)
            {
                await next(context);
                return;
            }
            var limit = context.RequestServices.GetRequiredService<PublicSendLimit>();
            if (await limit.TakeAsync(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", context.RequestAborted) is { } wait)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return;
            }
            await next(context);
        });

    public static IEndpointRouteBuilder MapProposalsApi(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/api/public/proposals").WithTags("Public").AllowAnonymous();
        open.MapPost("/", SubmitPublic).Validate<ProposalInput>().WithMetadata(new PublicSendLimitAttribute()).ProducesProblem(429);
        open.MapGet("/{receipt}", Follow).ProducesProblem(404);

        var signedIn = app.MapGroup("/api").WithTags("Livelihood items: proposals").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        signedIn.MapPost("/proposals", Submit).Validate<ProposalInput>();
        signedIn.MapGet("/proposals", List);
        signedIn.MapPost("/proposals/{id:long}/reject", Reject).ProducesProblem(404).ProducesProblem(409);
        signedIn.MapPost("/candidates", CreateCandidate).ProducesValidationProblem().ProducesProblem(409);
        signedIn.MapGet("/candidates", Candidates);
        return app;
    }

    public static async Task<Created<ProposalReceipt>> SubmitPublic(ProposalInput input, SubmitProposal submit, CancellationToken ct) =>
        Created(await submit.PublicAsync(input, ct));

    /// <summary>Deputies and departments propose too, under their own name.</summary>
    public static async Task<Created<ProposalReceipt>> Submit(ProposalInput input, SubmitProposal submit, CancellationToken ct) =>
        Created(await submit.OwnAsync(input, ct));

    /// <summary>A proposer follows a proposal by its receipt code: its state and, if rejected, why.</summary>
    public static async Task<Ok<ProposalStatusDto>> Follow(string receipt, FollowProposal follow, CancellationToken ct) =>
        TypedResults.Ok(await follow.RunAsync(receipt, ct));

    private static Created<ProposalReceipt> Created(ProposalReceipt receipt) => TypedResults.Created($"/api/public/proposals/{receipt.ReceiptCode}", receipt);

    public static async Task<Ok<Paged<ProposalDto>>> List(int? jurisdictionId, int? year, ProposalStatus? status, int? page, int? pageSize,
        ScreenProposals screen, CancellationToken ct) =>
        TypedResults.Ok(await screen.ListAsync(new ProposalQuery(jurisdictionId, year, status, page, pageSize), ct));

    /// <summary>Rejected with a reason the proposer sees through the receipt code.</summary>
    public static async Task<NoContent> Reject(long id, Rejection rejection, ScreenProposals screen, CancellationToken ct)
    {
        await screen.RejectAsync(id, rejection, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Screens one or more proposals (duplicates merged) into a candidate with a cost and a department, optionally naming the existing item it stands for.</summary>
    public static async Task<Created<CandidateDto>> CreateCandidate(CandidateInput input, ScreenProposals screen, CancellationToken ct)
    {
        var candidate = await screen.CandidateAsync(input, ct);
        return TypedResults.Created($"/api/candidates?jurisdictionId={candidate.JurisdictionId}&year={candidate.Year}", candidate);
    }

    /// <summary>A jurisdiction's candidates, for its (and its parents') supervisors and deputies.</summary>
    public static async Task<Ok<List<CandidateDto>>> Candidates(int jurisdictionId, int year, ReadCandidates read, CancellationToken ct) =>
        TypedResults.Ok((await read.RunAsync(jurisdictionId, year, ct)).Select(r => r.Candidate).ToList());

    /// <summary>Rows of the viewer's jurisdiction or below (admins: all; people without a jurisdiction: none).</summary>
    internal static System.Linq.Expressions.Expression<Func<T, bool>> InScope<T>(TrackerDbContext db, Viewer viewer,
        System.Linq.Expressions.Expression<Func<T, int>> jurisdictionOf)
    {
        if (viewer.Is(Roles.Admin))
            return _ => true;
        var path = viewer.JurisdictionPath ?? "-";
        var ids = db.Jurisdictions.Where(j => j.Path.StartsWith(path)).Select(j => j.Id);
        var parameter = jurisdictionOf.Parameters[0];
        var contains = System.Linq.Expressions.Expression.Call(typeof(Queryable), nameof(Queryable.Contains), [typeof(int)], ids.Expression, jurisdictionOf.Body);
        return System.Linq.Expressions.Expression.Lambda<Func<T, bool>>(contains, parameter);
    }
}

/// <summary>
/// A livelihood item proposed for the year's vote: by the public (anonymous; the API and the public page share one
/// rate limit per address) or by a deputy or a department under their own name. The proposer gets a receipt code.
/// </summary>
public sealed class SubmitProposal(TrackerDbContext db, Viewer viewer, OfficeClock clock, IValidator<ProposalInput> validator) : IUseCase
{
    public Task<ProposalReceipt> PublicAsync(ProposalInput input, CancellationToken ct) => SaveAsync(input, ProposerKind.Public, null, ct);

    public Task<ProposalReceipt> OwnAsync(ProposalInput input, CancellationToken ct)
    {
        var kind = viewer.Is(Roles.Deputy) ? ProposerKind.Deputy
            : viewer.Is(Roles.Official) ? ProposerKind.Department
            : throw new ForbiddenException("Deputies and officials propose here; the public uses /api/public/proposals.");
        return SaveAsync(input, kind, viewer.UserId, ct);
    }

    private async Task<ProposalReceipt> SaveAsync(ProposalInput input, ProposerKind kind, string? userId, CancellationToken ct)
    {
        await validator.ValidateAndThrowAsync(input, ct);
        if (!await db.Jurisdictions.AnyAsync(j => j.Id == input.JurisdictionId, ct))
            throw new ValidationException([new FluentValidation.Results.ValidationFailure("JurisdictionId", "No such jurisdiction.")]);
        var proposal = new Proposal
        {
            JurisdictionId = input.JurisdictionId!.Value,
            Year = input.Year!.Value,
            Title = input.Title!.Trim(),
            Description = input.Description?.Trim() ?? "",
            ProposerKind = kind,
            ProposerUserId = userId,
            ReceiptCode = NewReceipt(),
            SubmittedAt = clock.Now,
        };
        db.Proposals.Add(proposal);
        await db.SaveChangesAsync(ct);
        return new ProposalReceipt(proposal.ReceiptCode, proposal.Status);
    }

    /// <summary>10 characters from an alphabet without look-alikes (0/O, 1/I): about 50 bits, not guessable.</summary>
    private static string NewReceipt() => RandomNumberGenerator.GetString("23456789ABCDEFGHJKLMNPQRSTUVWXYZ", 10);
}

/// <summary>Anyone with a receipt code reads that proposal's fate: its state, why it was rejected, the candidate it went into.</summary>
public sealed class FollowProposal(TrackerDbContext db) : IUseCase
{
    public async Task<ProposalStatusDto> RunAsync(string receipt, CancellationToken ct) =>
        await db.Proposals.AsNoTracking().Where(p => p.ReceiptCode == receipt.Trim().ToUpperInvariant())
            .Select(p => new ProposalStatusDto(p.Title, p.Status, p.RejectionReason,
                db.Candidates.Where(c => c.Id == p.CandidateId).Select(c => c.Title).FirstOrDefault()))
            .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("No proposal with this receipt code.");
}

internal sealed class ProposalInputValidator : AbstractValidator<ProposalInput>
{
    public ProposalInputValidator()
    {
        RuleFor(p => p.JurisdictionId).NotNull();
        RuleFor(p => p.Year).NotNull().InclusiveBetween(2000, 2100);
        RuleFor(p => p.Title).NotEmpty().MaximumLength(200);
        RuleFor(p => p.Description).MaximumLength(4000);
    }
}

internal sealed class CandidateInputValidator : AbstractValidator<CandidateInput>
{
    public CandidateInputValidator(TrackerDbContext db)
    {
        RuleFor(c => c.JurisdictionId).NotNull().MustAsync((id, ct) => db.Jurisdictions.AnyAsync(j => j.Id == id, ct)).WithMessage("No such jurisdiction.");
        RuleFor(c => c.Year).NotNull().InclusiveBetween(2000, 2100);
        RuleFor(c => c.Title).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Description).MaximumLength(4000);
        RuleFor(c => c.EstimatedCost).NotNull().GreaterThanOrEqualTo(0);
        RuleFor(c => c.DepartmentId).NotNull()
            .MustAsync((input, id, ct) => db.Departments.AnyAsync(d => d.Id == id && d.JurisdictionId == input.JurisdictionId, ct))
            .WithMessage("The department must be one of the candidate's jurisdiction.");
    }
}
