using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Livelihood;

/// <summary>A deputy's one rating of a livelihood item (民主评议), and then how the item has been rated so far.</summary>
[Authorize(Policy = Policies.Represent)]
public sealed class EvaluateModel(RateItem rate) : TrackerPage
{
    public sealed class EvaluationForm
    {
        public Rating? Rating { get; set; }
        public string? Comment { get; set; }
    }

    public InitiativeDetail Item { get; private set; } = null!;

    /// <summary>The item's ratings once this deputy's own went in.</summary>
    public ItemRating? Result { get; private set; }

    [BindProperty] public EvaluationForm Form { get; set; } = new();

    public async Task OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct);

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        await TrySubmitAsync(async () => Result = (await rate.RunAsync(id, new EvaluationInput(Form.Rating, Form.Comment), ct)).Rating, nameof(Form));
        return Page();
    }

    private async Task LoadAsync(long id, CancellationToken ct) => Item = await rate.FormAsync(id, ct);
}
