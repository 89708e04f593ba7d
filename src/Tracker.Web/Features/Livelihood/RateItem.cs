using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Livelihood;

public sealed record EvaluationInput(Rating? Rating, string? Comment);

public sealed record ItemRating(long InitiativeId, string Code, string Title, int DepartmentId, RatingSummary Summary);

/// <summary>
/// Each deputy rates each livelihood item they read once (民主评议): satisfied, basically satisfied or dissatisfied.
/// A second rating is refused (409, <see cref="ErrorCodes.Rated"/>), also when two race, by the unique key.
/// The API and the rating page both rate through here.
/// </summary>
public sealed class RateItem(TrackerDbContext db, Viewer viewer, OfficeClock clock, HealthPolicy policy, IValidator<EvaluationInput> validator,
    IOptions<LivelihoodOptions> options) : IUseCase
{
    /// <summary>The item as the rating form shows it, if the viewer may rate it.</summary>
    public async Task<InitiativeDetail> FormAsync(long id, CancellationToken ct)
    {
        await RequireRaterAsync(id, ct);
        return await ReadItem.LoadAsync(db, id, new HealthContext(clock.Today, policy), ct);
    }

    /// <summary>The item's ratings once this one went in, and the item's year.</summary>
    public async Task<(ItemRating Rating, int Year)> RunAsync(long id, EvaluationInput input, CancellationToken ct)
    {
        await RequireRaterAsync(id, ct);
        await validator.ValidateAndThrowAsync(input, ct);
        var item = await db.Initiatives.AsNoTracking().Where(i => i.Id == id).Select(i => new { i.Code, i.Title, i.Year, i.LeadDepartmentId }).SingleAsync(ct);
        if (await db.Evaluations.AnyAsync(e => e.InitiativeId == id && e.DeputyUserId == viewer.UserId, ct))
            throw Rated();
        var evaluation = new Evaluation
        {
            InitiativeId = id,
            DeputyUserId = viewer.UserId!,
            Year = item.Year,
            Rating = input.Rating!.Value,
            Comment = input.Comment?.Trim() ?? "",
            At = clock.Now,
        };
        db.Evaluations.Add(evaluation);
        await db.SaveUniqueAsync(evaluation, Rated, ct);
        var ratings = await db.Evaluations.Where(e => e.InitiativeId == id).Select(e => e.Rating).ToListAsync(ct);
        return (new ItemRating(id, item.Code, item.Title, item.LeadDepartmentId, RatingSummary.Of(ratings, options.Value.RectifyAboveDissatisfiedShare)), item.Year);
    }

    private async Task RequireRaterAsync(long id, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        Require.That(viewer.Is(Roles.Deputy), "Deputies rate livelihood items.");
    }

    private static DomainException Rated() => new(ErrorCodes.Rated, "You have rated this item already.");
}

internal sealed class EvaluationInputValidator : AbstractValidator<EvaluationInput>
{
    public EvaluationInputValidator()
    {
        RuleFor(e => e.Rating).NotNull().IsInEnum();
        RuleFor(e => e.Comment).MaximumLength(2000);
    }
}
