using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Ledgers;

/// <summary>The item a ledger belongs to, as the checks read it.</summary>
public sealed record LedgerItem(long Id, string Path, int JurisdictionId, int LeadDepartmentId);

/// <summary>
/// Who may do what on a ledger. Anyone who reads the item reads its ledger (404 otherwise). Rows are recorded and
/// imported by the lead department's officials, supervisors covering the item and admins. A row is moved towards
/// rectified by its responsible department's officials; it is verified (销号) or returned by a supervisor covering the
/// item, an admin, or an official of the department that found it — never by someone of the rectifying department.
/// </summary>
public sealed class LedgerAccess(TrackerDbContext db, Viewer viewer) : IUseCase
{
    public async Task<LedgerItem> ReadableAsync(long itemId, CancellationToken ct) =>
        await db.Initiatives.Where(i => i.Id == itemId).Where(viewer.CanRead())
            .Select(i => new LedgerItem(i.Id, i.JurisdictionPath, i.JurisdictionId, i.LeadDepartmentId)).SingleOrDefaultAsync(ct)
        ?? throw new NotFoundException($"No initiative {itemId}.");

    /// <summary>
    /// The item of a row the viewer may see: anyone who reads the item, and the officials of the department that rectifies
    /// the row or found it, who may not read the item otherwise (a gas company fixing a row on the safety office's item).
    /// </summary>
    public async Task<LedgerItem> RowItemAsync(LedgerRow row, CancellationToken ct)
    {
        var item = await db.Initiatives.Where(i => i.Id == row.InitiativeId)
            .Select(i => new LedgerItem(i.Id, i.JurisdictionPath, i.JurisdictionId, i.LeadDepartmentId)).SingleAsync(ct);
        var readable = viewer.SpeaksFor(row.DepartmentId) || (row.FoundByDepartmentId is { } found && viewer.SpeaksFor(found))
            || await db.Initiatives.Where(i => i.Id == row.InitiativeId).Where(viewer.CanRead()).AnyAsync(ct);
        return readable ? item : throw new NotFoundException($"No ledger row {row.Id}.");
    }

    public bool MayRecord(LedgerItem item) =>
        viewer.Is(Roles.Admin) || viewer.Supervises(item.Path) || (viewer.Is(Roles.Official) && viewer.DepartmentId == item.LeadDepartmentId);

    public async Task<LedgerItem> RequireRecorderAsync(long itemId, CancellationToken ct)
    {
        var item = await ReadableAsync(itemId, ct);
        Require.That(MayRecord(item), "The lead department's officials and the supervisors of the item record its ledger.");
        return item;
    }

    /// <summary>The steps the viewer may take on the row now.</summary>
    public IReadOnlyList<LedgerStepAction> Allowed(LedgerRow row, LedgerItem item) =>
        [.. new[] { LedgerStepAction.Started, LedgerStepAction.Rectified, LedgerStepAction.Verified, LedgerStepAction.Returned }
            .Where(a => LedgerRow.From(a).Contains(row.Status) && May(a, row, item))];

    public bool May(LedgerStepAction action, LedgerRow row, LedgerItem item) => action switch
    {
        LedgerStepAction.Started or LedgerStepAction.Rectified => viewer.SpeaksFor(row.DepartmentId),
        LedgerStepAction.Verified or LedgerStepAction.Returned => viewer.DepartmentId != row.DepartmentId
            && (viewer.Is(Roles.Admin) || viewer.Supervises(item.Path) || (row.FoundByDepartmentId is { } found && viewer.SpeaksFor(found))),
        _ => false,
    };
}

