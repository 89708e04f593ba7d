using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Livelihood;

public sealed record FollowUpDto(long Id, long InitiativeId, int DepartmentId, string Request, DateOnly DueOn, string? Answer, DateTimeOffset? AnsweredAt, bool Overdue);

public sealed record FollowUpAnswer(string? Answer);

/// <summary>Follow-up requests on the items the viewer reads; <c>overdue</c> lists those unanswered past their date, <c>open</c> the unanswered.</summary>
public sealed class ReadFollowUps(TrackerDbContext db, Viewer viewer, OfficeClock clock) : IUseCase
{
    public async Task<Paged<FollowUpDto>> RunAsync(bool? overdue, bool? open, int? page, int? pageSize, CancellationToken ct)
    {
        var today = clock.Today;
        var readable = db.Initiatives.Where(viewer.CanRead()).Select(i => i.Id);
        var followUps = db.FollowUps.AsNoTracking().Where(f => readable.Contains(f.InitiativeId));
        if (overdue == true) followUps = followUps.Where(f => f.Answer == null && f.DueOn < today);
        if (open == true) followUps = followUps.Where(f => f.Answer == null);
        return await followUps.OrderBy(f => f.DueOn).ThenBy(f => f.Id)
            .Select(f => new FollowUpDto(f.Id, f.InitiativeId, f.DepartmentId, f.Request, f.DueOn, f.Answer, f.AnsweredAt, f.Answer == null && f.DueOn < today))
            .ToPagedAsync(PageRequest.Of(page, pageSize), ct);
    }
}

/// <summary>The responsible department answers a deputies' follow-up request, once.</summary>
public sealed class AnswerFollowUp(TrackerDbContext db, Viewer viewer, OfficeClock clock, IValidator<FollowUpAnswer> validator) : IUseCase
{
    public async Task<FollowUpDto> RunAsync(long id, FollowUpAnswer input, CancellationToken ct)
    {
        var readable = db.Initiatives.Where(viewer.CanRead()).Select(i => i.Id);
        var followUp = await db.FollowUps.Where(f => f.Id == id && readable.Contains(f.InitiativeId)).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"No follow-up {id}.");
        Require.That(viewer.SpeaksFor(followUp.DepartmentId), "The responsible department answers follow-up requests.");
        await validator.ValidateAndThrowAsync(input, ct);
        followUp.Respond(viewer.UserName, input.Answer!.Trim(), clock.Now);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        // The item's follow-up reminder ends with its last overdue request answered, not at the next sweep.
        var today = clock.Today;
        if (!await db.FollowUps.AnyAsync(f => f.InitiativeId == followUp.InitiativeId && f.Answer == null && f.DueOn < today, ct))
            await db.Reminders
                .Where(r => r.InitiativeId == followUp.InitiativeId && r.Reason == ReminderReason.FollowUpOverdue && r.Status == ReminderStatus.Open)
                .ExecuteUpdateAsync(r => r.SetProperty(x => x.Status, ReminderStatus.Resolved).SetProperty(x => x.ClosedAt, clock.Now), ct);
        await transaction.CommitAsync(ct);
        return new FollowUpDto(followUp.Id, followUp.InitiativeId, followUp.DepartmentId, followUp.Request, followUp.DueOn, followUp.Answer, followUp.AnsweredAt, false);
    }
}

internal sealed class FollowUpAnswerValidator : AbstractValidator<FollowUpAnswer>
{
    public FollowUpAnswerValidator() => RuleFor(a => a.Answer).NotEmpty().WithMessage("The answer is empty.").MaximumLength(4000);
}
