using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Livelihood;

public sealed record GroupInput(int? JurisdictionId, string? Name, string[]? MemberUserIds, long[]? InitiativeIds);

public sealed record GroupDto(long Id, int JurisdictionId, string Name, IReadOnlyList<string> MemberUserIds, IReadOnlyList<long> InitiativeIds);

public sealed record FollowUpInput(string? Request, DateOnly? DueOn);

public sealed record InspectionInput(InspectionKind? Kind, DateOnly? On, string? Findings, FollowUpInput[]? FollowUps);

public sealed record FollowUpDto(long Id, long InitiativeId, int DepartmentId, string Request, DateOnly DueOn, string? Answer, DateTimeOffset? AnsweredAt, bool Overdue);

public sealed record InspectionDto(long Id, long InitiativeId, InspectionKind Kind, DateOnly On, string Findings, DateTimeOffset RecordedAt,
    IReadOnlyList<AttachmentDto> Photos, IReadOnlyList<FollowUpDto> FollowUps);

public sealed record FollowUpAnswer(string? Answer);

public sealed record EvaluationInput(Rating? Rating, string? Comment);

public sealed record ItemRating(long InitiativeId, string Code, string Title, int DepartmentId, RatingSummary Summary);

public sealed record DepartmentRating(int DepartmentId, string Name, RatingSummary Summary);

public sealed record EvaluationSummary(IReadOnlyList<ItemRating> Items, IReadOnlyList<DepartmentRating> Departments);

public sealed record HomeItem(long Id, string Code, string Title, bool VotedFor, bool Supervised, Health Health, ReportDto? LatestReport, IReadOnlyList<FollowUpDto> OpenFollowUps);

public sealed record RollupRow(int JurisdictionId, string Name, int Items, int Completed, int Red, int Amber, int Green, int Grey);

