using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;
using RequestSizeLimitAttribute = Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute;

namespace Tracker.Web.Features.Ledgers;

/// <summary>Ledgers (台账): an item's rows with their filters and counts, a row and its steps, the jurisdictions' category lists.</summary>
public static class LedgersApi
{
    public static IEndpointRouteBuilder MapLedgersApi(this IEndpointRouteBuilder app)
    {
        var uploads = app.ServiceProvider.GetRequiredService<IOptions<TrackerOptions>>().Value.Uploads;
        var api = app.MapGroup("/api").WithTags("Ledgers").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/initiatives/{id:long}/ledger", Page).Validate<LedgerQuery>().ProducesProblem(404);
        api.MapPost("/initiatives/{id:long}/ledger/rows", Record).ProducesValidationProblem().ProducesProblem(404);
        api.MapGet("/ledger-rows", Worklist);
        api.MapGet("/ledger-rows/{rowId:long}", Row).ProducesProblem(404);
        api.MapPost("/ledger-rows/{rowId:long}/steps", Step)
            .Accepts<LedgerStepInput>("application/json", "multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(uploads.MaxRequestBytes))
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415);
        api.MapPost("/initiatives/{id:long}/ledger/import", Import).DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data").WithMetadata(new RequestSizeLimitAttribute(ImportLimitBytes))
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(413).ProducesProblem(415);
        api.MapGet("/initiatives/{id:long}/ledger/export", Export).Validate<LedgerQuery>().ProducesProblem(404);
        api.MapGet("/jurisdictions/{jurisdictionId:int}/ledger-categories", Categories).ProducesProblem(404);
        api.MapPut("/jurisdictions/{jurisdictionId:int}/ledger-categories", SetCategories).ProducesValidationProblem().ProducesProblem(404);
        return app;
    }

    public static async Task<Ok<LedgerPage>> Page(long id, [AsParameters] LedgerQuery query, ReadLedger read, CancellationToken ct) =>
        TypedResults.Ok(await read.PageAsync(id, query, ct));

    public static async Task<Created<LedgerRowDetail>> Record(long id, LedgerRowInput input, RecordLedgerRow record, CancellationToken ct)
    {
        var row = await record.RunAsync(id, input, ct);
        return TypedResults.Created($"/api/ledger-rows/{row.Row.Id}", row);
    }

    /// <summary>The viewer's rows to rectify or to verify (销号), across items, by keyset (<c>after</c> = the last id).</summary>
    public static async Task<Ok<Paged<LedgerRowDto>>> Worklist(long? after, int? pageSize, ReadLedger read, CancellationToken ct) =>
        TypedResults.Ok(await read.WorklistAsync(after, pageSize, ct));

    public static async Task<Ok<LedgerRowDetail>> Row(long rowId, ReadLedger read, CancellationToken ct) =>
        TypedResults.Ok(await read.RowAsync(rowId, ct));

    /// <summary>A step, as JSON or as a form with the step in a <c>step</c> part and photos in <c>files</c>; <c>If-Match</c> guards a stale view.</summary>
    public static async Task<Ok<LedgerRowDetail>> Step(long rowId, HttpRequest request, StepLedgerRow step, IOptions<TrackerOptions> options,
        IOptions<JsonOptions> json, CancellationToken ct)
    {
        // Who may move the row is checked before the body is read: a stranger's upload is refused unread.
        await step.RequireStepperAsync(rowId, ct);
        var (input, photos) = await EvidenceForm.ReadAsync<LedgerStepInput>(request, "step", options.Value.Uploads, json.Value.SerializerOptions, ct);
        return TypedResults.Ok(await step.RunAsync(rowId, input, photos, ETags.FromIfMatch(request), ct));
    }

    /// <summary>A sheet of at most this size is read (10,000 rows of a ledger are about 2 MB).</summary>
    public const long ImportLimitBytes = 20 * 1024 * 1024;

    /// <summary>A ledger sheet (.xlsx or .csv) in the <c>file</c> part of a form: all rows or none.</summary>
    public static async Task<Ok<LedgerImportResult>> Import(long id, HttpRequest request, ImportLedger import, CancellationToken ct)
    {
        // Who may import is checked before the body is read.
        await import.RequireImporterAsync(id, ct);
        var file = await SheetUpload.ReadAsync(request, ct);
        await using var stream = file.OpenReadStream();
        return TypedResults.Ok(await import.RunAsync(id, stream, ct));
    }

    /// <summary>The ledger, with the page's filters, as .xlsx (the default) or .csv.</summary>
    public static async Task<FileStreamHttpResult> Export(long id, [AsParameters] LedgerQuery query, SheetFormat? format, ExportLedger export, CancellationToken ct)
    {
        var sheet = format ?? SheetFormat.Xlsx;
        var (file, name) = await export.RunAsync(id, query, sheet, ct);
        return TypedResults.File(file, Sheets.ContentType(sheet), name);
    }

    public static async Task<Ok<IReadOnlyList<string>>> Categories(int jurisdictionId, LedgerCategories categories, CancellationToken ct) =>
        TypedResults.Ok(await categories.ListAsync(jurisdictionId, ct));

    public static async Task<Ok<IReadOnlyList<string>>> SetCategories(int jurisdictionId, string[]? names, LedgerCategories categories, CancellationToken ct) =>
        TypedResults.Ok(await categories.SetAsync(jurisdictionId, names, ct));
}
