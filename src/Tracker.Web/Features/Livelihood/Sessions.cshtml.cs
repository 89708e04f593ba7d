using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Bulletins;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Livelihood;

/// <summary>
/// A jurisdiction's voting sessions of a year (票决) with their ballots cast so far, and the form that sets one up
/// from the year's candidates through <see cref="SetUpSession"/>, as the API. Times are the office's wall clock.
/// </summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class SessionsModel(TrackerDbContext db, OfficeClock clock, BulletinAccess access, ScreenProposals screen, ReadSession read,
    ReadCandidates readCandidates, SetUpSession setUp) : TrackerPage
{
    [BindProperty(SupportsGet = true)] public int? JurisdictionId { get; set; }
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }

    [BindProperty] public SessionForm Input { get; set; } = new();

    public sealed class SessionForm
    {
        public string? Name { get; set; }
        public DateTime? OpensAt { get; set; }
        public DateTime? ClosesAt { get; set; }
        public int? ItemsToChoose { get; set; }
        public BallotMode Mode { get; set; }
        public PassRule PassRule { get; set; }
        public long[] CandidateIds { get; set; } = [];
    }

    public string JurisdictionName { get; private set; } = "";
    public IReadOnlyList<SessionDto> Sessions { get; private set; } = [];
    public IReadOnlyList<ReadCandidates.Row> Candidates { get; private set; } = [];

    /// <summary>The deputies of the jurisdiction's congress, who will vote: the base of "more than half".</summary>
    public int Deputies { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        // The office's habit: the session meets on a working morning, its ballot open for the day.
        var tomorrow = clock.Today.AddDays(1).ToDateTime(new TimeOnly(9, 0));
        Input.Name ??= $"{Year} 年民生实事项目票决";
        Input.OpensAt ??= tomorrow;
        Input.ClosesAt ??= tomorrow.AddHours(8);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        SessionDto? session = null;
        var input = new SessionInput(JurisdictionId, Year, Input.Name, OnWallClock(clock, Input.OpensAt), OnWallClock(clock, Input.ClosesAt),
            Input.ItemsToChoose, Input.Mode, Input.PassRule, Input.CandidateIds);
        if (await TrySubmitAsync(async () => session = await setUp.RunAsync(input, ct), nameof(Input)))
            return Redirect($"/supervisor/sessions/{session!.Id}");
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        JurisdictionId = await access.ChooseAsync(JurisdictionId, ct);
        Year ??= clock.Today.Year;
        (JurisdictionName, _) = await screen.OpenAsync(JurisdictionId.Value, ct);
        Sessions = await read.ListAsync(JurisdictionId, Year, ct);
        Candidates = await readCandidates.RunAsync(JurisdictionId.Value, Year.Value, ct);
        Deputies = await VotingApi.DeputiesOf(db, JurisdictionId.Value).CountAsync(ct);
    }
}
