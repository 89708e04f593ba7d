using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Deputies;

/// <summary>A deputy's one rating of a livelihood item (民主评议), and then how the item has been rated so far.</summary>
public sealed class EvaluateModel(TrackerDbContext db, OfficeClock clock, HealthPolicy policy, IValidator<EvaluationInput> validator,
    IOptions<LivelihoodOptions> options) : TrackerPage
{
    public sealed class EvaluationForm
    {
        public Rating? Rating { get; set; }
        public string? Comment { get; set; }
    }

    /// <summary>The text shown for the API's "rated" refusal (a key of the page's resources).</summary>
    public const string AlreadyRated = "您已测评过该事项，每位代表只能测评一次。";

    public InitiativeDetail Item { get; private set; } = null!;

    /// <summary>The item's ratings once this deputy's own went in.</summary>
    public ItemRating? Result { get; private set; }

    [BindProperty] public EvaluationForm Form { get; set; } = new();

    public async Task OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct);

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        var input = new EvaluationInput(Form.Rating, Form.Comment);
        await TrySubmitAsync(async () =>
        {
            await validator.ValidateAndThrowAsync(input, ct);
            try
            {
                Result = (await DeputiesApi.Evaluate(id, input, Viewer, db, clock, options, ct)).Value;
            }
            catch (DomainException e) when (e.Code == "rated")
            {
                throw new DomainException(e.Code, AlreadyRated);
            }
            catch (Microsoft.EntityFrameworkCore.DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
            {
                throw new DomainException("rated", AlreadyRated);
            }
        }, nameof(Form));
        return Page();
    }

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, Viewer, id, ct);
        Item = await InitiativesApi.LoadDetail(db, id, new HealthContext(clock.Today, policy), ct);
    }
}
