using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Bulletins;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Dispatch;

/// <summary>
/// A round as a supervisor sets it up: whose items (the jurisdiction's active ones, narrowed by kind and lead
/// department), what they must report, when it opens (now when left out) and falls due, and whether it comes back weekly.
/// </summary>
public sealed record DispatchInput(
    int? JurisdictionId, string? Title, string? Instructions, InitiativeKind? Kind, int? DepartmentId, bool? FiguresRequired,
    DateTimeOffset? OpensAt, DateTimeOffset? DueAt, bool? Weekly);

/// <summary>A round in a list, with its answers so far.</summary>
public sealed record DispatchSummary(long Id, int JurisdictionId, string Title, DispatchStatus Status, DateTimeOffset OpensAt, DateTimeOffset DueAt,
    bool Weekly, DispatchTally Tally);

/// <summary>A department's answers in a round.</summary>
public sealed record DispatchDepartment(int DepartmentId, string Department, DispatchTally Tally);

/// <summary>An item of a round and where its answer stands.</summary>
public sealed record DispatchItemLine(long InitiativeId, string Code, string Title, string Department, DispatchAnswer Answer, DateTimeOffset? AnsweredAt);

/// <summary>
/// A round whole: its request, its tally, by department (the completion rate each department earned), and its items
/// not answered on time (capped at <see cref="ReadDispatch.Listed"/>, with their total).
/// </summary>
public sealed record DispatchDetail(long Id, int JurisdictionId, string Jurisdiction, string Title, string Instructions, InitiativeKind? Kind,
    string? Department, bool FiguresRequired, DispatchStatus Status, DateTimeOffset OpensAt, DateTimeOffset DueAt, bool Weekly, long? PreviousId,
    string CreatedBy, DateTimeOffset? ClosedAt, DispatchTally Tally, IReadOnlyList<DispatchDepartment> Departments,
    IReadOnlyList<DispatchItemLine> NotOnTime, int NotOnTimeTotal);

/// <summary>A round still waiting on some of one department's items, as the department's officials see it.</summary>
public sealed record DispatchAsk(long RoundId, string Title, string Instructions, bool FiguresRequired, DateTimeOffset DueAt, IReadOnlyList<DispatchItemLine> Waiting, int WaitingTotal);

public sealed record DispatchQuery(int? JurisdictionId, long? After, int? PageSize);

internal sealed class DispatchInputValidator : AbstractValidator<DispatchInput>
{
    public DispatchInputValidator(OfficeClock clock)
    {
        RuleFor(x => x.JurisdictionId).NotNull();
        RuleFor(x => x.Title).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Instructions).MaximumLength(4000);
        RuleFor(x => x.Kind).IsInEnum();
        RuleFor(x => x.DueAt).NotNull()
            .Must(due => due > clock.Now).WithMessage("The due time must be in the future.")
            .Must(due => due < clock.Now.AddYears(1)).WithMessage("A round falls due within a year.");
        RuleFor(x => x.OpensAt).Must((x, opens) => opens is null || x.DueAt is null || opens < x.DueAt)
            .WithMessage("The round must open before it falls due.");
        // A round longer than its recurrence would overlap the next one of its series.
        RuleFor(x => x.DueAt).Must((x, due) => x.Weekly != true || due is null || due - (x.OpensAt ?? clock.Now) <= DispatchRules.Recurrence)
            .WithMessage("A weekly round falls due within a week of opening.");
    }
}

