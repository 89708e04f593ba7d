using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Ledgers;
using Tracker.Web.Infrastructure;

namespace Tracker.Benchmarks;

public sealed record SheetFigure(string What, long Rows, TimeSpan Elapsed, long Bytes, MemoryPeaks Peaks);

/// <summary>
/// Ledger sheets (issue 14): the import of a 10,000-row sheet through the service's own use case (first, and again
/// when every row is unchanged), and the export of a 1,000,000-row ledger as .csv and .xlsx, next to PostgreSQL's own
/// <c>COPY (…) TO STDOUT</c> of the same rows and columns read by the client and thrown away.
/// </summary>
public sealed class SheetBenchmark(string adminConnectionString)
{
    public async Task<List<SheetFigure>> RunAsync(int importRows, int exportRows, Action<string> log, CancellationToken ct)
    {
        var connectionString = await BenchService.CreateDatabaseAsync(adminConnectionString, "bench_sheets", ct);
        await using var app = BenchService.Build(connectionString);
        await app.PrepareDatabaseAsync();
        var (itemId, departmentId, departmentName) = await SetUpAsync(app, ct);
        var figures = new List<SheetFigure>();

        var sheet = Encoding.UTF8.GetBytes(Csv(importRows, departmentName));
        foreach (var what in new[] { $"import {importRows:N0} rows (.csv, new)", $"import {importRows:N0} rows again (all unchanged)" })
        {
            var figure = await BenchService.MeasureAsync(what, importRows, sheet.Length, async () =>
            {
                await using var scope = BenchService.AsAdmin(app);
                await scope.ServiceProvider.GetRequiredService<ImportLedger>().RunAsync(itemId, new MemoryStream(sheet), ct);
                return sheet.Length;
            });
            log($"  {figure.What}: {figure.Elapsed.TotalSeconds:F2} s");
            figures.Add(figure);
        }

        var exportItem = await LoadRowsAsync(connectionString, exportRows, departmentId, ct);
        log($"  loaded {exportRows:N0} rows for the export by COPY");
        foreach (var format in new[] { SheetFormat.Csv, SheetFormat.Xlsx })
        {
            var figure = await BenchService.MeasureAsync($"export {exportRows:N0} rows as .{format.ToString().ToLowerInvariant()}", exportRows, 0, async () =>
            {
                await using var scope = BenchService.AsAdmin(app);
                var (file, _) = await scope.ServiceProvider.GetRequiredService<ExportLedger>().RunAsync(exportItem, new LedgerQuery(null, null, null, null, null, null, null), format, ct);
                await using (file)
                {
                    var length = file.Length;
                    await file.CopyToAsync(Stream.Null, ct);
                    return length;
                }
            });
            log($"  {figure.What}: {figure.Elapsed.TotalSeconds:F2} s, {figure.Bytes / 1048576.0:F0} MB");
            figures.Add(figure);
        }

        var raw = await BenchService.MeasureAsync($"COPY {exportRows:N0} rows TO STDOUT (csv)", exportRows, 0, async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            using var reader = await connection.BeginTextExportAsync($"""
                COPY (SELECT r.number, r.finding, r.place, r.category, r.severity, r.source, r.found_on, d.name, r.responsible_person, f.name,
                             r.measures, r.mode, r.deadline, r.status, r.rectified_on, r.closed_on
                      FROM ledger_rows r JOIN departments d ON d.id = r.department_id LEFT JOIN departments f ON f.id = r.found_by_department_id
                      WHERE r.initiative_id = {exportItem} ORDER BY r.id) TO STDOUT (FORMAT csv, HEADER)
                """, ct);
            var buffer = new char[1 << 16];
            long chars = 0;
            int read;
            while ((read = await reader.ReadAsync(buffer, ct)) > 0)
                chars += read;
            return chars;
        });
        log($"  {raw.What}: {raw.Elapsed.TotalSeconds:F2} s");
        figures.Add(raw);
        return figures;
    }

    private static string Csv(int rows, string department)
    {
        var csv = new StringBuilder("序号,隐患内容,地点,行业领域,隐患等级,来源,发现日期,责任单位,责任人,整改措施,整改方式,整改时限\r\n");
        for (var n = 1; n <= rows; n++)
            csv.Append($"{n},第{n}处消防通道堵塞,城东市场{n % 300}号,,{(n % 7 == 0 ? "较大" : "一般")},自查,2026-06-10,{department},王主任,清理通道,限期整改,2026-07-15\r\n");
        return csv.ToString();
    }

    /// <summary>A jurisdiction, a department and two rectification items: one to import into, one to export from.</summary>
    private static async Task<(long Item, int Department, string DepartmentName)> SetUpAsync(WebApplication app, CancellationToken ct)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        var jurisdiction = new Jurisdiction { Code = "BENCH", Name = "基准市", Level = JurisdictionLevel.City };
        db.Jurisdictions.Add(jurisdiction);
        await db.SaveChangesAsync(ct);
        var department = new Department { Code = "BENCH-YJJ", Name = "基准市应急管理局", JurisdictionId = jurisdiction.Id };
        db.Departments.Add(department);
        await db.SaveChangesAsync(ct);
        for (var n = 1; n <= 2; n++)
            db.Initiatives.Add(new Initiative
            {
                Code = $"BENCH-ZG-{n}",
                Title = "隐患整治",
                Year = 2026,
                Kind = InitiativeKind.Rectification,
                JurisdictionId = jurisdiction.Id,
                LeadDepartmentId = department.Id,
                PlannedStart = new DateOnly(2026, 6, 1),
                Deadline = new DateOnly(2026, 12, 31),
                ReportingInterval = ReportingInterval.Monthly,
                Status = InitiativeStatus.InProgress,
                Phase = Phase.Identified,
                Targets = [new Target { Metric = "销号", Unit = "处", Baseline = 0, TargetValue = 10_000, Counts = LedgerCount.ClosedRows }],
            });
        await db.SaveChangesAsync(ct);
        return (db.Initiatives.Single(i => i.Code == "BENCH-ZG-1").Id, department.Id, department.Name);
    }

    /// <summary>The export's rows, written by COPY straight into ledger_rows (not through the service: only the export is measured).</summary>
    private static async Task<long> LoadRowsAsync(string connectionString, int rows, int department, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var find = new NpgsqlCommand("SELECT id FROM initiatives WHERE code = 'BENCH-ZG-2'", connection);
        var item = (long)(await find.ExecuteScalarAsync(ct))!;
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY ledger_rows (initiative_id, number, finding, place, category, severity, source, found_on, department_id, responsible_person, measures, mode, deadline, status) FROM STDIN (FORMAT binary)", ct))
        {
            for (var n = 1; n <= rows; n++)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(item, NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(n.ToString(System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync($"第{n}处燃气管道腐蚀", NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync($"人民路{n % 500}号", NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(n % 2 == 0 ? "燃气" : "消防", NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(n % 7 == 0 ? "Major" : "General", NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync("自查", NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(new DateOnly(2026, 6, 1 + n % 20), NpgsqlDbType.Date, ct);
                await writer.WriteAsync(department, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync("张工", NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync("更换管段", NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync("ByDeadline", NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(new DateOnly(2026, 8, 1), NpgsqlDbType.Date, ct);
                await writer.WriteAsync(n % 3 == 0 ? "Closed" : "Open", NpgsqlDbType.Varchar, ct);
            }
            await writer.CompleteAsync(ct);
        }
        await using var analyze = new NpgsqlCommand("ANALYZE ledger_rows", connection);
        await analyze.ExecuteNonQueryAsync(ct);
        return item;
    }
}