public static class DeputiesApi
{
    public static IEndpointRouteBuilder MapDeputiesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Livelihood items: supervision and evaluation").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(404);
        api.MapPost("/groups", CreateGroup).Validate<GroupInput>();
        api.MapGet("/groups", Groups);
        var uploads = app.ServiceProvider.GetRequiredService<IOptions<TrackerOptions>>().Value.Uploads;
        api.MapPost("/initiatives/{id:long}/inspections", Inspect)
            .Accepts<InspectionInput>("application/json", "multipart/form-data")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(uploads.MaxRequestBytes))
            .ProducesValidationProblem().ProducesProblem(413).ProducesProblem(415);
        api.MapGet("/initiatives/{id:long}/inspections", Inspections);
        api.MapGet("/follow-ups", FollowUps);
        api.MapPost("/follow-ups/{id:long}/answer", AnswerFollowUp).ProducesProblem(409);
        api.MapPost("/initiatives/{id:long}/evaluation", Evaluate).Validate<EvaluationInput>().ProducesProblem(409);
        api.MapGet("/evaluations/summary", Summary);
        api.MapGet("/deputies/me", Home);
        api.MapGet("/livelihood/rollup", Rollup);
        return app;
    }

    /// <summary>A deputy supervision group of a jurisdiction, assigned to one or more of its livelihood items.</summary>
    public static async Task<Created<GroupDto>> CreateGroup(GroupInput input, Viewer viewer, TrackerDbContext db, CancellationToken ct)
    {
        ProposalsApi.RequireScreener(viewer);
        var path = await ItemAccess.RequireSupervisorOfAsync(db, viewer, input.JurisdictionId!.Value, "Only supervisors of the jurisdiction form its deputy groups.", ct);
        var members = input.MemberUserIds!.Distinct().ToList();
        var items = input.InitiativeIds!.Distinct().ToList();
        var errors = new List<FluentValidation.Results.ValidationFailure>();
        if (await VotingApi.DeputiesOf(db, input.JurisdictionId!.Value).CountAsync(u => members.Contains(u.Id), ct) != members.Count)
            errors.Add(new("MemberUserIds", "Members are deputies of this jurisdiction."));
        if (await db.Initiatives.CountAsync(i => items.Contains(i.Id) && i.Kind == InitiativeKind.Livelihood && i.Jurisdiction!.Path.StartsWith(path), ct) != items.Count)
            errors.Add(new("InitiativeIds", "Groups supervise livelihood items of this jurisdiction or below."));
        if (errors.Count > 0)
            throw new ValidationException(errors);

        var group = new DeputyGroup { JurisdictionId = input.JurisdictionId.Value, Name = input.Name!.Trim(), MemberUserIds = members, InitiativeIds = items };
        db.DeputyGroups.Add(group);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/groups?jurisdictionId={group.JurisdictionId}", ToDto(group));
    }

    public static async Task<Ok<List<GroupDto>>> Groups(int? jurisdictionId, Viewer viewer, TrackerDbContext db, CancellationToken ct)
    {
        var groups = db.DeputyGroups.AsNoTracking().Where(ProposalsApi.InScope<DeputyGroup>(db, viewer, g => g.JurisdictionId));
        if (viewer.Is(Roles.Deputy) && !viewer.Is(Roles.Supervisor) && !viewer.Is(Roles.Admin))
            groups = db.DeputyGroups.AsNoTracking().Where(g => g.MemberUserIds.Contains(viewer.UserId!));
        if (jurisdictionId is not null)
            groups = groups.Where(g => g.JurisdictionId == jurisdictionId);
        return TypedResults.Ok((await groups.OrderBy(g => g.Name).ToListAsync(ct)).Select(ToDto).ToList());
    }

    /// <summary>A member of a group supervising the item records an inspection, with follow-up requests for the department.</summary>
    /// <summary>JSON, or multipart/form-data with the JSON in an <c>inspection</c> part and photos in <c>files</c>.</summary>
    public static async Task<Created<InspectionDto>> Inspect(long id, HttpRequest request, Viewer viewer, TrackerDbContext db, OfficeClock clock,
        IValidator<InspectionInput> validator, IOptions<TrackerOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        var (input, photos) = await EvidenceForm.ReadAsync<InspectionInput>(request, "inspection", options.Value.Uploads, json.Value.SerializerOptions, ct);
        var (inspection, followUps) = await RecordInspectionAsync(id, input, photos, viewer, db, clock, validator, ct);
        return TypedResults.Created($"/api/initiatives/{id}/inspections", ToDto(inspection, followUps, clock.Today));
    }

    /// <summary>Validates and records an inspection with its checked photos and follow-up requests; the API and the inspection page both record through here.</summary>
    public static async Task<(Inspection Inspection, List<FollowUp> FollowUps)> RecordInspectionAsync(
        long id, InspectionInput input, List<Attachment> photos, Viewer viewer, TrackerDbContext db, OfficeClock clock,
        IValidator<InspectionInput> validator, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        await validator.ValidateAndThrowAsync(input, ct);
        var group = await RequireSupervisingGroupAsync(db, viewer, id, ct);
        var department = await db.Initiatives.Where(i => i.Id == id).Select(i => i.LeadDepartmentId).SingleAsync(ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var inspection = new Inspection
        {
            InitiativeId = id,
            GroupId = group,
            DeputyUserId = viewer.UserId!,
            Kind = input.Kind!.Value,
            On = input.On!.Value,
            Findings = input.Findings!.Trim(),
            RecordedAt = clock.Now,
            Photos = photos,
        };
        db.Inspections.Add(inspection);
        await db.SaveChangesAsync(ct);
        var followUps = (input.FollowUps ?? []).Select(f => new FollowUp
        {
            InspectionId = inspection.Id,
            InitiativeId = id,
            DepartmentId = department,
            Request = f.Request!.Trim(),
            DueOn = f.DueOn!.Value,
        }).ToList();
        db.FollowUps.AddRange(followUps);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (inspection, followUps);
    }

    /// <summary>The deputy group, with the viewer among its members, that supervises the item; 403 when there is none.</summary>
    public static async Task<long> RequireSupervisingGroupAsync(TrackerDbContext db, Viewer viewer, long id, CancellationToken ct)
    {
        var group = viewer.Is(Roles.Deputy)
            ? await db.DeputyGroups.Where(g => g.InitiativeIds.Contains(id) && g.MemberUserIds.Contains(viewer.UserId!)).Select(g => (long?)g.Id).FirstOrDefaultAsync(ct)
            : null;
        return group ?? throw new ForbiddenException("Members of a deputy group supervising this item record its inspections.");
    }

    public static async Task<Ok<List<InspectionDto>>> Inspections(long id, Viewer viewer, TrackerDbContext db, OfficeClock clock, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        var inspections = await db.Inspections.AsNoTracking().Include(i => i.Photos).Where(i => i.InitiativeId == id)
            .OrderByDescending(i => i.On).ThenByDescending(i => i.Id).ToListAsync(ct);
        var followUps = await db.FollowUps.AsNoTracking().Where(f => f.InitiativeId == id).ToListAsync(ct);
        return TypedResults.Ok(inspections.Select(i => ToDto(i, followUps.Where(f => f.InspectionId == i.Id), clock.Today)).ToList());
    }

    /// <summary>Follow-up requests on the items the viewer reads; <c>overdue=true</c> lists those unanswered past their date.</summary>
    public static async Task<Ok<Paged<FollowUpDto>>> FollowUps(bool? overdue, bool? open, int? page, int? pageSize, Viewer viewer, TrackerDbContext db, OfficeClock clock, CancellationToken ct)
    {
        var today = clock.Today;
        var readable = db.Initiatives.Where(viewer.CanRead()).Select(i => i.Id);
        var followUps = db.FollowUps.AsNoTracking().Where(f => readable.Contains(f.InitiativeId));
        if (overdue == true) followUps = followUps.Where(f => f.Answer == null && f.DueOn < today);
        if (open == true) followUps = followUps.Where(f => f.Answer == null);
        return TypedResults.Ok(await followUps.OrderBy(f => f.DueOn).ThenBy(f => f.Id)
            .Select(f => new FollowUpDto(f.Id, f.InitiativeId, f.DepartmentId, f.Request, f.DueOn, f.Answer, f.AnsweredAt, f.Answer == null && f.DueOn < today))
            .ToPagedAsync(PageRequest.Of(page, pageSize), ct));
    }

    public static async Task<Ok<FollowUpDto>> AnswerFollowUp(long id, FollowUpAnswer answer, Viewer viewer, TrackerDbContext db, OfficeClock clock, CancellationToken ct)
    {
        var readable = db.Initiatives.Where(viewer.CanRead()).Select(i => i.Id);
        var followUp = await db.FollowUps.Where(f => f.Id == id && readable.Contains(f.InitiativeId)).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"No follow-up {id}.");
        if (!viewer.Is(Roles.Official) || viewer.DepartmentId != followUp.DepartmentId)
            throw new ForbiddenException("The responsible department answers follow-up requests.");
        if (string.IsNullOrWhiteSpace(answer.Answer))
            throw new ValidationException([new FluentValidation.Results.ValidationFailure("Answer", "The answer is empty.")]);
        followUp.Respond(viewer.UserName, answer.Answer.Trim(), clock.Now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new FollowUpDto(followUp.Id, followUp.InitiativeId, followUp.DepartmentId, followUp.Request, followUp.DueOn, followUp.Answer, followUp.AnsweredAt, false));
    }

    /// <summary>Each deputy rates each livelihood item of their jurisdiction once: satisfied, basically satisfied or dissatisfied.</summary>
    public static async Task<Created<ItemRating>> Evaluate(long id, EvaluationInput input, Viewer viewer, TrackerDbContext db, OfficeClock clock,
        IOptions<LivelihoodOptions> options, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        if (!viewer.Is(Roles.Deputy))
            throw new ForbiddenException("Deputies rate livelihood items.");
        var item = await db.Initiatives.AsNoTracking().Where(i => i.Id == id).Select(i => new { i.Code, i.Title, i.Year, i.LeadDepartmentId }).SingleAsync(ct);
        if (await db.Evaluations.AnyAsync(e => e.InitiativeId == id && e.DeputyUserId == viewer.UserId, ct))
            throw new DomainException("rated", "You have rated this item already.");
        db.Evaluations.Add(new Evaluation
        {
            InitiativeId = id,
            DeputyUserId = viewer.UserId!,
            Year = item.Year,
            Rating = input.Rating!.Value,
            Comment = input.Comment?.Trim() ?? "",
            At = clock.Now,
        });
        await db.SaveChangesAsync(ct);
        var ratings = await db.Evaluations.Where(e => e.InitiativeId == id).Select(e => e.Rating).ToListAsync(ct);
        return TypedResults.Created($"/api/evaluations/summary?year={item.Year}",
            new ItemRating(id, item.Code, item.Title, item.LeadDepartmentId, RatingSummary.Of(ratings, options.Value.RectifyAboveDissatisfiedShare)));
    }

    /// <summary>The year's ratings per item and per department, with items flagged for rectification.</summary>
    public static async Task<Ok<EvaluationSummary>> Summary(int year, int? jurisdictionId, Viewer viewer, TrackerDbContext db,
        IOptions<LivelihoodOptions> options, CancellationToken ct)
    {
        var items = db.Initiatives.AsNoTracking().Where(viewer.CanRead()).Where(i => i.Kind == InitiativeKind.Livelihood && i.Year == year);
        if (jurisdictionId is { } jurisdiction)
            items = await items.WithinAsync(db, jurisdiction, ct);
        var rows = await items.Join(db.Evaluations, i => i.Id, e => e.InitiativeId, (i, e) => new { i.Id, i.Code, i.Title, i.LeadDepartmentId, e.Rating })
            .ToListAsync(ct);
        var threshold = options.Value.RectifyAboveDissatisfiedShare;
        var departments = await db.Departments.Where(d => rows.Select(r => r.LeadDepartmentId).Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        return TypedResults.Ok(new EvaluationSummary(
            [.. rows.GroupBy(r => (r.Id, r.Code, r.Title, r.LeadDepartmentId)).OrderBy(g => g.Key.Code)
                .Select(g => new ItemRating(g.Key.Id, g.Key.Code, g.Key.Title, g.Key.LeadDepartmentId, RatingSummary.Of(g.Select(r => r.Rating), threshold)))],
            [.. rows.GroupBy(r => r.LeadDepartmentId).OrderBy(g => departments[g.Key])
                .Select(g => new DepartmentRating(g.Key, departments[g.Key], RatingSummary.Of(g.Select(r => r.Rating), threshold)))]));
    }

    /// <summary>
    /// A deputy's home: the items they voted for and those their groups supervise (of one year, when given), with
    /// progress, colour, latest report and open follow-ups.
    /// </summary>
    public static async Task<Ok<List<HomeItem>>> Home(int? year, Viewer viewer, TrackerDbContext db, OfficeClock clock, HealthPolicy policy, CancellationToken ct)
    {
        if (!viewer.Is(Roles.Deputy))
            throw new ForbiddenException("This is the deputies' home.");
        var voted = await db.BallotChoices.Where(c => c.Choice == VoteChoice.For && db.Ballots.Any(b => b.Id == c.BallotId && b.DeputyUserId == viewer.UserId))
            .Join(db.Candidates, c => c.CandidateId, k => k.Id, (c, k) => k.InitiativeId).Where(i => i != null).Select(i => i!.Value).ToListAsync(ct);
        var supervised = (await db.DeputyGroups.Where(g => g.MemberUserIds.Contains(viewer.UserId!)).Select(g => g.InitiativeIds).ToListAsync(ct)).SelectMany(x => x).ToList();
        var ids = voted.Concat(supervised).Distinct().ToList();
        var health = new HealthContext(clock.Today, policy);
        var items = await db.Initiatives.AsNoTracking().Where(viewer.CanRead()).Where(i => ids.Contains(i.Id) && (year == null || i.Year == year))
            .OrderBy(i => i.Deadline).ToListAsync(ct);
        var openFollowUps = await db.FollowUps.AsNoTracking().Where(f => ids.Contains(f.InitiativeId) && f.Answer == null).ToListAsync(ct);
        var home = new List<HomeItem>();
        foreach (var i in items)
        {
            var latest = await ProgressApi.ReportsOf(db, i.Id).FirstOrDefaultAsync(ct);
            home.Add(new HomeItem(i.Id, i.Code, i.Title, voted.Contains(i.Id), supervised.Contains(i.Id), HealthRules.Evaluate(i, health),
                latest is null ? null : ReportDto.From(latest),
                [.. openFollowUps.Where(f => f.InitiativeId == i.Id).Select(f => new FollowUpDto(f.Id, f.InitiativeId, f.DepartmentId, f.Request, f.DueOn, null, null, f.IsOverdue(clock.Today)))]));
        }
        return TypedResults.Ok(home);
    }

    /// <summary>Livelihood item counts for each jurisdiction directly below the given one, each counting everything beneath it.</summary>
    public static async Task<Ok<List<RollupRow>>> Rollup(int jurisdictionId, int year, Viewer viewer, TrackerDbContext db, OfficeClock clock, HealthPolicy policy, CancellationToken ct)
    {
        var health = new HealthContext(clock.Today, policy);
        var children = await db.Jurisdictions.AsNoTracking().Where(j => j.ParentId == jurisdictionId || j.Id == jurisdictionId).OrderBy(j => j.Name).ToListAsync(ct);
        var items = db.Initiatives.AsNoTracking().Where(viewer.CanRead()).Where(i => i.Kind == InitiativeKind.Livelihood && i.Year == year);
        var rows = new List<RollupRow>();
        foreach (var j in children)
        {
            // The jurisdiction's own items only for itself; each child counts its whole subtree.
            var scope = j.Id == jurisdictionId ? items.Where(i => i.JurisdictionId == j.Id) : items.Where(i => i.Jurisdiction!.Path.StartsWith(j.Path));
            rows.Add(new RollupRow(j.Id, j.Name,
                await scope.CountAsync(ct),
                await scope.CountAsync(i => i.Status == InitiativeStatus.Completed, ct),
                await scope.Where(HealthRules.Red.On(health)).CountAsync(ct),
                await scope.Where(HealthRules.Amber.On(health)).CountAsync(ct),
                await scope.Where(HealthRules.Green.On(health)).CountAsync(ct),
                await scope.Where(HealthRules.Grey.On(health)).CountAsync(ct)));
        }
        return TypedResults.Ok(rows);
    }

    private static GroupDto ToDto(DeputyGroup g) => new(g.Id, g.JurisdictionId, g.Name, g.MemberUserIds, g.InitiativeIds);

    private static InspectionDto ToDto(Inspection i, IEnumerable<FollowUp> followUps, DateOnly today) =>
        new(i.Id, i.InitiativeId, i.Kind, i.On, i.Findings, i.RecordedAt, [.. i.Photos.OrderBy(p => p.FileName).Select(AttachmentDto.From)],
            [.. followUps.Select(f => new FollowUpDto(f.Id, f.InitiativeId, f.DepartmentId, f.Request, f.DueOn, f.Answer, f.AnsweredAt, f.IsOverdue(today)))]);
}

internal sealed class GroupInputValidator : AbstractValidator<GroupInput>
{
    public GroupInputValidator()
    {
        RuleFor(g => g.JurisdictionId).NotNull();
        RuleFor(g => g.Name).NotEmpty().MaximumLength(200);
        RuleFor(g => g.MemberUserIds).NotEmpty();
        RuleFor(g => g.InitiativeIds).NotEmpty();
    }
}

internal sealed class InspectionInputValidator : AbstractValidator<InspectionInput>
{
    public InspectionInputValidator()
    {
        RuleFor(i => i.Kind).NotNull().IsInEnum();
        RuleFor(i => i.On).NotNull();
        RuleFor(i => i.Findings).NotEmpty().MaximumLength(4000);
        RuleForEach(i => i.FollowUps).ChildRules(f =>
        {
            f.RuleFor(x => x.Request).NotEmpty().MaximumLength(2000);
            f.RuleFor(x => x.DueOn).NotNull();
        });
    }
}

internal sealed class EvaluationInputValidator : AbstractValidator<EvaluationInput>
{
    public EvaluationInputValidator()
    {
        RuleFor(e => e.Rating).NotNull().IsInEnum();
        RuleFor(e => e.Comment).MaximumLength(2000);
    }
}
