using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Livelihood;

public sealed record ProposalQuery(int? JurisdictionId, int? Year, ProposalStatus? Status, int? Page, int? PageSize);

/// <summary>How many proposals of a jurisdiction's year are in each state: the queue's totals.</summary>
public sealed record ProposalTotals(int Submitted, int Candidate, int Rejected)
{
    public int All => Submitted + Candidate + Rejected;
}

/// <summary>
/// Congress staff screen the proposals (征集、筛选): reject one with a reason its proposer reads by the receipt code, or
/// merge one or more (duplicates) into a candidate with its cost and department. Supervisors of the jurisdiction (or
/// above) and admins; the API and the queue page both call here.
/// </summary>
public sealed class ScreenProposals(TrackerDbContext db, Viewer viewer, IValidator<CandidateInput> validator) : IUseCase
{
    /// <summary>The jurisdiction's name and path, if the viewer screens its proposals (403 otherwise).</summary>
    public async Task<(string Name, string Path)> OpenAsync(int jurisdictionId, CancellationToken ct)
    {
        RequireScreener(viewer);
        var path = await ItemAccess.RequireSupervisorOfAsync(db, viewer, jurisdictionId, "Only supervisors of the jurisdiction screen its proposals.", ct);
        return (await db.Jurisdictions.Where(j => j.Id == jurisdictionId).Select(j => j.Name).SingleAsync(ct), path);
    }

    public async Task<Paged<ProposalDto>> ListAsync(ProposalQuery query, CancellationToken ct)
    {
        RequireScreener(viewer);
        return await Filtered(query).OrderBy(p => p.SubmittedAt).ThenBy(p => p.Id)
            .Select(p => new ProposalDto(p.Id, p.JurisdictionId, p.Year, p.Title, p.Description, p.ProposerKind, p.SubmittedAt, p.Status, p.CandidateId, p.RejectionReason))
            .ToPagedAsync(PageRequest.Of(query.Page, query.PageSize, 50, 200), ct);
    }

    /// <summary>The queue's totals per state, whatever state is listed: one grouped count.</summary>
    public async Task<ProposalTotals> TotalsAsync(ProposalQuery query, CancellationToken ct)
    {
        RequireScreener(viewer);
        var counts = await Filtered(query with { Status = null }).GroupBy(p => p.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return new ProposalTotals(counts.GetValueOrDefault(ProposalStatus.Submitted), counts.GetValueOrDefault(ProposalStatus.Candidate),
            counts.GetValueOrDefault(ProposalStatus.Rejected));
    }

    /// <summary>Rejected with a reason the proposer sees through the receipt code.</summary>
    public async Task RejectAsync(long id, Rejection rejection, CancellationToken ct)
    {
        RequireScreener(viewer);
        if (string.IsNullOrWhiteSpace(rejection.Reason))
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(Rejection.Reason), "Say why the proposal is rejected.")]);
        if (rejection.Reason.Trim().Length > 500)
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(Rejection.Reason), "Keep the reason within 500 characters.")]);
        // Under the proposal's lock: a rejection and a merge at once are taken one after the other, and the second refused.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM proposals WHERE id = {id} FOR UPDATE", ct);
        var proposal = await db.Proposals.Where(ProposalsApi.InScope<Proposal>(db, viewer, p => p.JurisdictionId)).SingleOrDefaultAsync(p => p.Id == id, ct)
            ?? throw new NotFoundException($"No proposal {id}.");
        proposal.Reject(rejection.Reason.Trim());
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Screens one or more proposals (duplicates merged) into a candidate with a cost and a department, optionally naming the existing item it stands for.</summary>
    public async Task<CandidateDto> CandidateAsync(CandidateInput input, CancellationToken ct)
    {
        RequireScreener(viewer);
        await validator.ValidateAndThrowAsync(input, ct);
        await ItemAccess.RequireSupervisorOfAsync(db, viewer, input.JurisdictionId!.Value, "Only supervisors of the jurisdiction screen its proposals.", ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var candidate = new Candidate
        {
            JurisdictionId = input.JurisdictionId!.Value,
            Year = input.Year!.Value,
            Title = input.Title!.Trim(),
            Description = input.Description?.Trim() ?? "",
            EstimatedCost = input.EstimatedCost!.Value,
            DepartmentId = input.DepartmentId!.Value,
            InitiativeId = input.InitiativeId,
        };
        if (input.InitiativeId is { } item
            && (!await db.Initiatives.AnyAsync(i => i.Id == item && i.JurisdictionId == candidate.JurisdictionId && i.Year == candidate.Year
                    && i.LeadDepartmentId == candidate.DepartmentId, ct)
                || await db.Candidates.AnyAsync(c => c.InitiativeId == item, ct)))
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(CandidateInput.InitiativeId),
                "The item must be of the candidate's jurisdiction and year, led by its department, and not named by another candidate.")]);
        db.Candidates.Add(candidate);
        await db.SaveChangesAsync(ct);
        var ids = input.ProposalIds ?? [];
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM proposals WHERE id = ANY({ids}) ORDER BY id FOR UPDATE", ct);
        var proposals = await db.Proposals.Where(p => ids.Contains(p.Id)).ToListAsync(ct);
        if (proposals.Count != ids.Distinct().Count())
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(CandidateInput.ProposalIds), "Some proposals do not exist.")]);
        foreach (var proposal in proposals)
            proposal.Join(candidate);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new CandidateDto(candidate.Id, candidate.JurisdictionId, candidate.Year, candidate.Title, candidate.Description,
            candidate.EstimatedCost, candidate.DepartmentId, candidate.InitiativeId, [.. proposals.Select(p => p.Id)]);
    }

    private IQueryable<Proposal> Filtered(ProposalQuery query)
    {
        var proposals = db.Proposals.AsNoTracking().Where(ProposalsApi.InScope<Proposal>(db, viewer, p => p.JurisdictionId));
        if (query.JurisdictionId is { } jurisdiction) proposals = proposals.Where(p => p.JurisdictionId == jurisdiction);
        if (query.Year is { } year) proposals = proposals.Where(p => p.Year == year);
        if (query.Status is { } status) proposals = proposals.Where(p => p.Status == status);
        return proposals;
    }

    internal static void RequireScreener(Viewer viewer) =>
        Require.Role(viewer, "Supervisors and admins screen proposals.", Roles.Supervisor, Roles.Admin);
}

/// <summary>A jurisdiction's candidates of a year, for its (and its parents') supervisors and deputies, with their department's name.</summary>
public sealed class ReadCandidates(TrackerDbContext db, Viewer viewer) : IUseCase
{
    public sealed record Row(CandidateDto Candidate, string Department);

    public async Task<List<Row>> RunAsync(int jurisdictionId, int year, CancellationToken ct) =>
        await db.Candidates.AsNoTracking().Where(ProposalsApi.InScope<Candidate>(db, viewer, c => c.JurisdictionId))
            .Where(c => c.JurisdictionId == jurisdictionId && c.Year == year).OrderBy(c => c.Id)
            .Select(c => new Row(
                new CandidateDto(c.Id, c.JurisdictionId, c.Year, c.Title, c.Description, c.EstimatedCost, c.DepartmentId, c.InitiativeId,
                    db.Proposals.Where(p => p.CandidateId == c.Id).OrderBy(p => p.Id).Select(p => p.Id).ToList()),
                db.Departments.Where(d => d.Id == c.DepartmentId).Select(d => d.Name).FirstOrDefault() ?? ""))
            .ToListAsync(ct);
}