/// <summary>
/// Records a row on an item's ledger, or updates the row with the same number (an edit, or an import of the sheet again:
/// unchanged values add nothing). Checked, validated against the directory and the jurisdiction's categories, saved
/// with the item's linked targets recounted, in one transaction.
/// </summary>
public sealed class RecordLedgerRow(TrackerDbContext db, Viewer viewer, OfficeClock clock, LedgerAccess access, IValidator<LedgerRowInput> validator,
    ReadLedger read) : IUseCase
{
    public async Task<LedgerRowDetail> RunAsync(long itemId, LedgerRowInput input, CancellationToken ct)
    {
        var item = await access.RequireRecorderAsync(itemId, ct);
        await validator.ValidateAndThrowAsync(input, ct);
        var failures = await LedgerChecks.CheckAsync(db, item, [input], ct);
        if (failures.Count > 0)
            throw new ValidationException(failures.Select(f => new ValidationFailure(f.Field, f.Message)));

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var (row, _) = await UpsertAsync(db, item, [input], viewer.UserName, clock.Now, trackNew: true, ct);
        await db.SaveChangesAsync(ct);
        await LedgerTallies.ApplyAsync(db, itemId, ct);
        await transaction.CommitAsync(ct);
        return await read.RowAsync(row[0].Id, ct);
    }

    /// <summary>
    /// Adds or updates the rows by number (in the caller's transaction, not saved); returns them in input order, and the
    /// new ones. New rows are tracked for the save, or, without <paramref name="trackNew"/>, left to the caller to insert.
    /// </summary>
    internal static async Task<(List<LedgerRow> Rows, List<LedgerRow> Created)> UpsertAsync(TrackerDbContext db, LedgerItem item,
        IReadOnlyList<LedgerRowInput> inputs, string by, DateTimeOffset now, bool trackNew, CancellationToken ct)
    {
        // The item's row serializes writers of its ledger, so that two imports of the same numbers cannot both insert.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM initiatives WHERE id = {item.Id} FOR UPDATE", ct);
        var numbers = inputs.Select(i => i.Number!.Trim()).ToList();
        var existing = await db.LedgerRows.Where(r => r.InitiativeId == item.Id && numbers.Contains(r.Number)).ToDictionaryAsync(r => r.Number, ct);
        var rows = new List<LedgerRow>();
        var created = new List<LedgerRow>();
        // Thousands of rows of a sheet: the change tracker looks for changes once, at the save, not at every add.
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var input in inputs)
        {
            var number = input.Number!.Trim();
            var row = existing.GetValueOrDefault(number);
            var isNew = row is null;
            row ??= new LedgerRow { InitiativeId = item.Id, Number = number, Finding = "" };
            var before = Describe(row);
            row.Finding = input.Finding!.Trim();
            row.Place = input.Place?.Trim() ?? "";
            row.Category = input.Category?.Trim() ?? "";
            row.Severity = input.Severity!.Value;
            row.Source = input.Source?.Trim() ?? "";
            row.FoundOn = input.FoundOn!.Value;
            row.DepartmentId = input.DepartmentId!.Value;
            row.ResponsiblePerson = input.ResponsiblePerson?.Trim() ?? "";
            row.FoundByDepartmentId = input.FoundByDepartmentId;
            row.Measures = input.Measures?.Trim() ?? "";
            row.Mode = input.Mode!.Value;
            row.Deadline = input.Deadline;
            if (isNew)
            {
                row.Record(by, now);
                if (trackNew)
                    db.LedgerRows.Add(row);
                created.Add(row);
                existing[number] = row;
            }
            else if (Describe(row) != before)
            {
                row.Updated(by, now);
            }
            rows.Add(row);
        }
        db.ChangeTracker.AutoDetectChangesEnabled = detect;
        db.ChangeTracker.DetectChanges();
        return (rows, created);
    }

    private static string Describe(LedgerRow r) =>
        string.Join('\u001f', r.Finding, r.Place, r.Category, r.Severity, r.Source, r.FoundOn, r.DepartmentId, r.ResponsiblePerson,
            r.FoundByDepartmentId, r.Measures, r.Mode, r.Deadline);
}

