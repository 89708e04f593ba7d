using FluentValidation;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Supervision;

/// <summary>The department a notice is addressed to answers it with its rectification plan (整改方案).</summary>
public sealed class AnswerNotice(TrackerDbContext db, Viewer viewer, OfficeClock clock, IValidator<NoticeAnswer> validator, ReadNotices notices) : IUseCase
{
    public async Task<NoticeDto> RunAsync(long id, NoticeAnswer input, CancellationToken ct)
    {
        var notice = await notices.FindAsync(id, ct);
        Require.That(viewer.SpeaksFor(notice.DepartmentId), "Only the department the notice is addressed to answers it.");
        await validator.ValidateAndThrowAsync(input, ct);
        notice.Answer(viewer.UserName, input.Text!.Trim(), clock.Now);
        await db.SaveChangesAsync(ct);
        return await notices.GetAsync(id, ct);
    }
}

/// <summary>A supervisor accepts the department's plan, or returns it with a reason and a new answer date.</summary>
public sealed class ReviewNotice(TrackerDbContext db, Viewer viewer, OfficeClock clock, IValidator<NoticeReview> validator, ReadNotices notices,
    OfficeDays days) : IUseCase
{
    public async Task<NoticeDto> RunAsync(long id, NoticeReview input, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        var notice = await notices.FindAsync(id, ct);
        await validator.ValidateAndThrowAsync(input, ct);
        notice.Review(viewer.UserName, input.Accept, input.Comment?.Trim() ?? "", await days.NoticeAnswerDueAsync(ct), clock.Now);
        await db.SaveChangesAsync(ct);
        return await notices.GetAsync(id, ct);
    }
}

/// <summary>A supervisor closes a notice once the rectification is verified, with an optional comment.</summary>
public sealed class CloseNotice(TrackerDbContext db, Viewer viewer, OfficeClock clock, ReadNotices notices) : IUseCase
{
    public async Task<NoticeDto> RunAsync(long id, NoticeAnswer input, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        var notice = await notices.FindAsync(id, ct);
        // The comment is optional; only its length is checked.
        if (input.Text is { Length: > 4000 })
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(NoticeAnswer.Text), "At most 4000 characters.")]);
        notice.Close(viewer.UserName, input.Text?.Trim() ?? "", clock.Now);
        await db.SaveChangesAsync(ct);
        return await notices.GetAsync(id, ct);
    }
}
