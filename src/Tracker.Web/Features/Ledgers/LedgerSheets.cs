using System.Globalization;
using System.Runtime.CompilerServices;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Directory;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Ledgers;

/// <summary>What an import did: rows added, rows updated by their number, rows the sheet left as they were.</summary>
public sealed record LedgerImportResult(int Rows, int Created, int Updated, int Unchanged);

/// <summary>The ledger sheet's columns, with the headers offices use for them; the export writes the first, the import reads any.</summary>
public static class LedgerColumns
{
    public static readonly SheetColumn Number = new("序号", ["编号", "隐患编号", "问题编号"]);
    public static readonly SheetColumn Finding = new("隐患/问题内容", ["隐患内容", "问题内容", "隐患描述", "问题描述", "存在问题", "隐患问题", "问题"]);
    public static readonly SheetColumn Place = new("地点", ["位置", "隐患地点", "所在位置", "单位", "场所", "路段", "点位"]);
    public static readonly SheetColumn Category = new("行业领域", ["类别", "行业", "领域", "隐患类别"]);
    public static readonly SheetColumn Severity = new("隐患等级", ["等级", "严重程度", "级别"]);
    public static readonly SheetColumn Source = new("来源", ["问题来源", "发现方式", "隐患来源"]);
    public static readonly SheetColumn FoundOn = new("发现日期", ["发现时间", "排查日期", "检查日期"], Date: true);
    public static readonly SheetColumn Department = new("责任单位", ["责任部门", "整改单位", "整改责任单位"]);
    public static readonly SheetColumn Person = new("责任人", ["整改责任人"]);
    public static readonly SheetColumn FoundBy = new("发现单位", ["检查单位", "交办单位"]);
    public static readonly SheetColumn Measures = new("整改措施", ["措施", "整改情况"]);
    public static readonly SheetColumn Mode = new("整改方式", ["整改类型", "整改要求"]);
    public static readonly SheetColumn Deadline = new("整改时限", ["整改期限", "完成时限", "整改完成时限"], Date: true);
    public static readonly SheetColumn Status = new("状态", ["整改状态", "销号情况"]);
    public static readonly SheetColumn RectifiedOn = new("整改完成日期", [], Date: true);
    public static readonly SheetColumn ClosedOn = new("销号日期", [], Date: true);

    /// <summary>Every column in the export's order; the last three are the ledger's own record and an import ignores them.</summary>
    public static readonly IReadOnlyList<SheetColumn> All =
        [Number, Finding, Place, Category, Severity, Source, FoundOn, Department, Person, FoundBy, Measures, Mode, Deadline, Status, RectifiedOn, ClosedOn];

    public static readonly IReadOnlyList<SheetColumn> Required = [Number, Finding, Severity, FoundOn, Department, Mode];

    public static string SeverityText(LedgerSeverity s) => s switch { LedgerSeverity.Major => "较大", LedgerSeverity.Serious => "重大", _ => "一般" };

    public static string ModeText(RectificationMode m) => m == RectificationMode.OnTheSpot ? "立行立改" : "限期整改";

    public static string StatusText(LedgerRowStatus s) => s switch
    {
        LedgerRowStatus.Rectifying => "整改中",
        LedgerRowStatus.Rectified => "已整改待销号",
        LedgerRowStatus.Closed => "已销号",
        _ => "未整改",
    };

    public static LedgerSeverity? ParseSeverity(string text) => text switch
    {
        "一般" or "一般隐患" or "低" => LedgerSeverity.General,
        "较大" or "较大隐患" or "中" => LedgerSeverity.Major,
        "重大" or "重大隐患" or "高" => LedgerSeverity.Serious,
        _ => Enum.TryParse<LedgerSeverity>(text, true, out var s) && Enum.IsDefined(s) ? s : null,
    };

    public static RectificationMode? ParseMode(string text) => text switch
    {
        "立行立改" or "立即整改" or "当场整改" => RectificationMode.OnTheSpot,
        "限期整改" or "限期" => RectificationMode.ByDeadline,
        _ => Enum.TryParse<RectificationMode>(text, true, out var m) && Enum.IsDefined(m) ? m : null,
    };

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyy年M月d日", "yyyyMMdd", "yyyy-MM-dd HH:mm"];

    public static DateOnly? ParseDate(string text)
    {
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return DateOnly.FromDateTime(date);
        // A date Excel kept as its serial number (a cell formatted as text or general).
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 36526 and < 73051
            ? DateOnly.FromDateTime(DateTime.FromOADate(serial))
            : null;
    }
}

