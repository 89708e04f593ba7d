using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Ledgers;

/// <summary>The viewer's ledger rows across items: to rectify (their department's), or to verify (销号: the supervisors' queue).</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class WorklistModel(ReadLedger read) : TrackerPage
{
    [BindProperty(SupportsGet = true)] public long? After { get; set; }

    public Paged<LedgerRowDto> Rows { get; private set; } = new([], 1, 50, false);

    public int Total { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Rows = await read.WorklistAsync(After, 50, ct);
        Total = await read.WorklistCountAsync(ct);
    }
}
