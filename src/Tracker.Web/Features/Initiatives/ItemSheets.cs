using System.Globalization;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Directory;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Initiatives;

/// <summary>What an items import did, by item (a sheet has a row per target).</summary>
public sealed record ItemImportResult(int Items, int Created, int Updated, int Unchanged);

/// <summary>
/// The items sheet: one row per target, the item's columns repeated on each of its rows or left blank under the first
/// (merged cells). The export writes the first header of each column; the import reads any; the last columns are the
/// item's record (reached value, status, health) and an import ignores them.
/// </summary>
public static class ItemColumns
{
    public static readonly SheetColumn Code = new("编号", ["项目编号", "事项编号", "代码"]);
    public static readonly SheetColumn Title = new("项目名称", ["事项名称", "实事名称", "任务名称", "工程名称", "项目", "名称"]);
    public static readonly SheetColumn Year = new("年度", ["年份"]);
    public static readonly SheetColumn Kind = new("类别", ["类型", "项目类型", "项目类别", "事项类别"]);
    public static readonly SheetColumn Jurisdiction = new("行政区划", ["地区", "所属地区", "辖区", "区县", "县区"]);
    public static readonly SheetColumn Department = new("责任单位", ["牵头单位", "主责单位", "责任部门", "牵头部门"]);
    public static readonly SheetColumn CoDepartments = new("配合单位", ["协办单位", "配合部门", "协同单位"]);
    public static readonly SheetColumn Leader = new("包联领导", ["分管领导", "责任领导", "包抓领导", "县级包联领导"]);
    public static readonly SheetColumn Person = new("责任人", ["项目负责人", "具体负责人"]);
    public static readonly SheetColumn Phone = new("联系电话", ["责任人电话", "联系方式"]);
    public static readonly SheetColumn Description = new("建设内容", ["项目内容", "主要内容", "建设内容及规模", "实施内容", "内容"]);
    public static readonly SheetColumn Budget = new("总投资（万元）", ["投资", "预算", "计划投资", "资金"]);
    public static readonly SheetColumn PlannedStart = new("开工时间", ["计划开工时间", "开始时间", "启动时间", "开工日期"], Date: true);
    public static readonly SheetColumn Deadline = new("完成时限", ["完成时间", "截止时间", "计划完成时间", "完成期限", "完成日期"], Date: true);
    public static readonly SheetColumn Interval = new("报送频次", ["报告周期", "填报频次", "调度频次"]);
    public static readonly SheetColumn Metric = new("目标任务", ["任务指标", "指标", "目标内容", "指标名称", "绩效目标"]);
    public static readonly SheetColumn Unit = new("单位", ["计量单位"]);
    public static readonly SheetColumn Baseline = new("基数", ["基期值", "起始值", "基准值"]);
    public static readonly SheetColumn Target = new("目标值", ["目标数", "任务量", "计划量", "目标数量"]);
    public static readonly SheetColumn Weight = new("权重", []);
    public static readonly SheetColumn Counts = new("台账计数", ["关联台账"]);
    public static readonly SheetColumn Reached = new("完成值", []);
    public static readonly SheetColumn Status = new("状态", []);
    public static readonly SheetColumn Phase = new("阶段", []);
    public static readonly SheetColumn Progress = new("进度（%）", []);
    public static readonly SheetColumn Colour = new("状况", []);
    public static readonly SheetColumn DaysOverdue = new("逾期天数", []);
    public static readonly SheetColumn LastReported = new("最近报送", [], Date: true);

    public static readonly IReadOnlyList<SheetColumn> All =
    [
        Code, Title, Year, Kind, Jurisdiction, Department, CoDepartments, Leader, Person, Phone, Description, Budget, PlannedStart, Deadline,
        Interval, Metric, Unit, Baseline, Target, Weight, Counts, Reached, Status, Phase, Progress, Colour, DaysOverdue, LastReported,
    ];

    public static readonly IReadOnlyList<SheetColumn> Required = [Code, Title, Deadline, Metric, Unit, Target];

    public static InitiativeKind? ParseKind(string text)
    {
        foreach (var kind in Enum.GetValues<InitiativeKind>())
            if (Labels.Of(kind) == text || kind.ToString().Equals(text, StringComparison.OrdinalIgnoreCase))
                return kind;
        return null;
    }

