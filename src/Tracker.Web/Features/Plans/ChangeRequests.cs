using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Plans;

/// <summary>
/// The lead department's official asks to move a fixed plan (延期/调整申请): checked (404 outside their scope, 403 for
/// anyone but the lead department's officials), validated against the current plan, kept Pending with its evidence.
/// One request awaits a decision per item (a second is 409, also when two race, by a partial unique index).
/// </summary>
public sealed class RequestChange(TrackerDbContext db, Viewer viewer, OfficeClock clock, IValidator<ChangeRequestInput> validator, ReadPlans read) : IUseCase
{
    private const string Refusal = "Only an official of the lead department asks to change its plan.";

    /// <summary>Who may ask: 404 when they cannot read the item, 403 unless they are of its lead department.</summary>
    public async Task RequireRequesterAsync(long id, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        var lead = await db.Initiatives.Where(i => i.Id == id).Select(i => i.LeadDepartmentId).SingleAsync(ct);
        Require.That(viewer.Is(Roles.Official) && viewer.DepartmentId == lead, Refusal);
    }

    public async Task<ChangeRequestDto> RunAsync(long id, ChangeRequestInput input, List<Attachment> evidence, CancellationToken ct)
    {
        await RequireRequesterAsync(id, ct);
        await validator.ValidateAndThrowAsync(input, ct);
        var item = await db.Initiatives.Include(i => i.Targets).Include(i => i.Milestones).AsSplitQuery().SingleAsync(i => i.Id == id, ct);
        var terms = TermsOf(item, input);
        if (terms.Deadline < terms.PlannedStart)
            throw new ValidationException([new ValidationFailure(nameof(ChangeRequestInput.Deadline), "The deadline cannot be before the planned start.")]);
        if (await db.ChangeRequests.AnyAsync(r => r.InitiativeId == id && r.Status == ChangeRequestStatus.Pending, ct))
            throw Pending();

        var request = item.RequestChange(terms, viewer.DepartmentId!.Value, viewer.UserName, input.Reason!.Trim(), clock.Now);
        request.Evidence = evidence;
        db.ChangeRequests.Add(request);
        await db.SaveUniqueAsync(request, Pending, ct);
        return await read.RequestAsync(request.Id, ct);
    }

    /// <summary>The current plan with what the input gives in place of it.</summary>
    internal static PlanTerms TermsOf(Initiative item, ChangeRequestInput input)
    {
        var current = PlanTerms.Of(item);
        return new PlanTerms(
            input.PlannedStart ?? current.PlannedStart,
            input.Deadline ?? current.Deadline,
            input.Targets is { } targets ? [.. targets.Select(ItemInput.Target)] : current.Targets,
            input.Milestones is { } milestones ? [.. milestones.Select(ItemInput.Milestone)] : current.Milestones);
    }

    private static DomainException Pending() =>
        new(ErrorCodes.ChangePending, "A change request on this item awaits a decision already; it is decided before another is made.");
}

/// <summary>
/// A supervisor whose jurisdiction covers the item (or an admin) approves or rejects a pending request, never someone
/// of the requesting department. Approval applies the terms in one transaction with the item locked: the plan's new
/// version (and the fixed plan as version 1 at the first change), the item's figures and kept health, the reminders the
/// new plan clears. Two decisions racing: one wins, the other is a 409.
/// </summary>
public sealed class DecideChange(TrackerDbContext db, Viewer viewer, OfficeClock clock, IValidator<ChangeDecision> validator, ReadPlans read) : IUseCase
{
    /// <summary>Who may decide: 404 when the request's item is not theirs to read, 403 unless they supervise it and are not of the requesting department.</summary>
    public async Task<ChangeRequest> RequireDeciderAsync(long requestId, CancellationToken ct)
    {
        var request = await db.ChangeRequests.SingleOrDefaultAsync(r => r.Id == requestId, ct)
            ?? throw new NotFoundException($"No change request {requestId}.");
        var path = await db.Initiatives.Where(i => i.Id == request.InitiativeId).Where(viewer.CanRead()).Select(i => i.JurisdictionPath).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"No change request {requestId}.");
        Require.That((viewer.Is(Roles.Admin) || viewer.Supervises(path)) && viewer.DepartmentId != request.DepartmentId,
            "Only a supervisor of the item's jurisdiction, not of the requesting department, decides a change request.");
        return request;
    }

    public async Task<ChangeRequestDto> RunAsync(long requestId, ChangeDecision decision, uint? expectedVersion, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var request = await RequireDeciderAsync(requestId, ct);
        await validator.ValidateAndThrowAsync(decision, ct);
        if (expectedVersion is { } expected)
            ETags.Expect(db, request, expected);

        var comment = decision.Comment?.Trim() ?? "";
        if (decision.Approve == true)
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM initiatives WHERE id = {request.InitiativeId} FOR UPDATE", ct);
            var item = await db.Initiatives.Include(i => i.Targets).Include(i => i.Milestones).AsSplitQuery().SingleAsync(i => i.Id == request.InitiativeId, ct);
            var now = clock.Now;
            db.PlanVersions.AddRange(item.ApproveChange(request, viewer.UserName, comment, now));
            item.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            await ReminderResolution.ResolveClearedAsync(db, item, item.KeptHealth(clock.Today), now, ct);
        }
        else
        {
            request.Reject(viewer.UserName, comment, clock.Now);
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return await read.RequestAsync(request.Id, ct);
    }
}

