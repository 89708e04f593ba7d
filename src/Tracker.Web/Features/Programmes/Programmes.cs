using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Bulletins;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Programmes;

public sealed record ProgrammeInput(int? JurisdictionId, int? Year, string? Code, string? Name, string? Description, int? OwnerDepartmentId);

/// <summary>Items to add to a programme and items to take out of it (ids; at most <see cref="SetProgrammeItems.MaxPerRequest"/> in all).</summary>
public sealed record ProgrammeItemsInput(long[]? Add, long[]? Remove);

public sealed record ProgrammeSummary(int Id, int JurisdictionId, int Year, string Code, string Name, string? Owner);

/// <summary>
/// An item of a programme as its page lists it: a key project with this year's planned and completed investment; an
/// item with parts with their progress rolled up (<c>Parts</c>: by weight, over the parts the reader may read).
/// </summary>
public sealed record ProgrammeItemLine(long Id, string Code, string Title, string Department, InitiativeStatus Status, Phase Phase, HealthColour Colour,
    decimal Progress, DateOnly? LastReportedOn, decimal? PlannedInvestment, decimal? CompletedInvestment, RolledProgress? Parts = null)
{
    public decimal? InvestmentRate => PlannedInvestment is { } planned ? RollUp.Achieved(CompletedInvestment ?? 0m, planned) : null;
}

/// <summary>
/// A programme with its figures (<see cref="RollUp.Figures"/>) over the items the viewer may read — <c>Figures.Hidden</c>
/// says how many others it holds — its key projects' investment of the year by month, and its items, reddest first, a page at a time.
/// </summary>
public sealed record ProgrammeDetail(int Id, int JurisdictionId, string Jurisdiction, int Year, string Code, string Name, string Description, string? Owner,
    RollUpFigures Figures, IReadOnlyList<InvestmentPoint> Investment, IReadOnlyList<ProgressPoint> Progress, IReadOnlyList<ProgrammeItemLine> Items, bool HasMore);

internal sealed class ProgrammeInputValidator : AbstractValidator<ProgrammeInput>
{
    public ProgrammeInputValidator()
    {
        RuleFor(x => x.JurisdictionId).NotNull();
        RuleFor(x => x.Year).NotNull().InclusiveBetween(2000, 2100);
        RuleFor(x => x.Code).NotEmpty().MaximumLength(64);
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Description).MaximumLength(4000);
    }
}

internal sealed class ProgrammeItemsInputValidator : AbstractValidator<ProgrammeItemsInput>
{
    public ProgrammeItemsInputValidator() =>
        RuleFor(x => (x.Add == null ? 0 : x.Add.Length) + (x.Remove == null ? 0 : x.Remove.Length)).InclusiveBetween(1, SetProgrammeItems.MaxPerRequest)
            .OverridePropertyName("add").WithMessage($"Name between 1 and {SetProgrammeItems.MaxPerRequest} items to add or remove.");
}

/// <summary>A supervisor sets up a programme of their jurisdiction (or one below it), with a code unique in its jurisdiction and year.</summary>
public sealed class CreateProgramme(TrackerDbContext db, Viewer viewer, OfficeClock clock, BulletinAccess access, IValidator<ProgrammeInput> validator,
    ReadProgrammes read) : IUseCase
{
    public async Task<ProgrammeDetail> RunAsync(ProgrammeInput input, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        await validator.ValidateAndThrowAsync(input, ct);
        var path = await access.RequireJurisdictionAsync(input.JurisdictionId!.Value, ct);
        await access.RequireDepartmentWithinAsync(input.OwnerDepartmentId, path, nameof(ProgrammeInput.OwnerDepartmentId), ct);
        var programme = new Programme
        {
            JurisdictionId = input.JurisdictionId.Value,
            Year = input.Year!.Value,
            Code = input.Code!.Trim(),
            Name = input.Name!.Trim(),
            Description = input.Description?.Trim() ?? "",
            OwnerDepartmentId = input.OwnerDepartmentId,
            CreatedBy = viewer.UserName,
            CreatedAt = clock.Now,
        };
        db.Programmes.Add(programme);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new DomainException(ErrorCodes.ProgrammeCode, "The jurisdiction already has a programme of that code this year.");
        }
        return await read.OneAsync(programme.Id, 1, ct);
    }
}

/// <summary>
/// A supervisor of the programme's jurisdiction adds items of that jurisdiction's subtree and of the programme's year to it, or takes items out;
/// an item outside it is refused with the rest (nothing written). Adding an item already in is no change.
/// </summary>
public sealed class SetProgrammeItems(TrackerDbContext db, Viewer viewer, BulletinAccess access, IValidator<ProgrammeItemsInput> validator,
    ReadProgrammes read) : IUseCase
{
    public const int MaxPerRequest = 1000;

    public async Task<ProgrammeDetail> RunAsync(int id, ProgrammeItemsInput input, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        var programme = await db.Programmes.Where(p => p.Id == id).Select(p => new { p.JurisdictionId, p.Year }).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"No programme {id}.");
        var path = await access.RequireJurisdictionAsync(programme.JurisdictionId, ct);
        await validator.ValidateAndThrowAsync(input, ct);
        var add = (input.Add ?? []).Distinct().ToList();
        var remove = (input.Remove ?? []).Distinct().ToList();
        // A programme is a year's list: its figures and curve are that year's.
        var within = await db.Initiatives.Where(i => add.Contains(i.Id) && i.JurisdictionPath.StartsWith(path) && i.Year == programme.Year)
            .Select(i => i.Id).ToListAsync(ct);
        var outside = add.Except(within).ToList();
        if (outside.Count > 0)
            throw new ValidationException([new FluentValidation.Results.ValidationFailure("add",
                $"Not items of the programme's jurisdiction and year: {string.Join(", ", outside.Take(20))}{(outside.Count > 20 ? " …" : "")}.")]);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var present = await db.ProgrammeItems.Where(p => p.ProgrammeId == id && (add.Contains(p.InitiativeId) || remove.Contains(p.InitiativeId))).ToListAsync(ct);
        db.ProgrammeItems.AddRange(add.Except(present.Select(p => p.InitiativeId)).Select(i => new ProgrammeItem { ProgrammeId = id, InitiativeId = i }));
        db.ProgrammeItems.RemoveRange(present.Where(p => remove.Contains(p.InitiativeId)));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return await read.OneAsync(id, 1, ct);
    }
}