/// <summary>
/// A step of a row: its department starts and rectifies it (with after photos), someone else verifies (销号) or returns
/// it. <c>If-Match</c> with the row's ETag makes a step on a stale view a 409; the item's linked targets follow.
/// </summary>
public sealed class StepLedgerRow(TrackerDbContext db, Viewer viewer, OfficeClock clock, LedgerAccess access, IValidator<LedgerStepInput> validator,
    ReadLedger read) : IUseCase
{
    /// <summary>404 when the row's item is not the viewer's to read; 403 when the viewer takes no step on it at all.</summary>
    public async Task<(LedgerRow Row, LedgerItem Item)> RequireStepperAsync(long rowId, CancellationToken ct)
    {
        var row = await db.LedgerRows.SingleOrDefaultAsync(r => r.Id == rowId, ct) ?? throw new NotFoundException($"No ledger row {rowId}.");
        var item = await access.RowItemAsync(row, ct);
        Require.That(viewer.SpeaksFor(row.DepartmentId) || viewer.Is(Roles.Admin) || viewer.Supervises(item.Path)
            || (row.FoundByDepartmentId is { } found && viewer.SpeaksFor(found)),
            "Only the row's department, the department that found it and the item's supervisors move a ledger row.");
        return (row, item);
    }

    public async Task<LedgerRowDetail> RunAsync(long rowId, LedgerStepInput input, List<Attachment> photos, uint? expectedVersion, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var (row, item) = await RequireStepperAsync(rowId, ct);
        await validator.ValidateAndThrowAsync(input, ct);
        var action = input.Action!.Value;
        Require.That(access.May(action, row, item), action is LedgerStepAction.Verified or LedgerStepAction.Returned
            ? "A row is verified or returned by a supervisor of the item or the department that found it, never by the department that rectified it."
            : "Only the row's responsible department rectifies it.");
        if (expectedVersion is { } expected)
            ETags.Expect(db, row, expected);

        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM initiatives WHERE id = {item.Id} FOR UPDATE", ct);
        row.Step(action, viewer.UserName, input.Note ?? "", clock.Today, clock.Now);
        // Added as a graph: photos carry their own keys, which a step found by the row's navigation would take for stored ones.
        var taken = row.Steps[^1];
        taken.Photos = photos;
        db.LedgerSteps.Add(taken);
        await db.SaveChangesAsync(ct);
        await LedgerTallies.ApplyAsync(db, item.Id, ct);
        await transaction.CommitAsync(ct);
        return await read.RowAsync(row.Id, ct);
    }
}

/// <summary>The checks a row needs beyond its own fields: departments that exist, a category of the jurisdiction's list, numbers once per sheet.</summary>
internal static class LedgerChecks
{
    public sealed record Failure(int Index, string Field, string Message);

    public static async Task<List<Failure>> CheckAsync(TrackerDbContext db, LedgerItem item, IReadOnlyList<LedgerRowInput> inputs, CancellationToken ct)
    {
        var departments = inputs.SelectMany(i => new[] { i.DepartmentId, i.FoundByDepartmentId }).OfType<int>().Distinct().ToList();
        var known = await db.Departments.Where(d => departments.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct);
        var categories = await CategoriesAsync(db, item.Path, ct);
        var failures = new List<Failure>();
        var seen = new HashSet<string>();
        for (var n = 0; n < inputs.Count; n++)
        {
            var input = inputs[n];
            if (input.DepartmentId is { } d && !known.Contains(d))
                failures.Add(new(n, nameof(LedgerRowInput.DepartmentId), "No such department."));
            if (input.FoundByDepartmentId is { } f && !known.Contains(f))
                failures.Add(new(n, nameof(LedgerRowInput.FoundByDepartmentId), "No such department."));
            if (!string.IsNullOrWhiteSpace(input.Category) && categories.Count > 0 && !categories.Contains(input.Category.Trim()))
                failures.Add(new(n, nameof(LedgerRowInput.Category), $"Not a category of this jurisdiction's list ({string.Join("、", categories)})."));
            if (input.Number is { } number && !seen.Add(number.Trim()))
                failures.Add(new(n, nameof(LedgerRowInput.Number), "The number is given twice."));
        }
        return failures;
    }

