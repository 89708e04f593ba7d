using Npgsql;
using NpgsqlTypes;
using Tracker.Domain;

namespace Tracker.Benchmarks;

/// <summary>What the generator wrote, by the condition each item was drawn for (an item may show several).</summary>
public sealed record GeneratedData(int Jurisdictions, int Departments, int Initiatives, int Active, int Overdue, int DueSoon);

/// <summary>
/// Fills a migrated database with one city, 30 counties, 10 departments each and <c>size</c> initiatives
/// by binary COPY. The mix is drawn relative to <c>today</c> like BASELINES.md's data: deadlines over a
/// year either side of today, about a quarter overdue, and a share of silent, lagging, milestone-overdue
/// and due-soon items among the active ones. Seeded, so one size always gives the same rows.
/// </summary>
public static class DataGenerator
{
    public const int Counties = 30;
    public const int DepartmentsPerJurisdiction = 10;
    private const int LeadersPerJurisdiction = 6;
    private const int ResponsiblePerDepartment = 20;

    private static readonly int[] DueSoonOffsets = [7, 3, 1];
    private static readonly string[] KindNames = ["民生实事", "重点项目", "老旧小区改造", "文明城市创建", "隐患整改"];
    private static readonly string[] Works = ["道路改造工程", "养老服务设施建设", "雨污分流改造", "背街小巷整治", "学校扩建", "燃气管道更新", "农贸市场提升"];
    private const string Description =
        "按照年度目标任务要求，明确责任单位和完成时限，细化工作措施，倒排工期、挂图作战，确保按期保质完成。"
        + "责任单位每月报送工作进展、存在问题及下一步计划，督查部门定期调度通报。";

    public static async Task<GeneratedData> LoadAsync(string connectionString, int size, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var jurisdictions = await WriteJurisdictionsAsync(connection, ct);
        var departments = await WriteDepartmentsAsync(connection, ct);
        var (active, overdue, dueSoon) = await WriteInitiativesAsync(connection, size, today, now, ct);
        await using (var sequences = new NpgsqlCommand("""
            SELECT setval(pg_get_serial_sequence('jurisdictions', 'id'), (SELECT max(id) FROM jurisdictions));
            SELECT setval(pg_get_serial_sequence('departments', 'id'), (SELECT max(id) FROM departments));
            SELECT setval(pg_get_serial_sequence('initiatives', 'id'), (SELECT max(id) FROM initiatives));
            """, connection))
            await sequences.ExecuteNonQueryAsync(ct);
        // As a settled table would be: hint bits set and statistics fresh, so that neither the sweep nor the
        // raw SQL pays for the bulk load's aftermath, whichever runs first.
        await using (var vacuum = new NpgsqlCommand("VACUUM (ANALYZE) jurisdictions, departments, initiatives", connection) { CommandTimeout = 600 })
            await vacuum.ExecuteNonQueryAsync(ct);
        return new GeneratedData(jurisdictions, departments, size, active, overdue, dueSoon);
    }

    private static int DepartmentId(int jurisdictionId, int k) => (jurisdictionId - 1) * DepartmentsPerJurisdiction + k;

    private static async Task<int> WriteJurisdictionsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY jurisdictions (id, code, name, level, parent_id, path) FROM STDIN (FORMAT BINARY)", ct);
        await RowAsync(writer, 1, "BM-CITY", "基准市", JurisdictionLevel.City, null, Jurisdiction.PathOf(null, 1), ct);
        for (var id = 2; id <= Counties + 1; id++)
            await RowAsync(writer, id, $"BM-C{id:D2}", $"基准市第{id - 1}县", JurisdictionLevel.County, 1, Jurisdiction.PathOf(Jurisdiction.PathOf(null, 1), id), ct);
        await writer.CompleteAsync(ct);
        return Counties + 1;

        static async Task RowAsync(NpgsqlBinaryImporter w, int id, string code, string name, JurisdictionLevel level, int? parent, string path, CancellationToken ct)
        {
            await w.StartRowAsync(ct);
            await w.WriteAsync(id, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(code, NpgsqlDbType.Text, ct);
            await w.WriteAsync(name, NpgsqlDbType.Text, ct);
            await w.WriteAsync(level.ToString(), NpgsqlDbType.Text, ct);
            if (parent is { } p) await w.WriteAsync(p, NpgsqlDbType.Integer, ct); else await w.WriteNullAsync(ct);
            await w.WriteAsync(path, NpgsqlDbType.Text, ct);
        }
    }

