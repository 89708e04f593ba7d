using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;
using RequestSizeLimitAttribute = Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute;

namespace Tracker.Web.Features.Progress;

public static class ProgressApi
{
    public static IEndpointRouteBuilder MapProgressApi(this IEndpointRouteBuilder app)
    {
        var uploads = app.ServiceProvider.GetRequiredService<IOptions<TrackerOptions>>().Value.Uploads;
        var reports = app.MapGroup("/api/initiatives/{id:long}/reports").WithTags("Progress reports").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        reports.MapPost("/", Post)
            .Accepts<ReportInput>("application/json", "multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(uploads.MaxRequestBytes))
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415);
        reports.MapGet("/", List).ProducesProblem(404);
        app.MapGet("/api/attachments/{attachmentId:guid}", Download).WithTags("Progress reports").RequireAuthorization().ProducesProblem(404);
        return app;
    }

    public static async Task<CreatedAtRoute<ReportDto>> Post(
        long id, HttpRequest request, Viewer viewer, TrackerDbContext db, SubmitReport submit, IOptions<TrackerOptions> options, IOptions<JsonOptions> json,
        CancellationToken ct)
    {
        // Who may report is checked before the body is read: a stranger's upload is refused unread.
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        var (input, files) = await EvidenceForm.ReadAsync<ReportInput>(request, "report", options.Value.Uploads, json.Value.SerializerOptions, ct);
        var report = await submit.RunAsync(id, input, files, ct);
        return TypedResults.CreatedAtRoute(ReportDto.From(report), "GetInitiative", new { id });
    }

    public static async Task<Ok<Paged<ReportDto>>> List(long id, int? page, int? pageSize, ReadReports reports, CancellationToken ct) =>
        TypedResults.Ok(await reports.ListAsync(id, page, pageSize, ct));

    public static async Task<FileContentHttpResult> Download(Guid attachmentId, HttpContext http, Viewer viewer, TrackerDbContext db, CancellationToken ct)
    {
        var readable = db.Initiatives.Where(viewer.CanRead()).Select(i => i.Id);
        var file = await db.Attachments.AsNoTracking()
            .Where(a => a.Id == attachmentId)
            .Where(a => db.ProgressReports.Any(r => r.Id == a.ReportId && readable.Contains(r.InitiativeId))
                || db.Inspections.Any(i => i.Id == a.InspectionId && readable.Contains(i.InitiativeId))
                || db.ChangeRequests.Any(r => r.Id == a.ChangeRequestId && readable.Contains(r.InitiativeId))
                || db.LedgerSteps.Any(s => s.Id == a.LedgerStepId && db.LedgerRows.Any(r => r.Id == s.RowId && readable.Contains(r.InitiativeId))))
            .Select(a => new { a.FileName, a.ContentType, a.Sha256, a.Content!.Data })
            .SingleOrDefaultAsync(ct) ?? throw new NotFoundException($"No attachment {attachmentId}.");
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(file.Data, file.ContentType, file.FileName,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{file.Sha256}\""));
    }
}