/// <summary>
/// A supervisor sets up a round for their jurisdiction (or one below it): checked, validated, stored, and opened at once
/// when its opening time has come (its items fixed and their departments told, in the same transaction).
/// </summary>
public sealed class OpenDispatchRound(TrackerDbContext db, Viewer viewer, OfficeClock clock, BulletinAccess access, DispatchOpening opening,
    IValidator<DispatchInput> validator, ReadDispatch read) : IUseCase
{
    public async Task<DispatchDetail> RunAsync(DispatchInput input, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        await validator.ValidateAndThrowAsync(input, ct);
        var path = await access.RequireJurisdictionAsync(input.JurisdictionId!.Value, ct);
        await access.RequireDepartmentWithinAsync(input.DepartmentId, path, nameof(DispatchInput.DepartmentId), ct);

        var now = clock.Now;
        var round = new DispatchRound
        {
            JurisdictionId = input.JurisdictionId.Value,
            Title = input.Title!.Trim(),
            Instructions = input.Instructions?.Trim() ?? "",
            Kind = input.Kind,
            DepartmentId = input.DepartmentId,
            FiguresRequired = input.FiguresRequired ?? false,
            // PostgreSQL keeps instants in UTC; the office's offset is the pages' to show.
            OpensAt = input.OpensAt is { } opens && opens > now ? opens.ToUniversalTime() : now,
            DueAt = input.DueAt!.Value.ToUniversalTime(),
            Weekly = input.Weekly ?? false,
            Status = DispatchStatus.Scheduled,
            CreatedBy = viewer.UserName,
            CreatedAt = now,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.DispatchRounds.Add(round);
        await db.SaveChangesAsync(ct);
        var messages = round.OpensAt <= now ? await opening.OpenAsync(round, ct) : [];
        await transaction.CommitAsync(ct);
        opening.Queue(messages);
        return await read.OneAsync(round.Id, ct);
    }
}

/// <summary>A supervisor calls a round off: no more answers, reminders or successor; what was answered stays.</summary>
public sealed class CancelDispatchRound(TrackerDbContext db, Viewer viewer, BulletinAccess access, ReadDispatch read) : IUseCase
{
    public async Task<DispatchDetail> RunAsync(long id, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        var jurisdictionId = await db.DispatchRounds.Where(r => r.Id == id).Select(r => (int?)r.JurisdictionId).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"No dispatch round {id}.");
        await access.RequireJurisdictionAsync(jurisdictionId, ct);
        // One statement, so that a cancellation racing the clock's closing gives one or the other, never both.
        var by = viewer.UserName;
        var cancelled = await db.DispatchRounds.Where(r => r.Id == id && (r.Status == DispatchStatus.Scheduled || r.Status == DispatchStatus.Open))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, DispatchStatus.Cancelled).SetProperty(r => r.CancelledBy, by), ct);
        if (cancelled == 0)
            throw new DomainException(ErrorCodes.DispatchState, "The round has closed or was called off already.");
        return await read.OneAsync(id, ct);
    }
}

/// <summary>
/// Rounds as the supervisors whose jurisdiction covers them read them (a list of a jurisdiction's, newest first; one
/// whole), and what open rounds ask of one department, for its officials. Each read is a fixed number of queries.
/// </summary>
public sealed class ReadDispatch(TrackerDbContext db, Viewer viewer, OfficeClock clock, BulletinAccess access) : IUseCase
{
    public const int Listed = 100;