/// <summary>
/// Imports ledger rows from an .xlsx or .csv sheet: all or nothing. Every row is read, validated like a recorded row and
/// checked against the directory; one bad cell and nothing is written, and the answer lists every error by row, column
/// and reason. Rows are matched by number: a sheet imported again updates what changed and creates nothing twice.
/// </summary>
public sealed class ImportLedger(TrackerDbContext db, Viewer viewer, OfficeClock clock, LedgerAccess access, IValidator<LedgerRowInput> validator) : IUseCase
{
    public Task<LedgerItem> RequireImporterAsync(long itemId, CancellationToken ct) => access.RequireRecorderAsync(itemId, ct);

    public async Task<LedgerImportResult> RunAsync(long itemId, Stream sheet, CancellationToken ct)
    {
        var item = await access.RequireRecorderAsync(itemId, ct);
        var rows = await Sheets.ReadForImportAsync(sheet, LedgerColumns.All, LedgerColumns.Required, ct);

        var departments = await DepartmentNames.NearAsync(db, item.Path, ct);
        var failures = new List<ValidationFailure>();
        var inputs = new List<LedgerRowInput>();
        foreach (var row in rows)
        {
            var cellErrors = new List<(SheetColumn Column, string Message)>();
            DateOnly? Date(SheetColumn column)
            {
                var text = row[column];
                if (text.Length == 0) return null;
                var date = LedgerColumns.ParseDate(text);
                if (date is null) cellErrors.Add((column, $"'{text}' is not a date (2026-06-30)."));
                return date;
            }
            int? Department(SheetColumn column)
            {
                var name = row[column];
                if (name.Length == 0) return null;
                if (departments.TryGetValue(name, out var ids) && ids.Count == 1) return ids[0];
                cellErrors.Add((column, ids is { Count: > 1 } ? $"More than one department is named {name}." : $"No department named {name} in reach of this item."));
                return null;
            }
            var severityText = row[LedgerColumns.Severity];
            var severity = severityText.Length == 0 ? null : LedgerColumns.ParseSeverity(severityText);
            if (severityText.Length > 0 && severity is null) cellErrors.Add((LedgerColumns.Severity, $"'{severityText}' is not 一般, 较大 or 重大."));
            var modeText = row[LedgerColumns.Mode];
            var mode = modeText.Length == 0 ? null : LedgerColumns.ParseMode(modeText);
            if (modeText.Length > 0 && mode is null) cellErrors.Add((LedgerColumns.Mode, $"'{modeText}' is not 立行立改 or 限期整改."));

            var input = new LedgerRowInput(row[LedgerColumns.Number], row[LedgerColumns.Finding], row[LedgerColumns.Place], Blank(row[LedgerColumns.Category]),
                severity, row[LedgerColumns.Source], Date(LedgerColumns.FoundOn), Department(LedgerColumns.Department), row[LedgerColumns.Person],
                Department(LedgerColumns.FoundBy), row[LedgerColumns.Measures], mode, Date(LedgerColumns.Deadline));
            inputs.Add(input);

            failures.AddRange(cellErrors.Select(e => Failure(row, e.Column, e.Message)));
            var erred = cellErrors.Select(e => e.Column).ToHashSet();
            foreach (var error in (await validator.ValidateAsync(input, ct)).Errors)
                if (ColumnOf(error.PropertyName) is { } column && !erred.Contains(column))
                    failures.Add(Failure(row, column, error.ErrorMessage));
        }
        foreach (var check in await LedgerChecks.CheckAsync(db, item, inputs, ct))
            failures.Add(Failure(rows[check.Index], ColumnOf(check.Field) ?? LedgerColumns.Number, check.Message));
        if (failures.Count > 0)
            throw Refused(failures);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var (saved, created) = await RecordLedgerRow.UpsertAsync(db, item, inputs, viewer.UserName, clock.Now, trackNew: false, ct);
        var updated = db.ChangeTracker.Entries<LedgerRow>().Count(e => e.State == EntityState.Modified);
        // Rows the sheet leaves as they are need no tracking: every save looks each tracked entity over several times.
        foreach (var entry in db.ChangeTracker.Entries<LedgerRow>().Where(e => e.State == EntityState.Unchanged).ToList())
            entry.State = EntityState.Detached;
        await db.SaveChangesAsync(ct);
        // New rows, their first steps and their audit entries by COPY: EF's insert per row was most of a large sheet's time.
        await db.InsertByCopyAsync(created, assignKeys: true, ct);
        foreach (var row in created)
            row.Steps.ForEach(s => s.RowId = row.Id);
        await db.InsertByCopyAsync([.. created.SelectMany(r => r.Steps)], assignKeys: false, ct);
        db.ChangeTracker.Clear();
        await LedgerTallies.ApplyAsync(db, itemId, ct);
        await transaction.CommitAsync(ct);
        return new LedgerImportResult(saved.Count, created.Count, updated, saved.Count - created.Count - updated);
    }

    private static string? Blank(string text) => text.Length == 0 ? null : text;

