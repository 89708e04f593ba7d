using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Public;

/// <summary>Anyone with a receipt code reads what became of the proposal, through <see cref="FollowProposal"/>.</summary>
[AllowAnonymous]
public sealed class ReceiptModel(FollowProposal follow) : TrackerPage
{
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }

    public ProposalStatusDto? Proposal { get; private set; }
    public bool Missing { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Code))
            return;
        try
        {
            Proposal = await follow.RunAsync(Code, ct);
        }
        catch (NotFoundException)
        {
            Missing = true;
        }
    }
}