    /// <summary>How many rounds the jurisdiction has (the list's total): one count on the rounds' jurisdiction index.</summary>
    public async Task<int> CountAsync(int? jurisdictionId, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        var jurisdiction = jurisdictionId ?? viewer.JurisdictionId
            ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure("jurisdictionId", "Say whose dispatch rounds to count.")]);
        await access.RequireJurisdictionAsync(jurisdiction, ct);
        return await db.DispatchRounds.CountAsync(r => r.JurisdictionId == jurisdiction, ct);
    }

    public async Task<Paged<DispatchSummary>> ListAsync(DispatchQuery query, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        var jurisdictionId = query.JurisdictionId ?? viewer.JurisdictionId
            ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure("jurisdictionId", "Say whose dispatch rounds to list.")]);
        await access.RequireJurisdictionAsync(jurisdictionId, ct);
        var size = Math.Clamp(query.PageSize ?? 20, 1, 100);
        var rounds = db.DispatchRounds.AsNoTracking().Where(r => r.JurisdictionId == jurisdictionId);
        if (query.After is { } after) rounds = rounds.Where(r => r.Id < after);
        var rows = await rounds.OrderByDescending(r => r.Id).Take(size + 1)
            .Select(r => new
            {
                r.Id,
                r.JurisdictionId,
                r.Title,
                r.Status,
                r.OpensAt,
                r.DueAt,
                r.Weekly,
                Items = db.DispatchCounts.Where(c => c.RoundId == r.Id).Sum(c => c.Items),
                OnTime = db.DispatchCounts.Where(c => c.RoundId == r.Id).Sum(c => c.OnTime),
                Late = db.DispatchCounts.Where(c => c.RoundId == r.Id).Sum(c => c.Late),
            })
            .ToListAsync(ct);
        var items = rows.Take(size).Select(r => new DispatchSummary(r.Id, r.JurisdictionId, r.Title, r.Status, r.OpensAt, r.DueAt, r.Weekly,
            new DispatchTally(r.Items, r.OnTime, r.Late))).ToList();
        return new Paged<DispatchSummary>(items, 1, size, rows.Count > size,
            rows.Count > size ? items[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    public async Task<DispatchDetail> OneAsync(long id, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        var round = await db.DispatchRounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundException($"No dispatch round {id}.");
        await access.RequireJurisdictionAsync(round.JurisdictionId, ct);
        var names = await db.Jurisdictions.Where(j => j.Id == round.JurisdictionId)
            .Select(j => new { j.Name, Department = db.Departments.Where(d => d.Id == round.DepartmentId).Select(d => d.Name).FirstOrDefault() })
            .SingleAsync(ct);
        var due = round.DueAt;
        var departments = await db.DispatchCounts.Where(c => c.RoundId == id)
            .Join(db.Departments, c => c.DepartmentId, d => d.Id, (c, d) => new { c.DepartmentId, d.Name, c.Items, c.OnTime, c.Late })
            .ToListAsync(ct);
        var byDepartment = departments
            .Select(d => new DispatchDepartment(d.DepartmentId, d.Name, new DispatchTally(d.Items, d.OnTime, d.Late)))
            .OrderBy(d => d.Tally.CompletionRate).ThenBy(d => d.Department, StringComparer.Ordinal).ToList();
        var notOnTime = db.DispatchItems.Where(d => d.RoundId == id && (d.AnsweredAt == null || d.AnsweredAt > due));
        // The first items by department (an index scan cut at the cap), then their titles: not the other way round.
        var first = notOnTime.OrderBy(d => d.DepartmentId).ThenBy(d => d.InitiativeId).Take(Listed);
        var lines = await Lines(first, due).ToListAsync(ct);
        lines = [.. lines.OrderBy(l => l.Department, StringComparer.Ordinal).ThenBy(l => l.Code, StringComparer.Ordinal)];
        var tally = new DispatchTally(departments.Sum(d => d.Items), departments.Sum(d => d.OnTime), departments.Sum(d => d.Late));
        return new DispatchDetail(round.Id, round.JurisdictionId, names.Name, round.Title, round.Instructions, round.Kind, names.Department,
            round.FiguresRequired, round.Status, round.OpensAt, round.DueAt, round.Weekly, round.PreviousId, round.CreatedBy, round.ClosedAt,
            tally, byDepartment, lines, tally.Items - tally.OnTime);
    }

    /// <summary>The open rounds waiting on the viewer's department, soonest due first, with the items still to answer.</summary>
    public async Task<IReadOnlyList<DispatchAsk>> AskedOfMineAsync(CancellationToken ct)
    {
        if (viewer.DepartmentId is not { } department)
            return [];
        var rounds = await db.DispatchRounds.AsNoTracking().Where(r => r.Status == DispatchStatus.Open)
            .Join(db.DispatchCounts.Where(c => c.DepartmentId == department && c.Items > c.OnTime + c.Late), r => r.Id, c => c.RoundId,
                (r, c) => new { r.Id, r.Title, r.Instructions, r.FiguresRequired, r.DueAt, Waiting = c.Items - c.OnTime - c.Late })
            .OrderBy(r => r.DueAt).ThenBy(r => r.Id).Take(20)
            .ToListAsync(ct);
        var ids = rounds.Select(r => r.Id).ToList();
        // The first items of each round, in one query: numbered per round, then cut.
        var waiting = await db.DispatchItems.Where(d => ids.Contains(d.RoundId) && d.DepartmentId == department && d.AnsweredAt == null)
            .Join(db.Initiatives, d => d.InitiativeId, i => i.Id, (d, i) => new { d.RoundId, i.Id, i.Code, i.Title })
            .OrderBy(x => x.RoundId).ThenBy(x => x.Code)
            .ToListAsync(ct);
        return [.. rounds.Select(r => new DispatchAsk(r.Id, r.Title, r.Instructions, r.FiguresRequired, r.DueAt,
            [.. waiting.Where(w => w.RoundId == r.Id).Take(Listed).Select(w => new DispatchItemLine(w.Id, w.Code, w.Title, "", DispatchAnswer.Waiting, null))],
            r.Waiting))];
    }

    private IQueryable<DispatchItemLine> Lines(IQueryable<DispatchItem> items, DateTimeOffset due)
    {
        var now = clock.Now;
        var lateUntil = DispatchRules.LateUntil(due);
        // The department the round asked (the item's lead department when the round opened).
        return items.Join(db.Initiatives, d => d.InitiativeId, i => i.Id, (d, i) => new { d, i })
            .Join(db.Departments, x => x.d.DepartmentId, p => p.Id, (x, p) => new DispatchItemLine(x.i.Id, x.i.Code, x.i.Title, p.Name,
                x.d.AnsweredAt == null ? (now > lateUntil ? DispatchAnswer.Missed : DispatchAnswer.Waiting)
                    : x.d.AnsweredAt <= due ? DispatchAnswer.OnTime : DispatchAnswer.Late,
                x.d.AnsweredAt));
    }
}
