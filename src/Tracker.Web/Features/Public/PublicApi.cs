using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Public;

public sealed record PublicTarget(string Metric, string Unit, decimal Target, decimal? CurrentValue, decimal Completion, bool Reported);

public sealed record PublicMilestone(string Name, DateOnly PlannedOn, DateOnly? AchievedOn);

public sealed record PublicPhoto(Guid Id, DateOnly TakenOn, string Url);

/// <summary>What anyone may read about a published livelihood item: no names, phones or emails of people.</summary>
public sealed record PublicInitiative(
    long Id, string Code, string Title, string Description, int Year, string Jurisdiction, string LeadDepartment,
    InitiativeStatus Status, Phase Phase, DateOnly PlannedStart, DateOnly Deadline, decimal Progress, DateOnly? LastReportedOn,
    IReadOnlyList<PublicTarget> Targets, IReadOnlyList<PublicMilestone> Milestones, IReadOnlyList<PublicPhoto> Photos);

public static class PublicApi
{
    public static IEndpointRouteBuilder MapPublicApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/public").WithTags("Public").AllowAnonymous();
        api.MapGet("/initiatives", List);
        api.MapGet("/initiatives/{id:long}", Get).ProducesProblem(404);
        api.MapGet("/photos/{photoId:guid}", Photo).ProducesProblem(404);
        return app;
    }

    public static async Task<Ok<Paged<PublicInitiative>>> List(int? jurisdictionId, int? year, int? page, int? pageSize, ReadPublished read, CancellationToken ct) =>
        TypedResults.Ok(await read.ListAsync(jurisdictionId, year, page, pageSize, ct));

    public static async Task<Ok<PublicInitiative>> Get(long id, ReadPublished read, CancellationToken ct) =>
        TypedResults.Ok(await read.GetAsync(id, ct));

    public static async Task<FileContentHttpResult> Photo(Guid photoId, HttpContext http, TrackerDbContext db, CancellationToken ct)
    {
        var published = ReadPublished.Published(db).Select(i => i.Id);
        var photo = await db.Attachments.AsNoTracking()
            .Where(a => a.Id == photoId && a.ContentType.StartsWith("image/"))
            .Where(a => db.ProgressReports.Any(r => r.Id == a.ReportId && published.Contains(r.InitiativeId)))
            .Select(a => new { a.ContentType, a.Content!.Data })
            .SingleOrDefaultAsync(ct) ?? throw new NotFoundException($"No published photo {photoId}.");
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(photo.Data, photo.ContentType);
    }

}

/// <summary>
/// The public view (anyone, no sign-in): published livelihood items with targets, progress, milestones and photos,
/// never the names, phones or emails of people. The API and the public pages read it here.
/// </summary>
public sealed class ReadPublished([FromKeyedServices(ReplicaReads.Key)] TrackerDbContext db) : IUseCase
{
    private const int PhotosPerItem = 12;

    public async Task<Paged<PublicInitiative>> ListAsync(int? jurisdictionId, int? year, int? page, int? pageSize, CancellationToken ct)
    {
        var items = Published(db);
        if (year is not null)
            items = items.Where(i => i.Year == year);
        if (jurisdictionId is { } jurisdiction)
            items = await items.WithinAsync(db, jurisdiction, ct);
        // The list carries the figures; photos come with each item's own page.
        return await WithDetails(items).OrderBy(i => i.Deadline).ThenBy(i => i.Id)
            .ToPagedAsync(PageRequest.Of(page, pageSize), rows => rows.Select(i => ToPublic(i, [])), ct);
    }

    public async Task<PublicInitiative> GetAsync(long id, CancellationToken ct)
    {
        var i = await WithDetails(Published(db)).SingleOrDefaultAsync(x => x.Id == id, ct)
            ?? throw new NotFoundException($"No published initiative {id}.");
        var photos = await db.Attachments.AsNoTracking()
            .Where(a => a.ContentType.StartsWith("image/"))
            .Join(db.ProgressReports.Where(r => r.InitiativeId == id), a => a.ReportId, r => r.Id, (a, r) => new { a.Id, r.ReportedOn, r.ReportedAt })
            .OrderByDescending(x => x.ReportedAt).Take(PhotosPerItem)
            .ToListAsync(ct);
        return ToPublic(i, [.. photos.Select(p => new PublicPhoto(p.Id, p.ReportedOn, $"/api/public/photos/{p.Id}"))]);
    }

    internal static IQueryable<Initiative> Published(TrackerDbContext db) =>
        db.Initiatives.AsNoTracking().Where(i => i.IsPublished);

    private static IQueryable<Initiative> WithDetails(IQueryable<Initiative> items) => items
        .Include(x => x.Jurisdiction).Include(x => x.LeadDepartment)
        .Include(x => x.Targets.OrderBy(t => t.Id)).Include(x => x.Milestones.OrderBy(m => m.PlannedOn))
        .AsSplitQuery();

    private static PublicInitiative ToPublic(Initiative i, IReadOnlyList<PublicPhoto> photos) =>
        new(
            i.Id, i.Code, i.Title, i.Description, i.Year, i.Jurisdiction!.Name, i.LeadDepartment!.Name,
            i.Status, i.Phase, i.PlannedStart, i.Deadline, i.Progress, i.LastReportedOn,
            [.. i.Targets.Select(t => new PublicTarget(t.Metric, t.Unit, t.TargetValue, t.CurrentValue, t.Completion, t.Reported))],
            [.. i.Milestones.Select(m => new PublicMilestone(m.Name, m.PlannedOn, m.AchievedOn))],
            photos);
}