    public static ReportingInterval? ParseInterval(string text) => text switch
    {
        "每日" or "每天" or "日报" or "Daily" => ReportingInterval.Daily,
        "每周" or "周报" or "Weekly" => ReportingInterval.Weekly,
        "每月" or "月报" or "Monthly" => ReportingInterval.Monthly,
        _ => null,
    };

    public static string CountsText(LedgerCount c) => c switch
    {
        LedgerCount.ClosedRows => "台账销号数",
        LedgerCount.OpenRows => "台账未销号数",
        _ => "",
    };

    public static LedgerCount? ParseCounts(string text) => text switch
    {
        "台账销号数" or "已销号" or "销号数" => LedgerCount.ClosedRows,
        "台账未销号数" or "未销号" or "未销号数" => LedgerCount.OpenRows,
        "无" or "否" or "不关联" => LedgerCount.None,
        _ => null,
    };

    /// <summary>A number as offices type it: "1000", "1,000", "12.5".</summary>
    public static decimal? ParseNumber(string text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : null;
}

/// <summary>
/// Imports items with their targets from an .xlsx or .csv sheet, all or nothing, for the importing official's department
/// (as <see cref="CreateItem"/> and <see cref="EditItem"/>: an official creates and edits the items their department
/// leads). Items are matched by code in their jurisdiction and year: a matched item is updated, or left alone when the
/// sheet says what it already holds (an export imported again changes nothing, whoever's items it lists); a blank cell
/// keeps what a matched item has. Each item is validated as the item form validates it, and a fixed plan refuses the
/// same moves; every error is listed by row, column and reason, and one error writes nothing.
/// </summary>
public sealed class ImportItems(TrackerDbContext db, Viewer viewer, OfficeClock clock, HealthPolicy policy, IValidator<InitiativeInput> validator) : IUseCase
{
    private const string Refusal = "Only an official imports items: those their department leads.";

    public void RequireImporter() => Require.That(viewer.Is(Roles.Official) && viewer.DepartmentId is not null, Refusal);

    /// <summary>An item's rows in the sheet, in order; the first carries its cells.</summary>
    private sealed class ItemRows(string code)
    {
        public string Code { get; } = code;
        public List<SheetRow> Rows { get; } = [];
        public List<(SheetRow Row, TargetInput Target)> Targets { get; } = [];
    }