/// <summary>Change requests and plan versions as their readers see them: anyone who reads the item; the queue for supervisors and admins.</summary>
public sealed class ReadPlans(TrackerDbContext db, Viewer viewer) : IUseCase
{
    /// <summary>An item's plan history; 404 outside the viewer's scope. Three queries.</summary>
    public async Task<PlanHistory> HistoryAsync(long id, CancellationToken ct)
    {
        await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        var item = await db.Initiatives.AsNoTracking().Where(i => i.Id == id)
            .Select(i => new { i.Status, i.IsPublished, i.LastReportedAt, i.Deadline, i.OriginalDeadline, i.Extensions }).SingleAsync(ct);
        var versions = await db.PlanVersions.AsNoTracking().Where(v => v.InitiativeId == id).OrderBy(v => v.Number).ToListAsync(ct);
        var requests = await ListAsync(db.ChangeRequests.Where(r => r.InitiativeId == id).OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.Id), ct);
        return new PlanHistory(id, Initiative.IsPlanFixed(item.Status, item.IsPublished, item.LastReportedAt), item.Deadline, item.OriginalDeadline, item.Extensions,
            [.. versions.Select(v => new PlanVersionDto(v.Number, new PlanTermsDto(v.PlannedStart, v.Deadline, v.Targets, v.Milestones), v.ChangeRequestId, v.RequestedBy, v.Reason, v.DecidedBy, v.RecordedAt))],
            requests);
    }

    /// <summary>One request; 404 when its item is outside the viewer's scope.</summary>
    public async Task<ChangeRequestDto> RequestAsync(long requestId, CancellationToken ct)
    {
        var readable = db.Initiatives.Where(viewer.CanRead()).Select(i => i.Id);
        return (await ListAsync(db.ChangeRequests.Where(r => r.Id == requestId && readable.Contains(r.InitiativeId)), ct)).SingleOrDefault()
            ?? throw new NotFoundException($"No change request {requestId}.");
    }

    /// <summary>The supervisors' queue: pending requests on the items of their jurisdiction and below, oldest first, a page at a time.</summary>
    public async Task<Paged<ChangeRequestDto>> PendingAsync(int? page, int? pageSize, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        var request = PageRequest.Of(page, pageSize);
        var readable = db.Initiatives.Where(viewer.CanRead()).Select(i => i.Id);
        var rows = await ListAsync(db.ChangeRequests.Where(r => r.Status == ChangeRequestStatus.Pending && readable.Contains(r.InitiativeId))
            .OrderBy(r => r.RequestedAt).ThenBy(r => r.Id).Skip((request.Page - 1) * request.Size).Take(request.Size + 1), ct);
        return new Paged<ChangeRequestDto>([.. rows.Take(request.Size)], request.Page, request.Size, rows.Count > request.Size);
    }

    private async Task<List<ChangeRequestDto>> ListAsync(IQueryable<ChangeRequest> requests, CancellationToken ct)
    {
        var rows = await requests.AsNoTracking()
            .Select(r => new
            {
                Request = r,
                Evidence = r.Evidence.OrderBy(a => a.FileName).Select(a => new { a.Id, a.FileName, a.ContentType, a.Size }).ToList(),
                Item = db.Initiatives.Where(i => i.Id == r.InitiativeId).Select(i => new { i.Code, i.Title }).Single(),
                Department = db.Departments.Where(d => d.Id == r.DepartmentId).Select(d => d.Name).Single(),
            })
            .ToListAsync(ct);
        var current = await db.Initiatives.AsNoTracking().Where(i => rows.Select(r => r.Request.InitiativeId).Contains(i.Id))
            .Include(i => i.Targets).Include(i => i.Milestones).AsSplitQuery().ToDictionaryAsync(i => i.Id, ct);
        return [.. rows.Select(x =>
        {
            var r = x.Request;
            // What a pending request would move, against the plan as it is now; a decided one against the plan it was made on is not kept, so none.
            var moves = r.Status == ChangeRequestStatus.Pending && current.TryGetValue(r.InitiativeId, out var item) ? PlanTerms.Of(item).Moves(r.Terms) : [];
            return new ChangeRequestDto(r.Id, r.InitiativeId, x.Item.Code, x.Item.Title, new NamedRef(r.DepartmentId, x.Department), r.RequestedBy, r.RequestedAt,
                r.Reason, r.DeadlineBefore, new PlanTermsDto(r.PlannedStart, r.Deadline, r.Targets, r.Milestones), moves, r.Status,
                r.DecidedBy, r.DecidedAt, r.Comment,
                [.. x.Evidence.Select(a => new Progress.AttachmentDto(a.Id, a.FileName, a.ContentType, a.Size, $"/api/attachments/{a.Id}"))], ETags.Format(r.Version));
        })];
    }
}