    /// <summary>The categories (行业领域) a jurisdiction's rows may use: its own list and its ancestors', in their order.</summary>
    public static async Task<List<string>> CategoriesAsync(TrackerDbContext db, string path, CancellationToken ct) =>
        // Ordered in SQL, made distinct here: a DISTINCT in SQL would drop the order (a jurisdiction's list is a few dozen names).
        [.. (await db.LedgerCategories
            .Join(db.Jurisdictions, c => c.JurisdictionId, j => j.Id, (c, j) => new { c.Name, c.Position, j.Path })
            .Where(x => path.StartsWith(x.Path))
            .OrderBy(x => x.Path.Length).ThenBy(x => x.Position).Select(x => x.Name).ToListAsync(ct)).Distinct()];
}

/// <summary>Recounts a ledger for the item's targets linked to it (closed rows; rows not closed), in the caller's transaction.</summary>
internal static class LedgerTallies
{
    public static async Task ApplyAsync(TrackerDbContext db, long itemId, CancellationToken ct)
    {
        if (!await db.Targets.AnyAsync(t => t.InitiativeId == itemId && t.Counts != LedgerCount.None, ct))
            return;
        var counts = await db.LedgerRows.Where(r => r.InitiativeId == itemId)
            .GroupBy(_ => 1).Select(g => new { Rows = g.Count(), Closed = g.Count(r => r.Status == LedgerRowStatus.Closed) }).SingleOrDefaultAsync(ct);
        var item = await db.Initiatives.Include(i => i.Targets).Include(i => i.Milestones).AsSplitQuery().SingleAsync(i => i.Id == itemId, ct);
        item.ApplyLedger(new LedgerTally(counts?.Rows ?? 0, counts?.Closed ?? 0));
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>A ledger as its readers see it: anyone who reads the item. The page: counts and a page of rows (two queries and the check); a row with its steps.</summary>
public sealed class ReadLedger(TrackerDbContext db, Viewer viewer, OfficeClock clock, LedgerAccess access) : IUseCase
{
    public async Task<LedgerPage> PageAsync(long itemId, LedgerQuery query, CancellationToken ct)
    {
        await access.ReadableAsync(itemId, ct);
        var today = clock.Today;
        var all = db.LedgerRows.AsNoTracking().Where(r => r.InitiativeId == itemId);
        var overdue = LedgerRow.OverdueOn(today);
        var byCategory = await all.GroupBy(r => new { r.Category, r.Status })
            .Select(g => new { g.Key.Category, g.Key.Status, Rows = g.Count() }).ToListAsync(ct);
        var overdueRows = await all.CountAsync(overdue, ct);
        int Count(LedgerRowStatus s) => byCategory.Where(c => c.Status == s).Sum(c => c.Rows);
        var counts = new LedgerCounts(byCategory.Sum(c => c.Rows), Count(LedgerRowStatus.Open), Count(LedgerRowStatus.Rectifying), Count(LedgerRowStatus.Rectified),
            Count(LedgerRowStatus.Closed), overdueRows,
            [.. byCategory.GroupBy(c => c.Category).OrderByDescending(g => g.Sum(c => c.Rows)).ThenBy(g => g.Key)
                .Select(g => new CategoryCount(g.Key, g.Sum(c => c.Rows), g.Where(c => c.Status == LedgerRowStatus.Closed).Sum(c => c.Rows)))]);

        var rows = all;
        if (query.Status is { } status) rows = rows.Where(r => r.Status == status);
        if (!string.IsNullOrWhiteSpace(query.Category)) rows = rows.Where(r => r.Category == query.Category.Trim());
        if (query.Severity is { } severity) rows = rows.Where(r => r.Severity == severity);
        if (query.DepartmentId is { } department) rows = rows.Where(r => r.DepartmentId == department);
        if (query.Overdue == true) rows = rows.Where(overdue);
        return new LedgerPage(itemId, counts, await KeysetPageAsync(rows, query.After, query.PageSize, today, ct));
    }

    /// <summary>
    /// The viewer's worklist across items, by id: for officials the rows their department rectifies and has not yet
    /// rectified, then those it found that await its 销号; for supervisors and admins the rows of their jurisdiction's
    /// items that await 销号 (the verifiers' queue). A page at a time, overdue rows included as they come.
    /// </summary>
    public async Task<Paged<LedgerRowDto>> WorklistAsync(long? after, int? pageSize, CancellationToken ct) =>
        await KeysetPageAsync(Worklist().AsNoTracking(), after, pageSize, clock.Today, ct);

    /// <summary>How many rows wait in the worklist: its total, one count over the same index scans as its pages.</summary>
    public Task<int> WorklistCountAsync(CancellationToken ct) => Worklist().CountAsync(ct);

    private IQueryable<LedgerRow> Worklist()
    {
        if (viewer.Is(Roles.Official) && viewer.DepartmentId is { } department)
            return db.LedgerRows.Where(r => r.DepartmentId == department).Where(LedgerRow.ToRectify)
                .Concat(db.LedgerRows.Where(r => r.FoundByDepartmentId == department && r.DepartmentId != department && r.Status == LedgerRowStatus.Rectified));
        if (viewer.Is(Roles.Supervisor) || viewer.Is(Roles.Admin))
        {
            var readable = db.Initiatives.Where(viewer.CanRead()).Select(i => i.Id);
            return db.LedgerRows.Where(r => r.Status == LedgerRowStatus.Rectified && readable.Contains(r.InitiativeId));
        }
        throw new ForbiddenException("Officials, supervisors and admins have a ledger worklist.");
    }

    /// <summary>A page of rows in id order after <paramref name="after"/>; <c>Next</c> is the last id shown when more follow.</summary>
    private async Task<Paged<LedgerRowDto>> KeysetPageAsync(IQueryable<LedgerRow> rows, long? after, int? pageSize, DateOnly today, CancellationToken ct)
    {
        if (after is { } last) rows = rows.Where(r => r.Id > last);
        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var page = await Project(rows.OrderBy(r => r.Id).Take(size + 1)).ToListAsync(ct);
        var shown = page.Take(size).Select(r => r.Dto(today)).ToList();
        var more = page.Count > size;
        return new Paged<LedgerRowDto>(shown, 1, size, more, more ? shown[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    public async Task<LedgerRowDetail> RowAsync(long rowId, CancellationToken ct)
    {
        var row = await db.LedgerRows.AsNoTracking().Include(r => r.Steps.OrderBy(s => s.At).ThenBy(s => s.Id)).ThenInclude(s => s.Photos)
            .AsSplitQuery().SingleOrDefaultAsync(r => r.Id == rowId, ct) ?? throw new NotFoundException($"No ledger row {rowId}.");
        var item = await access.RowItemAsync(row, ct);
        var shown = await Project(db.LedgerRows.AsNoTracking().Where(r => r.Id == rowId)).SingleAsync(ct);
        return new LedgerRowDetail(shown.Dto(clock.Today),
            [.. row.Steps.Select(s => new LedgerStepDto(s.Id, s.At, s.Action, s.By, s.Note, [.. s.Photos.OrderBy(p => p.FileName).Select(AttachmentDto.From)]))],
            access.Allowed(row, item));
    }

    private IQueryable<Shown> Project(IQueryable<LedgerRow> rows) => rows.Select(r => new Shown
    {
        Row = r,
        Department = db.Departments.Where(d => d.Id == r.DepartmentId).Select(d => d.Name).Single(),
        FoundBy = db.Departments.Where(d => d.Id == r.FoundByDepartmentId).Select(d => d.Name).SingleOrDefault(),
    });

    private sealed class Shown
    {
        public required LedgerRow Row { get; init; }
        public required string Department { get; init; }
        public string? FoundBy { get; init; }

        public LedgerRowDto Dto(DateOnly today)
        {
            var r = Row;
            return new LedgerRowDto(r.Id, r.InitiativeId, r.Number, r.Finding, r.Place, r.Category, r.Severity, r.Source, r.FoundOn,
                new NamedRef(r.DepartmentId, Department), r.ResponsiblePerson, r.FoundByDepartmentId is { } f ? new NamedRef(f, FoundBy ?? "") : null,
                r.Measures, r.Mode, r.Deadline, r.DueOn, r.Status, r.RectifiedOn, r.ClosedOn, r.IsOverdue(today), ETags.Format(r.Version));
        }
    }
}
