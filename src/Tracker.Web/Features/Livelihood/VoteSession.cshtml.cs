using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Livelihood;

/// <summary>
/// One voting session for its supervisors: while it is open, how many deputies have voted (never who chose what);
/// once closed, the tally with ties at the cut-off shown, and the adoption with an explicit tie-break through
/// <see cref="AdoptVote"/>, as the API.
/// </summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class VoteSessionModel(TrackerDbContext db, OfficeClock clock, ReadSession read, AdoptVote adopt) : TrackerPage
{
    public sealed record Row(long Id, string Title, string Department, decimal EstimatedCost, long? InitiativeId);

    public SessionDto Session { get; private set; } = null!;
    public IReadOnlyDictionary<long, Row> Candidates { get; private set; } = new Dictionary<long, Row>();

    /// <summary>The count, once voting has closed.</summary>
    public VoteResult? Result { get; private set; }

    /// <summary>The tied candidates the supervisor names to break the tie.</summary>
    [BindProperty] public long[] TieBreak { get; set; } = [];

    [TempData] public string? Done { get; set; }

    public bool IsOpen => Session.OpensAt <= clock.Now && clock.Now < Session.ClosesAt;

    public async Task OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct);

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        if (await TrySubmitAsync(() => adopt.RunAsync(id, new Adoption(TieBreak), ct)))
        {
            Done = "adopted";
            return RedirectToPage(new { id });
        }
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        Session = await read.GetAsync(id, ct);
        var ids = Session.CandidateIds.ToList();
        Candidates = await db.Candidates.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new Row(c.Id, c.Title, db.Departments.Where(d => d.Id == c.DepartmentId).Select(d => d.Name).FirstOrDefault() ?? "", c.EstimatedCost, c.InitiativeId))
            .ToDictionaryAsync(c => c.Id, ct);
        if (clock.Now >= Session.ClosesAt)
            Result = await adopt.ResultAsync(id, ct);
    }
}
