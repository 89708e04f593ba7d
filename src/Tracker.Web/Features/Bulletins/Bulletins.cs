using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Bulletins;

/// <summary>A bulletin in the archive.</summary>
public sealed record BulletinSummary(long Id, int JurisdictionId, BulletinKind Kind, string Title, string Number, DateOnly PeriodFrom, DateOnly PeriodTo,
    DateOnly IssuedOn, bool Withdrawn);

/// <summary>A bulletin whole: its figures as issued, and its withdrawal when withdrawn.</summary>
public sealed record BulletinDetail(long Id, int JurisdictionId, string Jurisdiction, BulletinKind Kind, string Title, string Number, string Text,
    DateOnly PeriodFrom, DateOnly PeriodTo, DateOnly IssuedOn, DateTimeOffset IssuedAt, string IssuedBy,
    DateTimeOffset? WithdrawnAt, string? WithdrawnBy, string? WithdrawnReason, BulletinContent Content, DateTimeOffset? PublishedAt = null);

public sealed record BulletinQuery(int? JurisdictionId, BulletinKind? Kind, long? After, int? PageSize);

/// <summary>A special bulletin (专项通报) a supervisor issues by hand: their title and text, with the day's figures.</summary>
public sealed record SpecialBulletinInput(int? JurisdictionId, string? Title, string? Text);

public sealed record WithdrawalInput(string? Reason);

public sealed record BulletinSettingsInput(bool? Daily, bool? Weekly, bool? Monthly);

internal sealed class SpecialBulletinValidator : AbstractValidator<SpecialBulletinInput>
{
    public SpecialBulletinValidator()
    {
        RuleFor(x => x.JurisdictionId).NotNull();
        RuleFor(x => x.Title).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Text).NotEmpty().MaximumLength(8000);
    }
}

internal sealed class WithdrawalValidator : AbstractValidator<WithdrawalInput>
{
    public WithdrawalValidator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(500);
}

internal sealed class BulletinSettingsValidator : AbstractValidator<BulletinSettingsInput>
{
    public BulletinSettingsValidator()
    {
        RuleFor(x => x.Daily).NotNull();
        RuleFor(x => x.Weekly).NotNull();
        RuleFor(x => x.Monthly).NotNull();
    }
}

/// <summary>
/// Bulletins are read, issued by hand, withdrawn and switched on by the supervisors whose jurisdiction covers the
/// bulletin's, and by admins: anyone else who is not a supervisor is refused (403) before anything is looked up, and
/// another jurisdiction's supervisor finds no such bulletin or jurisdiction (404).
/// </summary>
public sealed class BulletinAccess(TrackerDbContext db, Viewer viewer) : IUseCase
{
    public async Task<string> RequireJurisdictionAsync(int jurisdictionId, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        var path = await db.Jurisdictions.Where(j => j.Id == jurisdictionId).Select(j => j.Path).SingleOrDefaultAsync(ct);
        if (path is null || !(viewer.Is(Roles.Admin) || viewer.Supervises(path)))
            throw new NotFoundException($"No jurisdiction {jurisdictionId} of yours.");
        return path;
    }

    /// <summary>A field error unless the department, when one is named, belongs to the jurisdiction at <paramref name="path"/> or below.</summary>
    public async Task RequireDepartmentWithinAsync(int? departmentId, string path, string field, CancellationToken ct)
    {
        if (departmentId is { } id
            && !await db.Departments.AnyAsync(d => d.Id == id && db.Jurisdictions.Any(j => j.Id == d.JurisdictionId && j.Path.StartsWith(path)), ct))
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(field, "No such department in the jurisdiction.")]);
    }

    /// <summary>The jurisdiction a supervisor's page is about: the one asked for, else their own, else (an admin's) the first top-level one.</summary>
    public async Task<int> ChooseAsync(int? jurisdictionId, CancellationToken ct) =>
        jurisdictionId ?? viewer.JurisdictionId
            ?? await db.Jurisdictions.Where(j => j.ParentId == null).OrderBy(j => j.Id).Select(j => (int?)j.Id).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("No jurisdiction yet.");
}