    public async Task<ItemImportResult> RunAsync(Stream sheet, CancellationToken ct)
    {
        RequireImporter();
        var rows = await Sheets.ReadForImportAsync(sheet, ItemColumns.All, ItemColumns.Required, ct);

        var departmentId = viewer.DepartmentId!.Value;
        var home = await db.Departments.Where(d => d.Id == departmentId).Select(d => new { d.JurisdictionId, d.Jurisdiction!.Path }).SingleAsync(ct);
        var departments = await DepartmentNames.NearAsync(db, home.Path, ct);
        var jurisdictions = (await db.Jurisdictions.Where(j => j.Path.StartsWith(home.Path)).Select(j => new { j.Id, j.Name }).ToListAsync(ct))
            .ToLookup(j => j.Name, j => j.Id);
        var failures = new List<ValidationFailure>();

        var groups = Group(rows, failures);
        var cellsOf = groups.ToDictionary(g => g, g => new ItemCells(g.Rows, failures));
        var keys = new Dictionary<ItemRows, (int Jurisdiction, int Year)>();
        foreach (var group in groups)
        {
            var cells = cellsOf[group];
            var deadline = cells.Date(ItemColumns.Deadline);
            var yearCell = cells.Number(ItemColumns.Year);
            if (yearCell is { } y && (y != decimal.Truncate(y) || y is < 2000 or > 2100))
            {
                cells.Fail(ItemColumns.Year, $"'{y}' is not a year between 2000 and 2100.");
                continue;
            }
            var year = yearCell is { } whole ? (int)whole : deadline?.Year;
            var jurisdictionName = cells[ItemColumns.Jurisdiction];
            int? jurisdiction = home.JurisdictionId;
            if (jurisdictionName.Length > 0)
            {
                var ids = jurisdictions[jurisdictionName].ToList();
                jurisdiction = ids.Count == 1 ? ids[0] : null;
                if (ids.Count != 1)
                    cells.Fail(ItemColumns.Jurisdiction, ids.Count == 0 ? $"No jurisdiction named {jurisdictionName} in your department's reach." : $"More than one jurisdiction is named {jurisdictionName}.");
            }
            if (year is { } known && jurisdiction is { } place)
                keys[group] = (place, known);
        }

        var codes = groups.Select(g => g.Code).ToList();
        var candidates = await db.Initiatives.Include(i => i.Targets).Include(i => i.Milestones).Include(i => i.CoDepartments).AsSplitQuery()
            .Where(i => codes.Contains(i.Code) && i.JurisdictionPath.StartsWith(home.Path)).ToListAsync(ct);
        var existing = candidates.ToDictionary(i => (i.JurisdictionId, i.Year, i.Code));

        var now = clock.Now;
        var (created, updated, unchanged) = (new List<Initiative>(), new List<Initiative>(), 0);
        foreach (var group in groups)
        {
            var cells = cellsOf[group];
            if (!keys.TryGetValue(group, out var key))
            {
                if (cells.Date(ItemColumns.Deadline, report: false) is null && cells.Number(ItemColumns.Year, report: false) is null)
                    cells.Fail(ItemColumns.Deadline, "An item needs its deadline (完成时限).");
                continue;
            }
            var item = existing.GetValueOrDefault((key.Jurisdiction, key.Year, group.Code));
            // The sheet has no columns for the item's place in a tree: an import keeps it.
            var input = Input(group, cells, item, key, departments, departmentId) is { } read
                ? item is null ? read : read with { ParentId = item.ParentId, Weight = item.Weight }
                : null;
            if (input is null)
                continue;
            if (item is not null && !ItemInput.Differs(item, input))
            {
                unchanged++;
                continue;
            }
            var mayWrite = item is null
                ? input.LeadDepartmentId == departmentId
                : viewer.CanEdit(item) && (input.LeadDepartmentId == item.LeadDepartmentId || input.LeadDepartmentId == departmentId);
            if (!mayWrite)
            {
                cells.Fail(ItemColumns.Department, item is null
                    ? "An official imports new items for their own department only."
                    : "This item is another department's: an official changes only the items their department leads.");
                continue;
            }
            var before = failures.Count;
            foreach (var error in (await validator.ValidateAsync(input, ct)).Errors)
                failures.Add(Failure(group, error.PropertyName, error.ErrorMessage));
            if (item is not null)
                failures.AddRange(EditItem.PlanMoves(item, input).Select(f => Failure(group, f.PropertyName, f.ErrorMessage)));
            if (failures.Count > before)
                continue;
            try
            {
                if (item is null)
                {
                    var initiative = new Initiative { Code = "", Title = "", Status = InitiativeStatus.Planned, CreatedAt = now };
                    ItemInput.Apply(input, initiative, now);
                    created.Add(initiative);
                }
                else
                {
                    ItemInput.Apply(input, item, now);
                    updated.Add(item);
                }
            }
            catch (DomainException e)
            {
                cells.Fail(ItemColumns.Metric, e.Message);
            }
        }
        if (failures.Count > 0)
            throw new ValidationException(failures);

        var health = new HealthContext(clock.Today, policy);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Initiatives.AddRange(created);
        await db.SaveChangesAsync(ct);
        foreach (var item in updated)
            await ReminderResolution.ResolveClearedAsync(db, item, HealthRules.Evaluate(item, health), now, ct);
        await transaction.CommitAsync(ct);
        return new ItemImportResult(groups.Count, created.Count, updated.Count, unchanged);
    }

    /// <summary>Rows by item: by code, and a row with neither code nor name continues the item above (a merged cell).</summary>
    private static List<ItemRows> Group(List<SheetRow> rows, List<ValidationFailure> failures)
    {
        var groups = new List<ItemRows>();
        var byCode = new Dictionary<string, ItemRows>();
        ItemRows? current = null;
        foreach (var row in rows)
        {
            var code = row[ItemColumns.Code];
            if (code.Length == 0)
            {
                if (row[ItemColumns.Title].Length == 0 && current is not null)
                    current.Rows.Add(row);
                else
                    failures.Add(Failure(row, ItemColumns.Code, "Every item needs its code (编号); a row with neither code nor name continues the item above."));
                continue;
            }
            if (!byCode.TryGetValue(code, out current))
            {
                byCode[code] = current = new ItemRows(code);
                groups.Add(current);
            }
            current.Rows.Add(row);
        }
        return groups;
    }

