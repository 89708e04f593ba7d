using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Initiatives;

/// <summary>
/// One item as its reader sees it: targets (with "not reported"), milestones, health, latest report and ETag.
/// An item outside the viewer's scope answers 404, as if it did not exist. A fixed number of queries.
/// </summary>
public sealed class ReadItem(TrackerDbContext db, Viewer viewer, OfficeClock clock, HealthPolicy policy) : IUseCase
{
    public async Task<InitiativeDetail> RunAsync(long id, CancellationToken ct) => (await WithPathAsync(id, ct)).Detail;

    /// <summary>The detail and the item's jurisdiction path (which says whether the viewer supervises it).</summary>
    public async Task<(InitiativeDetail Detail, string Path)> WithPathAsync(long id, CancellationToken ct)
    {
        var path = await ItemAccess.RequireReadableAsync(db, viewer, id, ct);
        return (await LoadAsync(db, id, new HealthContext(clock.Today, policy), ct), path);
    }

    /// <summary>The detail of an item already checked (or just written) by the caller.</summary>
    internal static async Task<InitiativeDetail> LoadAsync(TrackerDbContext db, long id, HealthContext health, CancellationToken ct)
    {
        var i = await db.Initiatives.AsNoTracking()
            .Include(x => x.Jurisdiction).Include(x => x.LeadDepartment)
            .Include(x => x.CoDepartments).ThenInclude(c => c.Department)
            .Include(x => x.Targets.OrderBy(t => t.Id)).Include(x => x.Milestones.OrderBy(m => m.PlannedOn)).Include(x => x.KeyProject)
            .AsSplitQuery()
            .SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException($"No initiative {id}.");
        var latest = await ReadReports.Of(db, id).FirstOrDefaultAsync(ct);

        return new InitiativeDetail(
            i.Id, i.Code, i.Title, i.Description, i.Year, i.Kind,
            new NamedRef(i.JurisdictionId, i.Jurisdiction!.Name),
            new NamedRef(i.LeadDepartmentId, i.LeadDepartment!.Name),
            [.. i.CoDepartments.Select(c => new NamedRef(c.DepartmentId, c.Department!.Name)).OrderBy(c => c.Id)],
            ContactDto.From(i.LeaderInCharge), ContactDto.From(i.ResponsiblePerson),
            i.Budget, i.PlannedStart, i.Deadline, i.ReportingInterval, i.Status, i.IsPublished, i.IsVoted,
            Initiative.AllowedTransitions(i.Status), i.Phase, Phases.For(i.Kind),
            [.. i.Targets.Select(TargetDto.From)],
            [.. i.Milestones.Select(m => MilestoneDto.From(m, health.Today))],
            HealthRules.Evaluate(i, health),
            latest is null ? null : ReportDto.From(latest),
            ETags.Format(i.Version),
            i.ParentId, i.Weight, i.KeyProject is null ? null : KeyProjectDto.From(i.KeyProject));
    }
}
