using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Reminders;
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

    internal static IQueryable<ProgressReport> ReportsOf(TrackerDbContext db, long initiativeId) =>
        db.ProgressReports.AsNoTracking()
            .Include(r => r.Values).Include(r => r.Attachments)
            .Where(r => r.InitiativeId == initiativeId)
            .OrderByDescending(r => r.ReportedAt).ThenByDescending(r => r.Id)
            .AsSplitQuery();

    public static async Task<CreatedAtRoute<ReportDto>> Post(
        long id, HttpRequest request, Viewer viewer, TrackerDbContext db, OfficeClock clock, HealthPolicy policy, IValidator<ReportInput> validator,
        IOptions<TrackerOptions> options, IOptions<JsonOptions> json, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        var (input, files) = await EvidenceForm.ReadAsync<ReportInput>(request, "report", options.Value.Uploads, json.Value.SerializerOptions, ct);
        var report = await SubmitAsync(id, input, files, viewer, db, clock, policy, validator, ct);
        return TypedResults.CreatedAtRoute(ReportDto.From(report), "GetInitiative", new { id });
    }

    /// <summary>The overall progress after each of the item's last 100 reports, oldest first: what a chart of it draws.</summary>
    public static async Task<List<Infrastructure.Web.Charts.Point>> ProgressHistoryAsync(TrackerDbContext db, long initiativeId, CancellationToken ct) =>
        [.. (await db.ProgressReports.AsNoTracking().Where(r => r.InitiativeId == initiativeId)
                .OrderByDescending(r => r.ReportedAt).ThenByDescending(r => r.Id).Take(100)
                .Select(r => new { r.ReportedOn, r.ProgressAfter }).ToListAsync(ct))
            .Select(r => new Infrastructure.Web.Charts.Point(r.ReportedOn, r.ProgressAfter)).Reverse()];

    /// <summary>
    /// Validates and applies one report with its checked evidence, in one transaction with the item locked;
    /// the API and the progress page both submit through here.
    /// </summary>
    public static async Task<ProgressReport> SubmitAsync(
        long id, ReportInput input, List<Attachment> files, Viewer viewer, TrackerDbContext db, OfficeClock clock, HealthPolicy policy,
        IValidator<ReportInput> validator, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        await validator.ValidateAndThrowAsync(input, ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Reports on one item are applied one at a time: the item's figures derive from the latest values.
        var locked = await db.Database
            .SqlQuery<long>($"SELECT id AS \"Value\" FROM initiatives WHERE id = {id} FOR UPDATE")
            .ToListAsync(ct);
        if (locked.Count == 0)
            throw new NotFoundException($"No initiative {id}.");

        var initiative = await db.Initiatives.Include(i => i.Targets).Include(i => i.Milestones).Include(i => i.CoDepartments)
            .AsSplitQuery().SingleAsync(i => i.Id == id, ct);
        if (!viewer.CanReport(initiative))
            throw new ForbiddenException("Only officials of the lead or a co-operating department report progress on this initiative.");
        var report = new ProgressReport
        {
            InitiativeId = id,
            ReportedBy = viewer.UserName,
            ReportedAt = clock.Now,
            Phase = input.Phase!.Value,
            Narrative = input.Narrative!.Trim(),
            Problems = input.Problems?.Trim(),
            NextSteps = input.NextSteps?.Trim(),
            Values = [.. (input.Values ?? []).Select(v => new ReportValue { TargetId = v.TargetId!.Value, Value = v.Value!.Value })],
            MilestonesAchieved = [.. (input.MilestonesAchieved ?? []).Distinct()],
            Attachments = files,
        };
        initiative.ApplyReport(report, clock.DayOf(report.ReportedAt));
        initiative.UpdatedAt = report.ReportedAt;
        db.ProgressReports.Add(report);
        await db.SaveChangesAsync(ct);
        await ReminderResolution.ResolveClearedAsync(db, initiative, HealthRules.Evaluate(initiative, new HealthContext(clock.Today, policy)), report.ReportedAt, ct);
        await transaction.CommitAsync(ct);

        return report;
    }

    public static async Task<Ok<Paged<ReportDto>>> List(long id, int? page, int? pageSize, Viewer viewer, TrackerDbContext db, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        return TypedResults.Ok(await ReportsOf(db, id).ToPagedAsync(PageRequest.Of(page, pageSize), rows => rows.Select(ReportDto.From), ct));
    }

    public static async Task<FileContentHttpResult> Download(Guid attachmentId, HttpContext http, Viewer viewer, TrackerDbContext db, CancellationToken ct)
    {
        var readable = db.Initiatives.Where(viewer.CanRead()).Select(i => i.Id);
        var file = await db.Attachments.AsNoTracking()
            .Where(a => a.Id == attachmentId)
            .Where(a => db.ProgressReports.Any(r => r.Id == a.ReportId && readable.Contains(r.InitiativeId))
                || db.Inspections.Any(i => i.Id == a.InspectionId && readable.Contains(i.InitiativeId)))
            .Select(a => new { a.FileName, a.ContentType, a.Sha256, a.Content!.Data })
            .SingleOrDefaultAsync(ct) ?? throw new NotFoundException($"No attachment {attachmentId}.");
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(file.Data, file.ContentType, file.FileName,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{file.Sha256}\""));
    }
}