    /// <summary>The item the sheet describes, a blank cell keeping what the matched item has; null when a cell could not be read.</summary>
    private static InitiativeInput? Input(ItemRows group, ItemCells cells, Initiative? item, (int Jurisdiction, int Year) key,
        Dictionary<string, List<int>> departments, int ownDepartment)
    {
        int? Department(string name)
        {
            if (departments.TryGetValue(name, out var ids) && ids.Count == 1)
                return ids[0];
            cells.Fail(ItemColumns.Department, ids is { Count: > 1 } ? $"More than one department is named {name}." : $"No department named {name} in reach.");
            return null;
        }
        var leadName = cells[ItemColumns.Department];
        var lead = leadName.Length > 0 ? Department(leadName) : item?.LeadDepartmentId ?? ownDepartment;
        var coNames = cells[ItemColumns.CoDepartments];
        var co = coNames.Length > 0
            ? coNames.Split(['、', ',', '，', ';', '；', '/'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Department).ToArray()
            : item?.CoDepartments.Select(c => (int?)c.DepartmentId).ToArray() ?? [];
        var kindText = cells[ItemColumns.Kind];
        var kind = kindText.Length > 0 ? ItemColumns.ParseKind(kindText) : item?.Kind;
        if (kindText.Length > 0 && kind is null)
            cells.Fail(ItemColumns.Kind, $"'{kindText}' is not one of {string.Join("、", Enum.GetValues<InitiativeKind>().Select(Labels.Of))}.");
        else if (kind is null)
            cells.Fail(ItemColumns.Kind, "A new item needs its kind (类别).");
        var intervalText = cells[ItemColumns.Interval];
        var interval = intervalText.Length > 0 ? ItemColumns.ParseInterval(intervalText) : item?.ReportingInterval ?? ReportingInterval.Monthly;
        if (interval is null)
            cells.Fail(ItemColumns.Interval, $"'{intervalText}' is not 每日, 每周 or 每月.");
        var start = cells.Date(ItemColumns.PlannedStart) ?? item?.PlannedStart;
        if (start is null && !cells.Failed(ItemColumns.PlannedStart))
            cells.Fail(ItemColumns.PlannedStart, "A new item needs its planned start (开工时间).");

        foreach (var row in group.Rows.Where(r => r[ItemColumns.Metric].Length > 0))
        {
            var metric = row[ItemColumns.Metric];
            var kept = item?.Targets.FirstOrDefault(t => t.Metric == metric);
            var target = new RowCells(row, cells.Add);
            var counts = target.Parse(ItemColumns.Counts, ItemColumns.ParseCounts, "is not 台账销号数 or 台账未销号数");
            group.Targets.Add((row, new TargetInput(kept?.Id, metric, Blank(row[ItemColumns.Unit]) ?? kept?.Unit,
                target.Number(ItemColumns.Baseline) ?? kept?.Baseline ?? 0, target.Number(ItemColumns.Target) ?? kept?.TargetValue,
                target.Number(ItemColumns.Weight) ?? kept?.Weight ?? 1, counts ?? kept?.Counts ?? LedgerCount.None)));
        }
        if (cells.Errors.Count > 0 || lead is null || co.Any(c => c is null))
            return null;

        var leader = item?.LeaderInCharge;
        var person = item?.ResponsiblePerson;
        return new InitiativeInput(
            group.Code,
            Blank(cells[ItemColumns.Title]) ?? item?.Title,
            Blank(cells[ItemColumns.Description]) ?? item?.Description,
            key.Year,
            kind,
            key.Jurisdiction,
            lead,
            [.. co.OfType<int>()],
            new ContactDto(Blank(cells[ItemColumns.Leader]) ?? leader?.Name, leader?.Title, leader?.Phone, leader?.Email),
            new ContactDto(Blank(cells[ItemColumns.Person]) ?? person?.Name, person?.Title, Blank(cells[ItemColumns.Phone]) ?? person?.Phone, person?.Email),
            cells.Number(ItemColumns.Budget) ?? item?.Budget,
            start,
            cells.Date(ItemColumns.Deadline) ?? item?.Deadline,
            interval,
            item?.Phase,
            [.. group.Targets.Select(t => t.Target)],
            item?.Milestones.Select(m => new MilestoneInput(m.Id, m.Name, m.PlannedOn, m.AchievedOn)).ToArray());
    }

    private static string? Blank(string text) => text.Length == 0 ? null : text;

    private static ValidationFailure Failure(SheetRow row, SheetColumn column, string message) => new($"row {row.Number}: {column.Header}", message);

    /// <summary>A validation error on the item, at the row and column it came from: a target's error at that target's row.</summary>
    private static ValidationFailure Failure(ItemRows group, string property, string message)
    {
        var row = group.Rows[0];
        if (property.StartsWith("Targets[", StringComparison.Ordinal) && int.TryParse(property[8..property.IndexOf(']')], out var n) && n < group.Targets.Count)
            row = group.Targets[n].Row;
        return Failure(row, ColumnOf(property), message);
    }

    private static SheetColumn ColumnOf(string property) => property switch
    {
        nameof(InitiativeInput.Title) => ItemColumns.Title,
        nameof(InitiativeInput.Description) => ItemColumns.Description,
        nameof(InitiativeInput.Year) => ItemColumns.Year,
        nameof(InitiativeInput.Kind) => ItemColumns.Kind,
        nameof(InitiativeInput.JurisdictionId) => ItemColumns.Jurisdiction,
        nameof(InitiativeInput.LeadDepartmentId) => ItemColumns.Department,
        nameof(InitiativeInput.CoDepartmentIds) => ItemColumns.CoDepartments,
        nameof(InitiativeInput.Budget) => ItemColumns.Budget,
        nameof(InitiativeInput.PlannedStart) => ItemColumns.PlannedStart,
        nameof(InitiativeInput.Deadline) => ItemColumns.Deadline,
        nameof(InitiativeInput.ReportingInterval) => ItemColumns.Interval,
        "ResponsiblePerson.Phone" => ItemColumns.Phone,
        _ when property.StartsWith(nameof(InitiativeInput.ResponsiblePerson), StringComparison.Ordinal) => ItemColumns.Person,
        _ when property.StartsWith(nameof(InitiativeInput.LeaderInCharge), StringComparison.Ordinal) => ItemColumns.Leader,
        _ when property.EndsWith(".Unit", StringComparison.Ordinal) => ItemColumns.Unit,
        _ when property.EndsWith(".Baseline", StringComparison.Ordinal) => ItemColumns.Baseline,
        _ when property.EndsWith(".Weight", StringComparison.Ordinal) => ItemColumns.Weight,
        _ when property.EndsWith(".Counts", StringComparison.Ordinal) => ItemColumns.Counts,
        _ when property.EndsWith(".Metric", StringComparison.Ordinal) => ItemColumns.Metric,
        _ when property.StartsWith(nameof(InitiativeInput.Targets), StringComparison.Ordinal) => ItemColumns.Target,
        _ => ItemColumns.Code,
    };

    /// <summary>The cells of one row, read as numbers, dates or choices; a cell that does not read is an error at its row and column.</summary>
    private sealed class RowCells(SheetRow row, Action<ValidationFailure> add)
    {
        public void Fail(SheetColumn column, string message) => add(ImportItems.Failure(row, column, message));

        public decimal? Number(SheetColumn column)
        {
            var text = row[column];
            var number = text.Length == 0 ? null : ItemColumns.ParseNumber(text);
            if (text.Length > 0 && number is null)
                Fail(column, $"'{text}' is not a number.");
            return number;
        }

        public T? Parse<T>(SheetColumn column, Func<string, T?> parse, string refusal) where T : struct
        {
            var text = row[column];
            var value = text.Length == 0 ? null : parse(text);
            if (text.Length > 0 && value is null)
                Fail(column, $"'{text}' {refusal}.");
            return value;
        }
    }

    /// <summary>
    /// An item's own cells across its rows: the first filled one counts, and a later row that says otherwise is an error
    /// (two rows of one code describing two different items).
    /// </summary>
    private sealed class ItemCells(List<SheetRow> rows, List<ValidationFailure> failures)
    {
        private readonly List<ValidationFailure> _errors = [];
        private readonly HashSet<SheetColumn> _failed = [];

        /// <summary>This item's errors so far; each is also added to the import's.</summary>
        public List<ValidationFailure> Errors => _errors;

        public bool Failed(SheetColumn column) => _failed.Contains(column);

        public void Fail(SheetColumn column, string message) => Fail(rows[0], column, message);

        private void Fail(SheetRow row, SheetColumn column, string message)
        {
            if (_failed.Add(column))
                Add(ImportItems.Failure(row, column, message));
        }

        public void Add(ValidationFailure failure)
        {
            _errors.Add(failure);
            failures.Add(failure);
        }

        public string this[SheetColumn column]
        {
            get
            {
                var first = rows.FirstOrDefault(r => r[column].Length > 0);
                if (first is null)
                    return "";
                if (rows.FirstOrDefault(r => r[column].Length > 0 && r[column] != first[column]) is { } other)
                    Fail(other, column, $"'{other[column]}' differs from row {first.Number}, where this item says '{first[column]}'.");
                return first[column];
            }
        }

        public decimal? Number(SheetColumn column, bool report = true)
        {
            var text = this[column];
            var number = text.Length == 0 ? null : ItemColumns.ParseNumber(text);
            if (report && text.Length > 0 && number is null)
                Fail(column, $"'{text}' is not a number.");
            return number;
        }

        public DateOnly? Date(SheetColumn column, bool report = true)
        {
            var text = this[column];
            var date = text.Length == 0 ? null : Ledgers.LedgerColumns.ParseDate(text);
            if (report && text.Length > 0 && date is null)
                Fail(column, $"'{text}' is not a date (2026-06-30).");
            return date;
        }
    }
}

/// <summary>
/// The items list with its filters as a sheet, a row per target with the item's columns on each (what <see cref="ImportItems"/>
/// reads back unchanged), then the item's record. Read a page of 100 items at a time by keyset, as the list is, with one
/// more query for the page's targets and names, and written to a temporary file: memory stays flat however many items.
/// </summary>
public sealed class ExportItems([FromKeyedServices(ReplicaReads.Key)] TrackerDbContext db, Viewer viewer, KeptHealth kept, OfficeClock clock) : IUseCase
{
    public async Task<(Stream File, string Name)> RunAsync(InitiativeQuery query, SheetFormat format, CancellationToken ct)
    {
        var file = await Sheets.WriteAsync(format, ItemColumns.All, Rows(query, ct), ct);
        return (file, $"事项-{clock.Today:yyyyMMdd}.{Sheets.Extension(format)}");
    }