/// <summary>
/// Programmes as anyone signed in reads them: a jurisdiction's of a year, and one whole with its figures over the items
/// the reader may read (the rest counted as hidden, never shown nor counted in a rate) — a fixed number of queries.
/// </summary>
public sealed class ReadProgrammes([FromKeyedServices(ReplicaReads.Key)] TrackerDbContext db, Viewer viewer, OfficeClock clock, KeptHealth kept) : IUseCase
{
    public const int PageSize = 100;

    public async Task<IReadOnlyList<ProgrammeSummary>> ListAsync(int jurisdictionId, int? year, CancellationToken ct)
    {
        Require.That(viewer.IsAuthenticated, "Sign in to read programmes.");
        var programmes = db.Programmes.AsNoTracking().Where(p => p.JurisdictionId == jurisdictionId);
        if (year is { } y)
            programmes = programmes.Where(p => p.Year == y);
        return await programmes.OrderByDescending(p => p.Year).ThenBy(p => p.Code).Take(200)
            .Select(p => new ProgrammeSummary(p.Id, p.JurisdictionId, p.Year, p.Code, p.Name,
                db.Departments.Where(d => d.Id == p.OwnerDepartmentId).Select(d => d.Name).FirstOrDefault()))
            .ToListAsync(ct);
    }

    public async Task<ProgrammeDetail> OneAsync(int id, int page, CancellationToken ct)
    {
        Require.That(viewer.IsAuthenticated, "Sign in to read programmes.");
        await kept.EnsureTodayAsync(ct);
        var p = await db.Programmes.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new
            {
                x.Id,
                x.JurisdictionId,
                x.Year,
                x.Code,
                x.Name,
                x.Description,
                Jurisdiction = db.Jurisdictions.Where(j => j.Id == x.JurisdictionId).Select(j => new { j.Name, j.Path }).First(),
                Owner = db.Departments.Where(d => d.Id == x.OwnerDepartmentId).Select(d => d.Name).FirstOrDefault(),
                Members = db.ProgrammeItems.Count(m => m.ProgrammeId == x.Id),
            })
            .SingleOrDefaultAsync(ct) ?? throw new NotFoundException($"No programme {id}.");
        var readable = db.Initiatives.AsNoTracking().Where(viewer.CanRead());
        var items = readable.Where(i => db.ProgrammeItems.Any(m => m.ProgrammeId == id && m.InitiativeId == i.Id));
        // Members are of the programme's jurisdiction and below: its supervisors (and admins) read every one, so its kept
        // groups are theirs; anyone else's figures are summed over what they may read.
        var rollUp = viewer.Is(Roles.Admin) || viewer.Supervises(p.Jurisdiction.Path)
            ? await SetFigures.KeptAsync(db, id, p.Year, clock.Today, ct)
            : await SetFigures.ReadAsync(db, items, p.Members, p.Year, clock.Today, ct);
        // Reddest first, walking the list's index (the colour and code kept on it) to the page.
        var lines = await db.ProgrammeItems.Where(m => m.ProgrammeId == id)
            .Join(readable, m => m.InitiativeId, i => i.Id, (m, i) => new { m, i })
            .OrderBy(x => x.m.ColourRank).ThenBy(x => x.m.Code).ThenBy(x => x.m.InitiativeId)
            .Skip((Math.Clamp(page, 1, 10_000) - 1) * PageSize).Take(PageSize + 1)
            .Select(x => x.i)
            .Select(i => new ProgrammeItemLine(i.Id, i.Code, i.Title, i.LeadDepartment!.Name, i.Status, i.Phase, i.HealthColour, i.Progress, i.LastReportedOn,
                i.KeyProject == null ? null : i.KeyProject.PlannedInvestment, i.KeyProject == null ? null : i.KeyProject.CompletedInvestment, null))
            .ToListAsync(ct);
        var shown = lines.Take(PageSize).ToList();
        var parts = await ItemTrees.RollAsync(db, viewer, [.. shown.Select(l => l.Id)], ct);
        return new ProgrammeDetail(p.Id, p.JurisdictionId, p.Jurisdiction.Name, p.Year, p.Code, p.Name, p.Description, p.Owner, rollUp.Figures, rollUp.Investment, rollUp.Progress,
            [.. shown.Select(l => parts.TryGetValue(l.Id, out var rolled) ? l with { Parts = rolled } : l)], lines.Count > PageSize);
    }
}
