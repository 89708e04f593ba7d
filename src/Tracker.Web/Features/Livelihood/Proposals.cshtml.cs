using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Bulletins;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Livelihood;

/// <summary>
/// The proposals queue of a jurisdiction's year (征集): reject one with a reason the proposer reads by the receipt code,
/// or tick one or more (duplicates) and merge them into a candidate with its cost and department. Through
/// <see cref="ScreenProposals"/>, as the API.
/// </summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class ProposalsModel(TrackerDbContext db, OfficeClock clock, BulletinAccess access, ScreenProposals screen, ReadCandidates readCandidates) : TrackerPage
{
    [BindProperty(SupportsGet = true)] public int? JurisdictionId { get; set; }
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }

    /// <summary>The state listed; the queue of unscreened proposals unless another is asked for.</summary>
    [BindProperty(SupportsGet = true)] public ProposalStatus Status { get; set; } = ProposalStatus.Submitted;

    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }

    [BindProperty] public CandidateForm Candidate { get; set; } = new();
    [BindProperty] public RejectForm Rejection { get; set; } = new();

    public sealed class CandidateForm
    {
        public long[] ProposalIds { get; set; } = [];
        public string? Title { get; set; }
        public string? Description { get; set; }

        /// <summary>万元, as offices count; the use case takes yuan.</summary>
        public decimal? EstimatedCost { get; set; }

        public int? DepartmentId { get; set; }
    }

    public sealed class RejectForm
    {
        public long ProposalId { get; set; }
        public string? Reason { get; set; }
    }

    public string JurisdictionName { get; private set; } = "";
    public Paged<ProposalDto> Proposals { get; private set; } = null!;
    public ProposalTotals Totals { get; private set; } = null!;
    public IReadOnlyList<ReadCandidates.Row> Candidates { get; private set; } = [];
    public IReadOnlyList<NamedRef> Departments { get; private set; } = [];

    /// <summary>The proposal whose rejection was refused, to show its error beside it.</summary>
    public long? FailedRejection { get; private set; }

    [TempData] public string? Done { get; set; }
    [TempData] public string? DoneTitle { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCandidateAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        CandidateDto? made = null;
        if (await TrySubmitAsync(async () => made = await screen.CandidateAsync(new CandidateInput(JurisdictionId, Year, Candidate.Title, Candidate.Description,
                Candidate.EstimatedCost * 10_000m, Candidate.DepartmentId, Candidate.ProposalIds), ct), nameof(Candidate)))
        {
            Done = "candidate";
            DoneTitle = made!.Title;
            return RedirectToPage(new { JurisdictionId, Year });
        }
        return Page();
    }

    public async Task<IActionResult> OnPostRejectAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (await TrySubmitAsync(() => screen.RejectAsync(Rejection.ProposalId, new Rejection(Rejection.Reason), ct), nameof(Rejection)))
        {
            Done = "rejected";
            return RedirectToPage(new { JurisdictionId, Year, Status, p = PageNumber });
        }
        FailedRejection = Rejection.ProposalId;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        JurisdictionId = await access.ChooseAsync(JurisdictionId, ct);
        Year ??= clock.Today.Year;
        (JurisdictionName, _) = await screen.OpenAsync(JurisdictionId.Value, ct);
        var query = new ProposalQuery(JurisdictionId, Year, Status, PageNumber, 20);
        Proposals = await screen.ListAsync(query, ct);
        Totals = await screen.TotalsAsync(query, ct);
        Candidates = await readCandidates.RunAsync(JurisdictionId.Value, Year.Value, ct);
        Departments = await db.Departments.AsNoTracking().Where(d => d.JurisdictionId == JurisdictionId).OrderBy(d => d.Code)
            .Select(d => new NamedRef(d.Id, d.Name)).ToListAsync(ct);
    }
}