    private async IAsyncEnumerable<object?[]> Rows(InitiativeQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? after = null;
        do
        {
            var page = (await InitiativesApi.List(query with { Sort = null, Page = null, PageSize = InitiativeQuery.MaxPageSize, After = after }, viewer, db, kept, clock, ct)).Value!;
            var ids = page.Items.Select(i => i.Id).ToList();
            var details = await db.Initiatives.Where(i => ids.Contains(i.Id)).Select(i => new
            {
                i.Id,
                i.Description,
                Leader = i.LeaderInCharge.Name,
                Person = i.ResponsiblePerson.Name,
                i.ResponsiblePerson.Phone,
                i.Budget,
                i.ReportingInterval,
                Co = i.CoDepartments.OrderBy(c => c.DepartmentId).Select(c => db.Departments.Where(d => d.Id == c.DepartmentId).Select(d => d.Name).First()).ToList(),
                Targets = i.Targets.OrderBy(t => t.Id).Select(t => new { t.Metric, t.Unit, t.Baseline, t.TargetValue, t.Weight, t.Counts, t.CurrentValue }).ToList(),
            }).AsSplitQuery().ToDictionaryAsync(i => i.Id, ct);
            foreach (var i in page.Items)
            {
                var d = details[i.Id];
                foreach (var t in d.Targets)
                    yield return
                    [
                        i.Code, i.Title, i.Year, Labels.Of(i.Kind), i.Jurisdiction.Name, i.LeadDepartment.Name, string.Join("、", d.Co), d.Leader, d.Person,
                        d.Phone, d.Description, d.Budget, i.PlannedStart, i.Deadline, Labels.Of(d.ReportingInterval),
                        t.Metric, t.Unit, t.Baseline, t.TargetValue, t.Weight, ItemColumns.CountsText(t.Counts), t.CurrentValue,
                        Labels.Of(i.Status), Labels.Of(i.Phase), Labels.Percent(i.Health.Progress), Labels.Of(i.Health.Colour), i.Health.DaysOverdue,
                        i.LastReportedAt is { } at ? clock.DayOf(at) : null,
                    ];
            }
            after = page.Next;
        }
        while (after is not null);
    }
}