    private static async Task<int> WriteDepartmentsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        string[] names = ["发展和改革局", "住房和城乡建设局", "交通运输局", "民政局", "教育局", "卫生健康局", "城市管理局", "自然资源和规划局", "生态环境局", "应急管理局"];
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY departments (id, code, name, jurisdiction_id, head_name, head_email) FROM STDIN (FORMAT BINARY)", ct);
        var count = 0;
        for (var j = 1; j <= Counties + 1; j++)
            for (var k = 1; k <= DepartmentsPerJurisdiction; k++)
            {
                var id = DepartmentId(j, k);
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(id, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync($"BM-D{id:D4}", NpgsqlDbType.Text, ct);
                await writer.WriteAsync(names[k - 1], NpgsqlDbType.Text, ct);
                await writer.WriteAsync(j, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync($"局长{id}", NpgsqlDbType.Text, ct);
                await writer.WriteAsync($"head{id}@bench.gov.cn", NpgsqlDbType.Text, ct);
                count++;
            }
        await writer.CompleteAsync(ct);
        return count;
    }

    private static async Task<(int Active, int Overdue, int DueSoon)> WriteInitiativesAsync(
        NpgsqlConnection connection, int size, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        var random = new Random(20261124 + size);
        var utcNow = now.ToUniversalTime();
        int active = 0, overdue = 0, dueSoon = 0;
        await using var writer = await connection.BeginBinaryImportAsync("""
            COPY initiatives (id, code, title, description, year, kind, jurisdiction_id, lead_department_id, budget,
                planned_start, deadline, reporting_interval, status, phase, progress, last_reported_at, last_reported_on,
                next_milestone_due, completed_on, created_at, updated_at, is_published,
                leader_in_charge_name, leader_in_charge_title, leader_in_charge_phone, leader_in_charge_email,
                responsible_person_name, responsible_person_title, responsible_person_phone, responsible_person_email)
            FROM STDIN (FORMAT BINARY)
            """, ct);
        for (long id = 1; id <= size; id++)
        {
            var item = Draw(random, id, today);
            if (Initiative.IsActive(item.Status))
            {
                active++;
                if (item.Deadline < today) overdue++;
                else if (DueSoonOffsets.Contains(item.Deadline.DayNumber - today.DayNumber)) dueSoon++;
            }

            await writer.StartRowAsync(ct);
            await writer.WriteAsync(id, NpgsqlDbType.Bigint, ct);
            await writer.WriteAsync($"BM-{id:D7}", NpgsqlDbType.Text, ct);
            await writer.WriteAsync($"{KindNames[(int)item.Kind]}：{Works[id % Works.Length]}（第{id}号）", NpgsqlDbType.Text, ct);
            await writer.WriteAsync(Description, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(item.Deadline.Year, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(item.Kind.ToString(), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(item.JurisdictionId, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(item.DepartmentId, NpgsqlDbType.Integer, ct);
            await NullableAsync(writer, item.Budget, NpgsqlDbType.Numeric, ct);
            await writer.WriteAsync(item.PlannedStart, NpgsqlDbType.Date, ct);
            await writer.WriteAsync(item.Deadline, NpgsqlDbType.Date, ct);
            await writer.WriteAsync(item.Interval.ToString(), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(item.Status.ToString(), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(item.Phase.ToString(), NpgsqlDbType.Text, ct);
            await writer.WriteAsync(item.Progress, NpgsqlDbType.Numeric, ct);
            // Reports come in around 10:00 office time (02:00 UTC).
            await NullableAsync(writer, item.LastReportedOn?.ToDateTime(new TimeOnly(2, 0), DateTimeKind.Utc), NpgsqlDbType.TimestampTz, ct);
            await NullableAsync(writer, item.LastReportedOn, NpgsqlDbType.Date, ct);
            await NullableAsync(writer, item.NextMilestoneDue, NpgsqlDbType.Date, ct);
            await NullableAsync(writer, item.CompletedOn, NpgsqlDbType.Date, ct);
            await writer.WriteAsync(utcNow, NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(utcNow, NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(false, NpgsqlDbType.Boolean, ct);
            await writer.WriteAsync($"领导{item.Leader}", NpgsqlDbType.Text, ct);
            await writer.WriteAsync("副县长", NpgsqlDbType.Text, ct);
            await writer.WriteNullAsync(ct);
            await writer.WriteAsync($"leader{item.Leader}@bench.gov.cn", NpgsqlDbType.Text, ct);
            await writer.WriteAsync($"责任人{item.Responsible}", NpgsqlDbType.Text, ct);
            await writer.WriteNullAsync(ct);
            await writer.WriteAsync("0318-0000000", NpgsqlDbType.Text, ct);
            await writer.WriteAsync($"resp{item.Responsible}@bench.gov.cn", NpgsqlDbType.Text, ct);
        }
        await writer.CompleteAsync(ct);
        return (active, overdue, dueSoon);
    }

    private static async Task NullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct
    {
        if (value is { } v) await writer.WriteAsync(v, type, ct);
        else await writer.WriteNullAsync(ct);
    }

    private sealed record Item(
        InitiativeKind Kind, int JurisdictionId, int DepartmentId, string Leader, string Responsible, decimal? Budget,
        DateOnly PlannedStart, DateOnly Deadline, ReportingInterval Interval, InitiativeStatus Status, Phase Phase,
        decimal Progress, DateOnly? LastReportedOn, DateOnly? NextMilestoneDue, DateOnly? CompletedOn);

    private static Item Draw(Random r, long id, DateOnly today)
    {
        var jurisdiction = r.NextDouble() < 0.10 ? 1 : r.Next(2, Counties + 2);
        var department = DepartmentId(jurisdiction, r.Next(1, DepartmentsPerJurisdiction + 1));
        var kind = Pick(r, (0.20, InitiativeKind.Livelihood), (0.25, InitiativeKind.KeyProject), (0.15, InitiativeKind.Renovation),
            (0.15, InitiativeKind.CivilizedCity), (0.25, InitiativeKind.Rectification));

        // Deadlines over a year either side of today; a few land exactly on the due-soon days.
        var offset = r.NextDouble() < 0.015 ? DueSoonOffsets[r.Next(DueSoonOffsets.Length)] : r.Next(-365, 366);
        var deadline = today.AddDays(offset);
        var start = deadline.AddDays(-r.Next(90, 541));
        var interval = Pick(r, (0.05, ReportingInterval.Daily), (0.35, ReportingInterval.Weekly), (0.60, ReportingInterval.Monthly));

        // Half of what is past its deadline was finished: with the rest about a quarter of all items are overdue.
        var roll = r.NextDouble();
        var status = offset < 0
            ? roll < 0.50 ? InitiativeStatus.Completed : roll < 0.53 ? InitiativeStatus.Suspended : roll < 0.54 ? InitiativeStatus.Cancelled : InitiativeStatus.InProgress
            : roll < 0.03 ? InitiativeStatus.Completed : roll < 0.05 ? InitiativeStatus.Suspended : roll < 0.06 ? InitiativeStatus.Cancelled
            : start > today || roll < 0.10 ? InitiativeStatus.Planned : InitiativeStatus.InProgress;

        var expected = today <= start ? 0m : deadline <= today ? 1m : (decimal)(today.DayNumber - start.DayNumber) / (deadline.DayNumber - start.DayNumber);
        // Behind the straight line: most within the amber margin, a fifth amber, a fifth red.
        var lagRoll = r.NextDouble();
        var lag = lagRoll < 0.60 ? Between(r, -0.10, 0.09) : lagRoll < 0.80 ? Between(r, 0.11, 0.24) : Between(r, 0.26, 0.60);
        var progress = status switch
        {
            InitiativeStatus.Completed => 1m,
            InitiativeStatus.Planned when start > today => 0m,
            _ => Math.Round(Math.Clamp(expected - lag, 0m, 1m), 4),
        };

        DateOnly? completedOn = status == InitiativeStatus.Completed ? Min(deadline, today).AddDays(-r.Next(0, 30)) : null;
        DateOnly? lastReported = null;
        if (status == InitiativeStatus.Completed)
            lastReported = completedOn;
        else if (start <= today && r.NextDouble() >= 0.08)
        {
            // Reported within the interval most of the time; the tail of each range is silent.
            var ago = interval switch { ReportingInterval.Daily => r.Next(0, 3), ReportingInterval.Weekly => r.Next(0, 11), _ => r.Next(0, 46) };
            lastReported = Max(start, today.AddDays(-ago));
        }
        DateOnly? milestone = Initiative.IsActive(status) && r.NextDouble() < 0.5 ? today.AddDays(r.Next(-30, 91)) : null;

        var phase = (kind, status) switch
        {
            (InitiativeKind.Rectification, InitiativeStatus.Completed) => Phase.Rectified,
            (InitiativeKind.Rectification, InitiativeStatus.Planned) => Phase.Identified,
            (InitiativeKind.Rectification, _) => Phase.Rectifying,
            (_, InitiativeStatus.Completed) => Phase.Completed,
            (_, InitiativeStatus.Planned) => Phase.Preparation,
            _ => progress >= 0.6m ? Phase.MainStructureDone : Phase.Started,
        };
        decimal? budget = r.NextDouble() < 0.4 ? null : r.Next(10, 50_000) * 1000m;
        return new Item(kind, jurisdiction, department, $"{jurisdiction}-{r.Next(1, LeadersPerJurisdiction + 1)}",
            $"{department}-{r.Next(1, ResponsiblePerDepartment + 1)}", budget, start, deadline, interval, status, phase,
            progress, lastReported, milestone, completedOn);
    }

    private static T Pick<T>(Random r, params (double Share, T Value)[] choices)
    {
        var roll = r.NextDouble();
        foreach (var (share, value) in choices)
        {
            if (roll < share)
                return value;
            roll -= share;
        }
        return choices[^1].Value;
    }

    private static decimal Between(Random r, double min, double max) => (decimal)(min + r.NextDouble() * (max - min));
    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
