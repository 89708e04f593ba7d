using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Supervision;

/// <summary>A supervision notice raised by hand: why, and by when the department answers (default: the usual answer days).</summary>
public sealed record NoticeInput(string? Reason, DateOnly? AnswerDue);

/// <summary>
/// The supervisors' ranking, negative list and hand-raised notices. Each endpoint calls the same core method as
/// the supervisors' pages, so that the page and the API cannot drift apart.
/// </summary>
public static class SupervisionApi
{
    /// <summary>The code of the refusal when the item already has an open notice.</summary>
    public const string OpenNoticeCode = "notice-open";

    public static IEndpointRouteBuilder MapSupervisionApi(this IEndpointRouteBuilder app)
    {
        var supervise = app.MapGroup("/api").WithTags("Supervision")
            .RequireAuthorization(p => p.RequireRole(Roles.Supervisor, Roles.Admin))
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        supervise.MapGet("/board/ranking", Ranking);
        supervise.MapGet("/board/negative-list", Negative);
        supervise.MapPost("/initiatives/{id:long}/notices", Raise).Validate<NoticeInput>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>Lead departments ranked by on-time rate, then average progress, for a year (default: this year).</summary>
    public static async Task<Ok<List<RankingRow>>> Ranking(int? year, Viewer viewer, TrackerDbContext db, OfficeClock clock, HealthPolicy policy, CancellationToken ct) =>
        TypedResults.Ok(await DepartmentRanking.ComputeAsync(db, viewer, year ?? clock.Today.Year, new HealthContext(clock.Today, policy), ct));

    /// <summary>The negative list (负面清单): see <see cref="NegativeList"/> for the rule.</summary>
    public static async Task<Ok<Paged<NegativeDepartment>>> Negative(int? page, Viewer viewer, TrackerDbContext db, OfficeClock clock, HealthPolicy policy, CancellationToken ct) =>
        TypedResults.Ok(await NegativeList.ComputeAsync(db, viewer, new HealthContext(clock.Today, policy), page, ct));

    public static async Task<Created<NoticeDto>> Raise(
        long id, NoticeInput input, Viewer viewer, TrackerDbContext db, OfficeClock clock, IValidator<NoticeInput> validator,
        IOptions<ReminderOptions> options, CancellationToken ct)
    {
        var notice = await RaiseAsync(id, input, viewer, db, clock, validator, options.Value, ct);
        return TypedResults.Created($"/api/notices/{notice.Id}", notice);
    }

    /// <summary>
    /// Raises a supervision notice by hand on an item the viewer supervises (admins: any), addressed to its lead
    /// department. An item takes one open notice at a time: a second is refused (409, <see cref="OpenNoticeCode"/>),
    /// also when two raises race, by the unique index on open notices.
    /// </summary>
    public static async Task<NoticeDto> RaiseAsync(
        long id, NoticeInput input, Viewer viewer, TrackerDbContext db, OfficeClock clock, IValidator<NoticeInput> validator,
        ReminderOptions options, CancellationToken ct)
    {
        await RequireRaiserAsync(db, viewer, id, ct);
        await validator.ValidateAndThrowAsync(input, ct);

        var departmentId = await db.Initiatives.Where(i => i.Id == id).Select(i => i.LeadDepartmentId).SingleAsync(ct);
        if (await db.Notices.AnyAsync(n => n.InitiativeId == id && n.Status != NoticeStatus.Closed, ct))
            throw OpenNotice();

        var today = clock.Today;
        var now = clock.Now;
        var notice = SupervisionNotice.Raise(id, departmentId, input.Reason!.Trim(), today, input.AnswerDue ?? DefaultAnswerDue(today, options), now);
        notice.Steps[0].By = viewer.UserName;
        db.Notices.Add(notice);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            db.Entry(notice).State = EntityState.Detached;
            throw OpenNotice();
        }
        return (await RemindersApi.Notice(notice.Id, viewer, db, ct)).Value!;
    }

    /// <summary>Who may raise a notice on the item: 404 when they cannot read it, 403 unless they supervise it (admins: any).</summary>
    public static async Task RequireRaiserAsync(TrackerDbContext db, Viewer viewer, long id, CancellationToken ct)
    {
        var path = await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        if (!viewer.Is(Roles.Admin) && !viewer.Supervises(path))
            throw new ForbiddenException("Only a supervisor of the item's jurisdiction, or one above it, raises a notice on it.");
    }

    public static DateOnly DefaultAnswerDue(DateOnly today, ReminderOptions options) => today.AddDays(options.NoticeAnswerDays);

    private static DomainException OpenNotice() =>
        new(OpenNoticeCode, "The item has an open supervision notice already; close it before raising another.");
}

internal sealed class NoticeInputValidator : AbstractValidator<NoticeInput>
{
    public NoticeInputValidator(OfficeClock clock)
    {
        RuleFor(n => n.Reason).NotEmpty().WithMessage(_ => PageLanguage.Say("Give the reason for the notice.", "请填写督办事由。")).MaximumLength(500);
        RuleFor(n => n.AnswerDue).GreaterThanOrEqualTo(clock.Today).When(n => n.AnswerDue is not null)
            .WithMessage(_ => PageLanguage.Say("The answer date cannot be in the past.", "答复期限不能早于今天。"));
    }
}
