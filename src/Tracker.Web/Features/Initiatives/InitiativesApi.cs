using System.Linq.Expressions;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Initiatives;

public static class InitiativesApi
{
    public static IEndpointRouteBuilder MapInitiativesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/initiatives").WithTags("Initiatives").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/", List).WithName("ListInitiatives").Validate<InitiativeQuery>();
        api.MapGet("/export", Export).Validate<InitiativeQuery>();
        api.MapPost("/import", Import).DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data").WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(Ledgers.LedgersApi.ImportLimitBytes))
            .ProducesValidationProblem().ProducesProblem(413).ProducesProblem(415);
        api.MapGet("/{id:long}", Get).WithName("GetInitiative").ProducesProblem(404);
        api.MapPost("/", Create).ProducesValidationProblem().ProducesProblem(409);
        api.MapPut("/{id:long}", Update).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(428);
        api.MapPost("/{id:long}/status", ChangeStatus).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        api.MapPost("/{id:long}/publication", Publish).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    /// <summary>The items list with its filters, a row per target, as .xlsx (the default) or .csv; see <see cref="ExportItems"/>.</summary>
    public static async Task<FileStreamHttpResult> Export([AsParameters] InitiativeQuery query, SheetFormat? format, ExportItems export, CancellationToken ct)
    {
        var sheet = format ?? SheetFormat.Xlsx;
        var (file, name) = await export.RunAsync(query, sheet, ct);
        return TypedResults.File(file, Sheets.ContentType(sheet), name);
    }

    /// <summary>Items and their targets from a sheet (.xlsx or .csv) in the <c>file</c> part of a form: all or none; see <see cref="ImportItems"/>.</summary>
    public static async Task<Ok<ItemImportResult>> Import(HttpRequest request, ImportItems import, CancellationToken ct)
    {
        // Who may import is checked before the body is read.
        import.RequireImporter();
        var file = await SheetUpload.ReadAsync(request, ct);
        await using var stream = file.OpenReadStream();
        return TypedResults.Ok(await import.RunAsync(stream, ct));
    }

    /// <summary>
    /// A page of the items the viewer reads, filtered on kept columns and read in (deadline, id) order by keyset along an
    /// index of the scope (everything readable, a jurisdiction's subtree, a department); summary columns only, no total.
    /// </summary>
    public static async Task<Ok<Paged<InitiativeSummary>>> List(
        [AsParameters] InitiativeQuery query, Viewer viewer, TrackerDbContext db, KeptHealth kept, OfficeClock clock, CancellationToken ct)
    {
        await kept.EnsureTodayAsync(ct);
        var today = clock.Today;
        var items = db.Readable(viewer);

        if (query.DepartmentId is { } department)
            items = items.OfDepartment(db, department);
        if (query.JurisdictionId is { } jurisdiction)
            items = await items.WithinAsync(db, jurisdiction, ct);
        if (query.Year is { } year) items = items.Where(i => i.Year == year);
        if (query.Kind is { } kind) items = items.Where(i => i.Kind == kind);
        if (query.Status is { } status) items = items.Where(i => i.Status == status);
        if (query.Phase is { } phase) items = items.Where(i => i.Phase == phase);
        if (query.Colour is { } colour) items = items.Where(i => i.HealthColour == colour);
        if (query.Overdue is { } overdue) items = items.Where(i => i.Overdue == overdue);
        if (query.Silent is { } silent) items = items.Where(i => i.Silent == silent);
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var pattern = $"%{EscapeLike(query.Q.Trim())}%";
            items = items.Where(i => EF.Functions.ILike(i.Title, pattern, "\\") || EF.Functions.ILike(i.Code, pattern, "\\"));
        }

        var sort = query.Sort ?? InitiativeSort.Deadline;
        if (DeadlineCursor.Parse(query.After) is { } after)
        {
            var (d, id) = (after.Deadline, after.Id);
            items = sort switch
            {
                // The redundant bound on the deadline alone is what lets the index start at the cursor.
                InitiativeSort.DeadlineDescending => items.Where(i => i.Deadline <= d && (i.Deadline < d || i.Id < id)),
                InitiativeSort.DaysOverdue when after.Flag == true => items.Where(i => !i.Overdue || (i.Deadline >= d && (i.Deadline > d || i.Id > id))),
                InitiativeSort.DaysOverdue => items.Where(i => !i.Overdue && i.Deadline >= d && (i.Deadline > d || i.Id > id)),
                _ => items.Where(i => i.Deadline >= d && (i.Deadline > d || i.Id > id)),
            };
        }
        items = sort switch
        {
            InitiativeSort.DeadlineDescending => items.OrderByDescending(i => i.Deadline).ThenByDescending(i => i.Id),
            // Among overdue items the earliest deadline is the most days overdue.
            InitiativeSort.DaysOverdue => items.OrderByDescending(i => i.Overdue).ThenBy(i => i.Deadline).ThenBy(i => i.Id),
            _ => items.OrderBy(i => i.Deadline).ThenBy(i => i.Id),
        };

        var request = query.After is null
            ? PageRequest.Of(query.Page, query.PageSize, InitiativeQuery.DefaultPageSize, InitiativeQuery.MaxPageSize)
            : PageRequest.Of(1, query.PageSize, InitiativeQuery.DefaultPageSize, InitiativeQuery.MaxPageSize);
        var page = await items.Select(Summary(today)).ToPagedAsync(request, ct);
        var last = page.HasMore ? page.Items[^1] : null;
        return TypedResults.Ok(page with
        {
            Next = last is null ? null : new DeadlineCursor(sort == InitiativeSort.DaysOverdue ? last.Health.Overdue : null, last.Deadline, last.Id).ToString(),
        });
    }

    /// <summary>A list row from the item's own and kept columns; nothing else is read.</summary>
    public static Expression<Func<Initiative, InitiativeSummary>> Summary(DateOnly today) => i => new InitiativeSummary(
        i.Id, i.Code, i.Title, i.Year, i.Kind,
        new NamedRef(i.JurisdictionId, i.Jurisdiction!.Name), new NamedRef(i.LeadDepartmentId, i.LeadDepartment!.Name),
        i.Status, i.Phase, i.PlannedStart, i.Deadline, i.LastReportedAt,
        new Health(i.HealthColour, i.Overdue, i.DaysOverdue, i.MilestoneOverdue, i.Silent,
            i.LastReportedOn == null ? null : today.DayNumber - i.LastReportedOn.Value.DayNumber,
            i.Lagging, i.LaggingRed, i.Progress, i.ExpectedProgress, i.LastReportedAt == null));

    public static async Task<Ok<InitiativeDetail>> Get(long id, HttpContext http, ReadItem read, CancellationToken ct)
    {
        var detail = await read.RunAsync(id, ct);
        http.Response.Headers.ETag = detail.ETag;
        return TypedResults.Ok(detail);
    }

    public static async Task<CreatedAtRoute<InitiativeDetail>> Create(InitiativeInput input, HttpContext http, CreateItem create, CancellationToken ct)
    {
        var detail = await create.RunAsync(input, ct);
        http.Response.Headers.ETag = detail.ETag;
        return TypedResults.CreatedAtRoute(detail, "GetInitiative", new { id = detail.Id });
    }

    public static async Task<Results<Ok<InitiativeDetail>, ProblemHttpResult>> Update(long id, InitiativeInput input, HttpContext http, EditItem edit, CancellationToken ct)
    {
        if (ETags.FromIfMatch(http.Request) is not { } expected)
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired,
                title: "An If-Match header with the item's ETag is required.",
                detail: "Read the item first and send its ETag back, so that nobody's change is overwritten silently.");
        var detail = await edit.RunAsync(id, input, expected, ct);
        http.Response.Headers.ETag = detail.ETag;
        return TypedResults.Ok(detail);
    }

    public static async Task<Ok<InitiativeDetail>> ChangeStatus(long id, StatusChange change, HttpContext http, ChangeItemStatus op, CancellationToken ct)
    {
        var detail = await op.RunAsync(id, change, ETags.FromIfMatch(http.Request), ct);
        http.Response.Headers.ETag = detail.ETag;
        return TypedResults.Ok(detail);
    }

    /// <summary>Supervisors put a livelihood item in the public view, or take it out.</summary>
    public static async Task<Ok<InitiativeDetail>> Publish(long id, Publication publication, PublishItem publish, CancellationToken ct) =>
        TypedResults.Ok(await publish.RunAsync(id, publication, ct));

    private static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}

internal sealed class InitiativeQueryValidator : AbstractValidator<InitiativeQuery>
{
    public InitiativeQueryValidator()
    {
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1).LessThanOrEqualTo(InitiativeQuery.MaxPage)
            .WithMessage($"Pages are numbered up to {InitiativeQuery.MaxPage}; read on with the previous page's `next` as `after`.");
        RuleFor(q => q.After).Must(DeadlineCursor.IsValid).WithMessage("Not a cursor of this list: send back a page's `next` unchanged.");
        RuleFor(q => q.PageSize).InclusiveBetween(1, InitiativeQuery.MaxPageSize);
        RuleFor(q => q.Q).MaximumLength(100);
        RuleFor(q => q.Year).InclusiveBetween(2000, 2100);
    }
}