/// <summary>The archive (newest first, by keyset) and a bulletin whole.</summary>
public sealed class ReadBulletins(TrackerDbContext db, Viewer viewer, BulletinAccess access) : IUseCase
{
    /// <summary>How many bulletins of the kind (or all) the jurisdiction has issued: the archive's total, one count on its index.</summary>
    public async Task<int> CountAsync(int? jurisdictionId, BulletinKind? kind, CancellationToken ct)
    {
        var jurisdiction = jurisdictionId ?? viewer.JurisdictionId
            ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure("jurisdictionId", "Say whose bulletins to count.")]);
        await access.RequireJurisdictionAsync(jurisdiction, ct);
        var bulletins = db.Bulletins.Where(b => b.JurisdictionId == jurisdiction);
        if (kind is { } k) bulletins = bulletins.Where(b => b.Kind == k);
        return await bulletins.CountAsync(ct);
    }

    public async Task<Paged<BulletinSummary>> ListAsync(BulletinQuery query, CancellationToken ct)
    {
        var jurisdictionId = query.JurisdictionId ?? viewer.JurisdictionId
            ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure("jurisdictionId", "Say whose bulletins to list.")]);
        await access.RequireJurisdictionAsync(jurisdictionId, ct);
        var size = Math.Clamp(query.PageSize ?? 20, 1, 100);
        var bulletins = db.Bulletins.AsNoTracking().Where(b => b.JurisdictionId == jurisdictionId);
        if (query.Kind is { } kind) bulletins = bulletins.Where(b => b.Kind == kind);
        if (query.After is { } after) bulletins = bulletins.Where(b => b.Id < after);
        var rows = await bulletins.OrderByDescending(b => b.Id).Take(size + 1)
            .Select(b => new { b.Id, b.JurisdictionId, b.Kind, b.Title, b.Year, b.Number, b.PeriodFrom, b.PeriodTo, b.IssuedOn, Withdrawn = b.WithdrawnAt != null })
            .ToListAsync(ct);
        var items = rows.Take(size).Select(b => new BulletinSummary(b.Id, b.JurisdictionId, b.Kind, b.Title, BulletinRules.NumberText(b.Year, b.Number),
            b.PeriodFrom, b.PeriodTo, b.IssuedOn, b.Withdrawn)).ToList();
        return new Paged<BulletinSummary>(items, 1, size, rows.Count > size, rows.Count > size ? items[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    public async Task<BulletinDetail> OneAsync(long id, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        var b = await db.Bulletins.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException($"No bulletin {id}.");
        await access.RequireJurisdictionAsync(b.JurisdictionId, ct);
        var name = await db.Jurisdictions.Where(j => j.Id == b.JurisdictionId).Select(j => j.Name).SingleAsync(ct);
        var published = await db.BulletinPublications.Where(p => p.BulletinId == id && p.WithdrawnAt == null).Select(p => (DateTimeOffset?)p.PublishedAt).FirstOrDefaultAsync(ct);
        return new BulletinDetail(b.Id, b.JurisdictionId, name, b.Kind, b.Title, BulletinRules.NumberText(b.Year, b.Number), b.Text,
            b.PeriodFrom, b.PeriodTo, b.IssuedOn, b.IssuedAt, b.IssuedBy, b.WithdrawnAt, b.WithdrawnBy, b.WithdrawnReason, BulletinContent.Read(b.Content), published);
    }
}

/// <summary>A supervisor issues a special bulletin: their title and text, with the jurisdiction's figures of today.</summary>
public sealed class IssueSpecialBulletin(TrackerDbContext db, Viewer viewer, OfficeClock clock, BulletinAccess access, IssueBulletin issue, BuildBulletin build,
    IValidator<SpecialBulletinInput> validator, ReadBulletins read) : IUseCase
{
    public async Task<BulletinDetail> RunAsync(SpecialBulletinInput input, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        await validator.ValidateAndThrowAsync(input, ct);
        var jurisdictionId = input.JurisdictionId!.Value;
        await access.RequireJurisdictionAsync(jurisdictionId, ct);
        var today = new BulletinPeriod(clock.Today, clock.Today, "");
        var content = await build.RunAsync(jurisdictionId, today, await issue.PreviousAsync(jurisdictionId, BulletinKind.Special, ct), ct);
        // Two supervisors issuing at once: the number is taken under the jurisdiction's lock.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM jurisdictions WHERE id = {jurisdictionId} FOR UPDATE", ct);
        var bulletin = await issue.InsertAsync(jurisdictionId, BulletinKind.Special, today, input.Title!.Trim(), input.Text!.Trim(), content, viewer.UserName, ct);
        await transaction.CommitAsync(ct);
        issue.Send(bulletin);
        return await read.OneAsync(bulletin.Id, ct);
    }
}

/// <summary>A supervisor withdraws a bulletin with a reason: it stays in the archive, marked; once withdrawn, it stays so.</summary>
public sealed class WithdrawBulletin(TrackerDbContext db, Viewer viewer, OfficeClock clock, BulletinAccess access, IValidator<WithdrawalInput> validator,
    ReadBulletins read) : IUseCase
{
    public async Task<BulletinDetail> RunAsync(long id, WithdrawalInput input, CancellationToken ct)
    {
        Require.Supervisor(viewer);
        var jurisdictionId = await db.Bulletins.Where(b => b.Id == id).Select(b => (int?)b.JurisdictionId).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"No bulletin {id}.");
        await access.RequireJurisdictionAsync(jurisdictionId, ct);
        await validator.ValidateAndThrowAsync(input, ct);
        // One statement, so that two withdrawals at once give one withdrawal and one conflict.
        var (now, by, reason) = (clock.Now, viewer.UserName, input.Reason!.Trim());
        var withdrawn = await db.Bulletins.Where(b => b.Id == id && b.WithdrawnAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(b => b.WithdrawnAt, now).SetProperty(b => b.WithdrawnBy, by).SetProperty(b => b.WithdrawnReason, reason), ct);
        if (withdrawn == 0)
            throw new DomainException(ErrorCodes.BulletinWithdrawn, "The bulletin is already withdrawn.");
        return await read.OneAsync(id, ct);
    }
}

