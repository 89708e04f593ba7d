using FluentValidation;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Reminders;

public sealed record BoardItem(
    long Id, string Code, string Title, InitiativeKind Kind, NamedRef Jurisdiction, NamedRef LeadDepartment,
    DateOnly Deadline, Health Health, int EscalationLevel, IReadOnlyList<ReminderReason> OpenReasons, long? OpenNoticeId, int OverdueFollowUps);

public sealed record BoardGroup(int Id, string Name, int Overdue, int Lagging, int Silent, int MilestoneOverdue, int Red);

public sealed record BoardQuery(int? JurisdictionId, int? DepartmentId, InitiativeKind? Kind, int? Year, int? Page, int? PageSize);

public sealed record NoticeDto(
    long Id, long InitiativeId, string InitiativeCode, string InitiativeTitle, NamedRef Department, string Reason,
    DateOnly RaisedOn, DateOnly AnswerDue, NoticeStatus Status, bool Escalated, IReadOnlyList<NoticeStepDto> Steps);

public sealed record NoticeStepDto(DateTimeOffset At, string Action, string By, string Text);

public sealed record NoticeAnswer(string? Text);

public sealed record NoticeReview(bool Accept, string? Comment);

public sealed record InboxItem(long Id, DateOnly Period, string Subject, string Body, int ItemCount, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

public sealed record DeliveryDto(long Id, long MessageId, string Recipient, DeliveryChannel Channel, DeliveryStatus Status, int Attempts, DateTimeOffset? SentAt, string? LastError);

/// <summary>The supervisors' side of reminders (the sweep, the board, notices, deliveries) and everyone's inbox.</summary>
public static class RemindersApi
{
    public static IEndpointRouteBuilder MapRemindersApi(this IEndpointRouteBuilder app)
    {
        var supervise = app.MapGroup("/api").WithTags("Supervision")
            .RequireAuthorization(p => p.RequireRole(Roles.Supervisor, Roles.Admin))
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        supervise.MapPost("/reminders/sweep", RunSweep);
        supervise.MapGet("/board", Board).Validate<BoardQuery>();
        supervise.MapGet("/board/by-department", (int? jurisdictionId, Viewer v, TrackerDbContext db, OfficeClock c, HealthPolicy p, CancellationToken ct) =>
            Groups(jurisdictionId, byDepartment: true, v, db, c, p, ct));
        supervise.MapGet("/board/by-jurisdiction", (int? jurisdictionId, Viewer v, TrackerDbContext db, OfficeClock c, HealthPolicy p, CancellationToken ct) =>
            Groups(jurisdictionId, byDepartment: false, v, db, c, p, ct));
        supervise.MapGet("/deliveries", Deliveries);
        supervise.MapPost("/notices/{id:long}/review", Review).Validate<NoticeReview>().ProducesProblem(404).ProducesProblem(409);
        supervise.MapPost("/notices/{id:long}/close", Close).ProducesProblem(404).ProducesProblem(409);

        var signedIn = app.MapGroup("/api").WithTags("Inbox and notices").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        signedIn.MapGet("/inbox", Inbox);
        signedIn.MapGet("/inbox/unread-count", UnreadCount);
        signedIn.MapPost("/inbox/{id:long}/read", MarkRead).ProducesProblem(404);
        signedIn.MapGet("/notices", Notices);
        signedIn.MapGet("/notices/{id:long}", Notice).ProducesProblem(404);
        signedIn.MapPost("/notices/{id:long}/answer", Answer).Validate<NoticeAnswer>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    /// <summary>Queues the sweep now (the same job as the daily one); its progress shows in the dashboard.</summary>
    public static Accepted<object> RunSweep(IBackgroundJobClient jobs)
    {
        var id = jobs.Enqueue<ReminderSweep>(s => s.RunAsync(CancellationToken.None));
        return TypedResults.Accepted($"/hangfire/jobs/details/{id}", (object)new { jobId = id });
    }

    /// <summary>What is overdue, lagging, silent or past a milestone, most overdue first, with the escalation level reached.</summary>
    public static async Task<Ok<Paged<BoardItem>>> Board(
        [AsParameters] BoardQuery query, Viewer viewer, TrackerDbContext db, OfficeClock clock, HealthPolicy policy, CancellationToken ct)
    {
        var health = new HealthContext(clock.Today, policy);
        var items = await InScopeAsync(query, viewer, db, ct);
        var today = health.Today;
        // A deputies' follow-up request left unanswered past its date shows up with the overdue items.
        items = items.Where(HealthRules.Flagged.On(health))
            .Union(items.Where(i => db.FollowUps.Any(f => f.InitiativeId == i.Id && f.Answer == null && f.DueOn < today)));

        var page = await items.OrderBy(i => i.Deadline).ThenBy(i => i.Id)
            .Select(i => new
            {
                Item = i,
                Jurisdiction = i.Jurisdiction!.Name,
                Department = i.LeadDepartment!.Name,
                Open = db.Reminders.Where(r => r.InitiativeId == i.Id && r.Status == ReminderStatus.Open).Select(r => new { r.Reason, r.Level }).ToList(),
                Notice = db.Notices.Where(n => n.InitiativeId == i.Id && n.Status != NoticeStatus.Closed).Select(n => (long?)n.Id).FirstOrDefault(),
                FollowUps = db.FollowUps.Count(f => f.InitiativeId == i.Id && f.Answer == null && f.DueOn < today),
            })
            .ToPagedAsync(PageRequest.Of(query.Page, query.PageSize), ct);
        return TypedResults.Ok(new Paged<BoardItem>([.. page.Items.Select(r => new BoardItem(
            r.Item.Id, r.Item.Code, r.Item.Title, r.Item.Kind,
            new NamedRef(r.Item.JurisdictionId, r.Jurisdiction), new NamedRef(r.Item.LeadDepartmentId, r.Department),
            r.Item.Deadline, HealthRules.Evaluate(r.Item, health),
            r.Open.Select(o => o.Level).DefaultIfEmpty(0).Max(), [.. r.Open.Select(o => o.Reason).Distinct().Order()], r.Notice, r.FollowUps))],
            page.Page, page.PageSize, page.HasMore));
    }

    /// <summary>The items within the board's scope and filters, of which the board shows those that need pressing.</summary>
    public static async Task<IQueryable<Initiative>> InScopeAsync(BoardQuery query, Viewer viewer, TrackerDbContext db, CancellationToken ct)
    {
        var items = await Scope(db, viewer, query.JurisdictionId, ct);
        if (query.DepartmentId is { } department) items = items.Where(i => i.LeadDepartmentId == department);
        if (query.Kind is { } kind) items = items.Where(i => i.Kind == kind);
        if (query.Year is { } year) items = items.Where(i => i.Year == year);
        return items;
    }

    /// <summary>Counts per lead department (or per jurisdiction), each computed in SQL by the health rules.</summary>
    public static async Task<Ok<List<BoardGroup>>> Groups(
        int? jurisdictionId, bool byDepartment, Viewer viewer, TrackerDbContext db, OfficeClock clock, HealthPolicy policy, CancellationToken ct)
    {
        var health = new HealthContext(clock.Today, policy);
        var items = await Scope(db, viewer, jurisdictionId, ct);

        async Task<Dictionary<int, int>> Count(System.Linq.Expressions.Expression<Func<Initiative, HealthContext, bool>> rule) =>
            byDepartment
                ? await items.Where(rule.On(health)).GroupBy(i => i.LeadDepartmentId).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.N, ct)
                : await items.Where(rule.On(health)).GroupBy(i => i.JurisdictionId).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.N, ct);

        var overdue = await Count(HealthRules.Overdue);
        var lagging = await Count(HealthRules.Lagging);
        var silent = await Count(HealthRules.Silent);
        var milestone = await Count(HealthRules.MilestoneOverdue);
        var red = await Count(HealthRules.Red);
        var ids = overdue.Keys.Concat(lagging.Keys).Concat(silent.Keys).Concat(milestone.Keys).Concat(red.Keys).Distinct().ToList();
        var names = byDepartment
            ? await db.Departments.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct)
            : await db.Jurisdictions.Where(j => ids.Contains(j.Id)).ToDictionaryAsync(j => j.Id, j => j.Name, ct);
        return TypedResults.Ok(ids
            .Select(id => new BoardGroup(id, names[id], overdue.GetValueOrDefault(id), lagging.GetValueOrDefault(id),
                silent.GetValueOrDefault(id), milestone.GetValueOrDefault(id), red.GetValueOrDefault(id)))
            .OrderByDescending(g => g.Red).ThenByDescending(g => g.Overdue).ThenBy(g => g.Name)
            .ToList());
    }

    public static async Task<Ok<Paged<DeliveryDto>>> Deliveries(DeliveryStatus? status, int? page, int? pageSize, TrackerDbContext db, CancellationToken ct)
    {
        var deliveries = db.Deliveries.AsNoTracking();
        if (status is not null)
            deliveries = deliveries.Where(d => d.Status == status);
        return TypedResults.Ok(await deliveries.OrderByDescending(d => d.Id)
            .Select(d => new DeliveryDto(d.Id, d.MessageId, d.Message!.RecipientEmail, d.Channel, d.Status, d.Attempts, d.SentAt, d.LastError))
            .ToPagedAsync(PageRequest.Of(page, pageSize, 50, 200), ct));
    }

    public static async Task<Ok<Paged<InboxItem>>> Inbox(bool? unreadOnly, int? page, int? pageSize, Viewer viewer, TrackerDbContext db, CancellationToken ct)
    {
        var messages = await MineAsync(db, viewer, ct);
        if (unreadOnly == true)
            messages = messages.Where(m => m.ReadAt == null);
        return TypedResults.Ok(await messages.OrderByDescending(m => m.Period).ThenByDescending(m => m.Id)
            .Select(m => new InboxItem(m.Id, m.Period, m.Subject, m.Body, m.ItemCount, m.CreatedAt, m.ReadAt))
            .ToPagedAsync(PageRequest.Of(page, pageSize), ct));
    }

    public static async Task<Ok<int>> UnreadCount(Viewer viewer, TrackerDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await (await MineAsync(db, viewer, ct)).CountAsync(m => m.ReadAt == null, ct));

    public static async Task<NoContent> MarkRead(long id, Viewer viewer, TrackerDbContext db, OfficeClock clock, CancellationToken ct)
    {
        var marked = await (await MineAsync(db, viewer, ct)).Where(m => m.Id == id)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.ReadAt, x => x.ReadAt ?? clock.Now), ct);
        return marked == 0 ? throw new NotFoundException($"No message {id} in your inbox.") : TypedResults.NoContent();
    }

    public static async Task<Ok<Paged<NoticeDto>>> Notices(NoticeStatus? status, bool? open, int? page, int? pageSize, Viewer viewer, TrackerDbContext db, CancellationToken ct)
    {
        var notices = VisibleNotices(db, viewer);
        if (status is not null) notices = notices.Where(n => n.Status == status);
        if (open == true) notices = notices.Where(n => n.Status != NoticeStatus.Closed);
        var paged = await notices.OrderBy(n => n.AnswerDue).ThenBy(n => n.Id).Select(n => n.Id).ToPagedAsync(PageRequest.Of(page, pageSize), ct);
        var items = new List<NoticeDto>();
        foreach (var id in paged.Items)
            items.Add(await LoadNotice(db, id, ct));
        return TypedResults.Ok(new Paged<NoticeDto>(items, paged.Page, paged.PageSize, paged.HasMore));
    }

    public static async Task<Ok<NoticeDto>> Notice(long id, Viewer viewer, TrackerDbContext db, CancellationToken ct)
    {
        if (!await VisibleNotices(db, viewer).AnyAsync(n => n.Id == id, ct))
            throw new NotFoundException($"No notice {id}.");
        return TypedResults.Ok(await LoadNotice(db, id, ct));
    }

    /// <summary>The department answers with its rectification plan (整改方案).</summary>
    public static async Task<Ok<NoticeDto>> Answer(long id, NoticeAnswer answer, Viewer viewer, TrackerDbContext db, OfficeClock clock, CancellationToken ct)
    {
        var notice = await FindVisibleAsync(db, viewer, id, ct);
        if (!viewer.Is(Roles.Official) || viewer.DepartmentId != notice.DepartmentId)
            throw new ForbiddenException("Only the department the notice is addressed to answers it.");
        notice.Answer(viewer.UserName, answer.Text!.Trim(), clock.Now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await LoadNotice(db, id, ct));
    }

    public static async Task<Ok<NoticeDto>> Review(
        long id, NoticeReview review, Viewer viewer, TrackerDbContext db, OfficeClock clock, Microsoft.Extensions.Options.IOptions<ReminderOptions> options, CancellationToken ct)
    {
        var notice = await FindVisibleAsync(db, viewer, id, ct);
        notice.Review(viewer.UserName, review.Accept, review.Comment?.Trim() ?? "", clock.Today.AddDays(options.Value.NoticeAnswerDays), clock.Now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await LoadNotice(db, id, ct));
    }

    public static async Task<Ok<NoticeDto>> Close(long id, NoticeAnswer comment, Viewer viewer, TrackerDbContext db, OfficeClock clock, CancellationToken ct)
    {
        var notice = await FindVisibleAsync(db, viewer, id, ct);
        notice.Close(viewer.UserName, comment.Text?.Trim() ?? "", clock.Now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await LoadNotice(db, id, ct));
    }

    private static async Task<IQueryable<Initiative>> Scope(TrackerDbContext db, Viewer viewer, int? jurisdictionId, CancellationToken ct)
    {
        var items = db.Initiatives.AsNoTracking().Where(viewer.CanRead());
        return jurisdictionId is { } jurisdiction ? await items.WithinAsync(db, jurisdiction, ct) : items;
    }

    /// <summary>Officials see their department's notices; supervisors those of the items they read.</summary>
    private static IQueryable<SupervisionNotice> VisibleNotices(TrackerDbContext db, Viewer viewer)
    {
        var readable = db.Initiatives.Where(viewer.CanRead()).Select(i => i.Id);
        return db.Notices.AsNoTracking().Where(n => readable.Contains(n.InitiativeId));
    }

    private static async Task<SupervisionNotice> FindVisibleAsync(TrackerDbContext db, Viewer viewer, long id, CancellationToken ct)
    {
        var readable = db.Initiatives.Where(viewer.CanRead()).Select(i => i.Id);
        return await db.Notices.Include(n => n.Steps).Where(n => n.Id == id && readable.Contains(n.InitiativeId)).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"No notice {id}.");
    }

    private static async Task<NoticeDto> LoadNotice(TrackerDbContext db, long id, CancellationToken ct)
    {
        var n = await db.Notices.AsNoTracking().Include(x => x.Steps).SingleAsync(x => x.Id == id, ct);
        var item = await db.Initiatives.Where(i => i.Id == n.InitiativeId).Select(i => new { i.Code, i.Title }).SingleAsync(ct);
        var department = await db.Departments.Where(d => d.Id == n.DepartmentId).Select(d => d.Name).SingleAsync(ct);
        return new NoticeDto(n.Id, n.InitiativeId, item.Code, item.Title, new NamedRef(n.DepartmentId, department), n.Reason,
            n.RaisedOn, n.AnswerDue, n.Status, n.Escalated,
            [.. n.Steps.OrderBy(s => s.At).ThenBy(s => s.Id).Select(s => new NoticeStepDto(s.At, s.Action, s.By, s.Text))]);
    }

    private static async Task<IQueryable<InboxMessage>> MineAsync(TrackerDbContext db, Viewer viewer, CancellationToken ct)
    {
        var email = (await db.Users.Where(u => u.Id == viewer.UserId).Select(u => u.Email).SingleOrDefaultAsync(ct))?.ToLowerInvariant() ?? "-";
        return db.Inbox.Where(m => m.RecipientEmail == email);
    }
}

internal sealed class BoardQueryValidator : AbstractValidator<BoardQuery>
{
    public BoardQueryValidator()
    {
        RuleFor(q => q.Page).InclusiveBetween(1, 10_000);
        RuleFor(q => q.PageSize).InclusiveBetween(1, 100);
    }
}

internal sealed class NoticeAnswerValidator : AbstractValidator<NoticeAnswer>
{
    public NoticeAnswerValidator() => RuleFor(a => a.Text).NotEmpty().MaximumLength(4000);
}

internal sealed class NoticeReviewValidator : AbstractValidator<NoticeReview>
{
    public NoticeReviewValidator() => RuleFor(r => r.Comment).MaximumLength(4000).NotEmpty().When(r => !r.Accept)
        .WithMessage(_ => PageLanguage.Say("Say why the plan goes back.", "退回整改方案时请说明理由。"));
}
