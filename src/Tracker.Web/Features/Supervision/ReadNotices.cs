using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Supervision;

/// <summary>
/// The notices a viewer may read — officials their department's, supervisors those of the items they read — a page
/// at a time or one by one. A page costs four queries whatever its length: the notices, their steps, their items and
/// their departments.
/// </summary>
public sealed class ReadNotices(TrackerDbContext db, Viewer viewer) : IUseCase
{
    public async Task<Paged<NoticeDto>> ListAsync(NoticeQuery query, CancellationToken ct)
    {
        var notices = Filtered(query);
        var page = await notices.OrderBy(n => n.AnswerDue).ThenBy(n => n.Id).Include(n => n.Steps).AsSplitQuery()
            .ToPagedAsync(PageRequest.Of(query.Page, query.PageSize), ct);
        return new Paged<NoticeDto>(await ToDtosAsync(page.Items, ct), page.Page, page.PageSize, page.HasMore);
    }

    /// <summary>How many notices the list holds under these filters: its total, one count.</summary>
    public Task<int> CountAsync(NoticeQuery query, CancellationToken ct) => Filtered(query).CountAsync(ct);

    private IQueryable<SupervisionNotice> Filtered(NoticeQuery query)
    {
        var notices = Visible();
        if (query.Status is { } status) notices = notices.Where(n => n.Status == status);
        if (query.Open == true) notices = notices.Where(n => n.Status != NoticeStatus.Closed);
        return notices;
    }

    public async Task<NoticeDto> GetAsync(long id, CancellationToken ct)
    {
        var notice = await Visible().Include(n => n.Steps).SingleOrDefaultAsync(n => n.Id == id, ct)
            ?? throw new NotFoundException($"No notice {id}.");
        return (await ToDtosAsync([notice], ct))[0];
    }

    /// <summary>The notice, tracked for a change, if the viewer may read it; 404 otherwise.</summary>
    internal async Task<SupervisionNotice> FindAsync(long id, CancellationToken ct)
    {
        var readable = db.Initiatives.Where(viewer.CanRead()).Select(i => i.Id);
        return await db.Notices.Include(n => n.Steps).Where(n => n.Id == id && readable.Contains(n.InitiativeId)).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"No notice {id}.");
    }

    private IQueryable<SupervisionNotice> Visible()
    {
        var readable = db.Initiatives.Where(viewer.CanRead()).Select(i => i.Id);
        return db.Notices.AsNoTracking().Where(n => readable.Contains(n.InitiativeId));
    }

    private async Task<List<NoticeDto>> ToDtosAsync(IReadOnlyList<SupervisionNotice> notices, CancellationToken ct)
    {
        var itemIds = notices.Select(n => n.InitiativeId).Distinct().ToList();
        var departmentIds = notices.Select(n => n.DepartmentId).Distinct().ToList();
        var items = itemIds.Count == 0 ? [] : await db.Initiatives.AsNoTracking().Where(i => itemIds.Contains(i.Id))
            .ToDictionaryAsync(i => i.Id, i => (i.Code, i.Title), ct);
        var departments = departmentIds.Count == 0 ? [] : await db.Departments.AsNoTracking().Where(d => departmentIds.Contains(d.Id))
            .ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        return [.. notices.Select(n => new NoticeDto(n.Id, n.InitiativeId, items[n.InitiativeId].Code, items[n.InitiativeId].Title,
            new NamedRef(n.DepartmentId, departments[n.DepartmentId]), n.Reason, n.RaisedOn, n.AnswerDue, n.Status, n.Escalated,
            [.. n.Steps.OrderBy(s => s.At).ThenBy(s => s.Id).Select(s => new NoticeStepDto(s.At, s.Action, s.By, s.Text))]))];
    }
}