/// <summary>Which recurring bulletins a jurisdiction issues: its supervisors switch them on or off.</summary>
public sealed class BulletinSettings(TrackerDbContext db, BulletinAccess access, IValidator<BulletinSettingsInput> validator) : IUseCase
{
    public async Task<BulletinSettingsInput> ReadAsync(int jurisdictionId, CancellationToken ct)
    {
        await access.RequireJurisdictionAsync(jurisdictionId, ct);
        var s = await db.BulletinSettings.AsNoTracking().SingleOrDefaultAsync(x => x.JurisdictionId == jurisdictionId, ct);
        return new(s?.Daily ?? false, s?.Weekly ?? false, s?.Monthly ?? false);
    }

    public async Task<BulletinSettingsInput> SetAsync(int jurisdictionId, BulletinSettingsInput input, CancellationToken ct)
    {
        await access.RequireJurisdictionAsync(jurisdictionId, ct);
        await validator.ValidateAndThrowAsync(input, ct);
        var s = await db.BulletinSettings.SingleOrDefaultAsync(x => x.JurisdictionId == jurisdictionId, ct);
        if (s is null)
            db.BulletinSettings.Add(s = new BulletinSetting { JurisdictionId = jurisdictionId });
        (s.Daily, s.Weekly, s.Monthly) = (input.Daily!.Value, input.Weekly!.Value, input.Monthly!.Value);
        await db.SaveChangesAsync(ct);
        return await ReadAsync(jurisdictionId, ct);
    }
}

/// <summary>A list of a bulletin's page: heading, anchor, the items listed and how many there are.</summary>
public sealed record BulletinList(string Heading, string Id, IReadOnlyList<BulletinItem> Items, int Total, bool ShowDaysOverdue);
