using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Progress;

/// <summary>
/// An official of the lead or a co-operating department reports progress: checked (404 outside their scope, 403 for
/// anyone else), validated, then applied with its checked evidence in one transaction with the item locked. The API
/// and the progress page both submit through here.
/// </summary>
public sealed class SubmitReport(TrackerDbContext db, Viewer viewer, OfficeClock clock, HealthPolicy policy, IValidator<ReportInput> validator) : IUseCase
{
    private const string Refusal = "Only officials of the lead or a co-operating department report progress on this initiative.";

    /// <summary>The item as the progress form shows it, if the viewer may report on it.</summary>
    public async Task<InitiativeDetail> FormAsync(long id, CancellationToken ct)
    {
        await RequireReporterAsync(id, ct);
        return await ReadItem.LoadAsync(db, id, new HealthContext(clock.Today, policy), ct);
    }

    /// <summary>
    /// One transaction of a few statements: the item locked, then read with its plan in one query (which is also the
    /// check of who may report), the report, its values and the item's new figures and kept health in one batch, the
    /// audit rows in another, the reminders the report clears and the dispatch round it answers. A refused report rolls back with nothing written.
    /// </summary>
    public async Task<ProgressReport> RunAsync(long id, ReportInput input, List<Attachment> files, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Reports on one item are applied one at a time: the item's figures derive from the latest values.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM initiatives WHERE id = {id} FOR UPDATE", ct);
        var initiative = await db.Initiatives.Where(i => i.Id == id).Where(viewer.CanRead())
            .Include(i => i.Targets).Include(i => i.Milestones).Include(i => i.CoDepartments)
            .AsSingleQuery().SingleOrDefaultAsync(ct) ?? throw new NotFoundException($"No initiative {id}.");
        Require.That(viewer.CanReport(initiative), Refusal);
        await validator.ValidateAndThrowAsync(input, ct);
        if (input.Investment is not null && !await db.KeyProjects.AnyAsync(k => k.InitiativeId == id, ct))
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(ReportInput.Investment),
                "Investment is reported on a key project with its facts (年度计划投资) set.")]);

        var report = new ProgressReport
        {
            InitiativeId = id,
            ReportedBy = viewer.UserName,
            ReportedAt = clock.Now,
            Phase = input.Phase!.Value,
            Narrative = input.Narrative!.Trim(),
            Problems = input.Problems?.Trim(),
            NextSteps = input.NextSteps?.Trim(),
            Values = [.. (input.Values ?? []).Select(v => new ReportValue { TargetId = v.TargetId!.Value, Value = v.Value!.Value })],
            MilestonesAchieved = [.. (input.MilestonesAchieved ?? []).Distinct()],
            Investment = input.Investment,
            Attachments = files,
        };
        initiative.ApplyReport(report, clock.DayOf(report.ReportedAt));
        initiative.UpdatedAt = report.ReportedAt;
        db.ProgressReports.Add(report);
        await db.SaveChangesAsync(ct);
        await ReminderResolution.ResolveClearedAsync(db, initiative, initiative.KeptHealth(clock.Today), report.ReportedAt, ct);
        if (report.Investment is { } invested)
            await Programmes.KeptInvestment.RecordAsync(db, initiative, report.Id, Investment.MonthOf(report.ReportedOn), invested, ct);
        await Dispatch.DispatchAnswers.RecordAsync(db, id, report.Id, report.ReportedAt, report.Values.Count > 0, ct);
        await transaction.CommitAsync(ct);
        return report;
    }

    private async Task RequireReporterAsync(long id, CancellationToken ct)
    {
        var item = await db.Initiatives.Where(i => i.Id == id).Where(viewer.CanRead())
            .Select(i => new { i.LeadDepartmentId, Co = i.CoDepartments.Select(c => c.DepartmentId).ToList() })
            .SingleOrDefaultAsync(ct) ?? throw new NotFoundException($"No initiative {id}.");
        Require.That(viewer.CanReport(item.LeadDepartmentId, item.Co), Refusal);
    }
}
