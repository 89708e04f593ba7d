using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Programmes;

/// <summary>A programme: its roll-up over the items the reader may read (and how many are not shown), and its items reddest first (<see cref="ReadProgrammes"/>).</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class ProgrammeModel(ReadProgrammes read) : TrackerPage
{
    [BindProperty(SupportsGet = true)] public int Id { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public ProgrammeDetail Programme { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Programme = await read.OneAsync(Id, PageNumber, ct);
}

/// <summary>A set's figures and its investment curve as the programme page and the dashboard show them (<c>_RollUp.cshtml</c>).</summary>
public sealed record RollUpView(Tracker.Domain.RollUpFigures Figures, IReadOnlyList<Tracker.Domain.InvestmentPoint> Investment,
    IReadOnlyList<Tracker.Domain.ProgressPoint> Progress, int Year, string Title);