    private static ValidationFailure Failure(SheetRow row, SheetColumn column, string message) => new($"row {row.Number}: {column.Header}", message);

    private static ValidationException Refused(IEnumerable<ValidationFailure> failures) => new(failures);

    private static SheetColumn? ColumnOf(string property) => property switch
    {
        nameof(LedgerRowInput.Number) => LedgerColumns.Number,
        nameof(LedgerRowInput.Finding) => LedgerColumns.Finding,
        nameof(LedgerRowInput.Place) => LedgerColumns.Place,
        nameof(LedgerRowInput.Category) => LedgerColumns.Category,
        nameof(LedgerRowInput.Severity) => LedgerColumns.Severity,
        nameof(LedgerRowInput.Source) => LedgerColumns.Source,
        nameof(LedgerRowInput.FoundOn) => LedgerColumns.FoundOn,
        nameof(LedgerRowInput.DepartmentId) => LedgerColumns.Department,
        nameof(LedgerRowInput.ResponsiblePerson) => LedgerColumns.Person,
        nameof(LedgerRowInput.FoundByDepartmentId) => LedgerColumns.FoundBy,
        nameof(LedgerRowInput.Measures) => LedgerColumns.Measures,
        nameof(LedgerRowInput.Mode) => LedgerColumns.Mode,
        nameof(LedgerRowInput.Deadline) => LedgerColumns.Deadline,
        _ => null,
    };
}

/// <summary>
/// A ledger as a sheet, with the ledger page's filters, streamed from the database to a temporary file: memory stays
/// flat. The rows are read by a plain data reader: EF buffers a whole result set under a retrying execution strategy.
/// </summary>
public sealed class ExportLedger(TrackerDbContext db, OfficeClock clock, LedgerAccess access) : IUseCase
{
    public async Task<(Stream File, string Name)> RunAsync(long itemId, LedgerQuery query, SheetFormat format, CancellationToken ct)
    {
        await access.ReadableAsync(itemId, ct);
        var code = await db.Initiatives.Where(i => i.Id == itemId).Select(i => i.Code).SingleAsync(ct);
        var today = clock.Today;
        var file = await Sheets.WriteAsync(format, LedgerColumns.All, Rows(itemId, query, today, ct), ct);
        return (file, $"{code}-台账-{today:yyyyMMdd}.{Sheets.Extension(format)}");
    }

    private async IAsyncEnumerable<object?[]> Rows(long itemId, LedgerQuery query, DateOnly today, [EnumeratorCancellation] CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand("""
                SELECT r.number, r.finding, r.place, r.category, r.severity, r.source, r.found_on, d.name, r.responsible_person, f.name,
                       r.measures, r.mode, r.deadline, r.status, r.rectified_on, r.closed_on
                FROM ledger_rows r
                JOIN departments d ON d.id = r.department_id
                LEFT JOIN departments f ON f.id = r.found_by_department_id
                WHERE r.initiative_id = @item
                  AND (@status::text IS NULL OR r.status = @status)
                  AND (@category::text IS NULL OR r.category = @category)
                  AND (@severity::text IS NULL OR r.severity = @severity)
                  AND (@department::int IS NULL OR r.department_id = @department)
                  -- LedgerRow.OverdueOn in SQL:
                  AND (NOT @overdue OR (r.status IN ('Open', 'Rectifying') AND coalesce(r.deadline, r.found_on) < @today))
                ORDER BY r.id
                """, connection);
            command.Parameters.AddWithValue("item", itemId);
            command.Parameters.AddWithValue("status", (object?)query.Status?.ToString() ?? DBNull.Value);
            command.Parameters.AddWithValue("category", string.IsNullOrWhiteSpace(query.Category) ? DBNull.Value : query.Category.Trim());
            command.Parameters.AddWithValue("severity", (object?)query.Severity?.ToString() ?? DBNull.Value);
            command.Parameters.AddWithValue("department", (object?)query.DepartmentId ?? DBNull.Value);
            command.Parameters.AddWithValue("overdue", query.Overdue == true);
            command.Parameters.AddWithValue("today", today);
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
            while (await reader.ReadAsync(ct))
            {
                DateOnly? Date(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateOnly>(i);
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                yield return
                [
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    LedgerColumns.SeverityText(Enum.Parse<LedgerSeverity>(reader.GetString(4))), reader.GetString(5), reader.GetFieldValue<DateOnly>(6),
                    reader.GetString(7), reader.GetString(8), Text(9), reader.GetString(10),
                    LedgerColumns.ModeText(Enum.Parse<RectificationMode>(reader.GetString(11))), Date(12),
                    LedgerColumns.StatusText(Enum.Parse<LedgerRowStatus>(reader.GetString(13))), Date(14), Date(15),
                ];
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
