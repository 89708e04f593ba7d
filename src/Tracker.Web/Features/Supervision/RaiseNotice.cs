using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Supervision;

/// <summary>
/// Raises a supervision notice by hand on an item the viewer supervises (admins: any), addressed to its lead
/// department. An item takes one open notice at a time: a second is refused (409, <see cref="ErrorCodes.NoticeOpen"/>),
/// also when two raises race, by the unique index on open notices.
/// </summary>
public sealed class RaiseNotice(TrackerDbContext db, Viewer viewer, OfficeClock clock, IValidator<NoticeInput> validator, ReadNotices notices,
    OfficeDays days) : IUseCase
{
    /// <summary>The answer date a new notice proposes: today plus the usual answer days, counted as the office counts them.</summary>
    public Task<DateOnly> DefaultAnswerDueAsync(CancellationToken ct) => days.NoticeAnswerDueAsync(ct);

    /// <summary>Who may raise a notice on the item: 404 when they cannot read it, 403 unless they supervise it (admins: any).</summary>
    public async Task RequireRaiserAsync(long id, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        var path = await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        Require.That(viewer.Is(Roles.Admin) || viewer.Supervises(path),
            "Only a supervisor of the item's jurisdiction, or one above it, raises a notice on it.");
    }

    public async Task<NoticeDto> RunAsync(long id, NoticeInput input, CancellationToken ct)
    {
        await RequireRaiserAsync(id, ct);
        await validator.ValidateAndThrowAsync(input, ct);

        var departmentId = await db.Initiatives.Where(i => i.Id == id).Select(i => i.LeadDepartmentId).SingleAsync(ct);
        if (await db.Notices.AnyAsync(n => n.InitiativeId == id && n.Status != NoticeStatus.Closed, ct))
            throw OpenNotice();

        var notice = SupervisionNotice.Raise(id, departmentId, input.Reason!.Trim(), clock.Today, input.AnswerDue ?? await DefaultAnswerDueAsync(ct), clock.Now);
        notice.Steps[0].By = viewer.UserName;
        db.Notices.Add(notice);
        await db.SaveUniqueAsync(notice, OpenNotice, ct);
        return await notices.GetAsync(notice.Id, ct);
    }

    private static DomainException OpenNotice() =>
        new(ErrorCodes.NoticeOpen, "The item has an open supervision notice already; close it before raising another.");
}
