using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using Tracker.Domain;

namespace Tracker.ProvinceBench;

/// <summary>What the loader wrote and the ids the endpoints and raw queries are pointed at.</summary>
public sealed record LoadedData(
    int CityId, string CityPath, int CountyId, string CountyPath, int OfficialDepartmentId, long FirstOfficialItem, long LastOfficialItem,
    int Jurisdictions, int Departments, int Items, long Targets, long Milestones, long Reports, long Overdue, TimeSpan Elapsed);

/// <summary>
/// Fills the service's migrated (and seeded) database by binary COPY: 30 counties of 99 townships each under the demo
/// city (3,000 jurisdictions with their materialized paths), 10 departments each (30,000), <c>items</c> initiatives and
/// <c>reports</c> progress reports. Deadlines are spread over a year either side of today with about a quarter overdue,
/// like BASELINES.md's data; the demo official's department (衡水市民政局) leads 300 of the items at every size. Seeded,
/// so one size always gives the same rows. Column lists are explicit: columns added later keep their defaults.
/// </summary>
public static class ProvinceData
{
    public const int Counties = 30;
    public const int TownshipsPerCounty = 99;
    public const int DepartmentsPerJurisdiction = 10;
    public const int OfficialItems = 300;

    private static readonly string[] KindNames = ["民生实事", "重点项目", "老旧小区改造", "文明城市创建", "隐患整改"];
    // One title in seven holds 雨污分流, a word a search box sees often.
    private static readonly string[] Works = ["道路改造工程", "养老服务设施建设", "雨污分流改造", "背街小巷整治", "学校扩建", "燃气管道更新", "农贸市场提升"];
    private static readonly string[] DepartmentNames = ["发展和改革局", "住房和城乡建设局", "交通运输局", "民政局", "教育局", "卫生健康局", "城市管理局", "自然资源和规划局", "生态环境局", "应急管理局"];
    private const string Description =
        "按照年度目标任务要求，明确责任单位和完成时限，细化工作措施，倒排工期、挂图作战，确保按期保质完成。"
        + "责任单位每月报送工作进展、存在问题及下一步计划，督查部门定期调度通报。";
    private static readonly string[] Fragments =
    [
        "本期完成主体工程量的阶段任务，现场施工人员和机械设备按计划到位，质量安全检查未发现重大问题。",
        "已召开专题调度会议，协调解决征地拆迁和管线迁改中的难点，相关部门按照分工抓好落实。",
        "资金拨付进度与工程进度基本匹配，下一步将加快验收结算，确保按期完成年度目标任务。",
        "受连续降雨影响部分工序有所延后，已调整施工组织方案，增加作业班组，力争把延误的工期补回来。",
        "群众反映的噪声和交通问题已逐一答复，设置临时便道和警示标志，并安排专人巡查维护秩序。",
        "雨污分流管网铺设完成约六成，检查井砌筑和路面恢复同步推进，第三方检测结果全部合格。",
    ];
    private static readonly string[] Narratives = [.. Enumerable.Range(0, Fragments.Length).Select(i =>
        string.Concat(Enumerable.Range(0, 5).Select(k => Fragments[(i + k) % Fragments.Length]))[..200])];

    private readonly record struct ItemFacts(long Id, InitiativeKind Kind, DateOnly Start, DateOnly Deadline, ReportingInterval Interval,
        InitiativeStatus Status, Phase Phase, decimal Progress, DateOnly? LastReportedOn, DateOnly? NextMilestoneDue, int Department);

    public static async Task<LoadedData> LoadAsync(string connectionString, int items, long reports, DateOnly today, Action<string> log, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        // The rows are consistent by construction: no foreign-key trigger per row (superuser), and the secondary indexes
        // of the big tables are built once after the COPY rather than row by row (the trigram ones above all).
        await ExecuteAsync(connection, "SET session_replication_role = replica; SET maintenance_work_mem = '1GB'", ct);
        var deferred = await ListAsync(connection, """
            SELECT indexname, indexdef FROM pg_indexes i
            WHERE schemaname = 'public' AND tablename IN ('initiatives', 'targets', 'milestones', 'progress_reports')
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """, r => (Name: r.GetString(0), Definition: r.GetString(1)), ct);
        foreach (var index in deferred)
            await ExecuteAsync(connection, $"DROP INDEX \"{index.Name}\"", ct);

        var (cityId, cityPath) = await SingleAsync(connection, "SELECT id, path FROM jurisdictions WHERE code = 'HS'", r => (r.GetInt32(0), r.GetString(1)), ct);
        var officialDepartment = await SingleAsync(connection, "SELECT id FROM departments WHERE code = 'HS-MZJ'", r => r.GetInt32(0), ct);
        var cityDepartments = await ListAsync(connection, $"SELECT id FROM departments WHERE jurisdiction_id = {cityId} AND id <> {officialDepartment} ORDER BY id", r => r.GetInt32(0), ct);
        if (cityDepartments.Count == 0)
            cityDepartments.Add(officialDepartment);
        long NextId(string table) => SingleAsync(connection, $"SELECT coalesce(max(id), 0) + 1 FROM {table}", r => Convert.ToInt64(r.GetValue(0)), ct).GetAwaiter().GetResult();
        var firstJurisdiction = (int)NextId("jurisdictions");
        var firstDepartment = (int)NextId("departments");
        var firstItem = NextId("initiatives");
        var firstTarget = NextId("targets");
        var firstMilestone = NextId("milestones");
        var firstReport = NextId("progress_reports");

        // Jurisdictions: county c (0-based) is firstJurisdiction + c; its townships follow all counties.
        int CountyId(int c) => firstJurisdiction + c;
        int TownshipId(int c, int t) => firstJurisdiction + Counties + c * TownshipsPerCounty + t;
        string CountyPath(int c) => Tracker.Domain.Jurisdiction.PathOf(cityPath, CountyId(c));
        var jurisdictions = Counties * (1 + TownshipsPerCounty);
        using (var w = await connection.BeginBinaryImportAsync("COPY jurisdictions (id, code, name, level, parent_id, path) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var c = 0; c < Counties; c++)
                WriteJurisdiction(w, CountyId(c), $"PB-C{c:D2}", $"基准县{c + 1}", JurisdictionLevel.County, cityId, CountyPath(c));
            for (var c = 0; c < Counties; c++)
                for (var t = 0; t < TownshipsPerCounty; t++)
                    WriteJurisdiction(w, TownshipId(c, t), $"PB-C{c:D2}-T{t:D2}", $"基准县{c + 1}第{t + 1}镇", JurisdictionLevel.Township, CountyId(c),
                        Tracker.Domain.Jurisdiction.PathOf(CountyPath(c), TownshipId(c, t)));
            await w.CompleteAsync(ct);
        }

        // Departments: jurisdiction j's k-th department is firstDepartment + (j - firstJurisdiction) * 10 + k.
        int DepartmentOf(int jurisdiction, int k) => firstDepartment + (jurisdiction - firstJurisdiction) * DepartmentsPerJurisdiction + k;
        using (var w = await connection.BeginBinaryImportAsync("COPY departments (id, code, name, jurisdiction_id, head_name, head_email) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var j = firstJurisdiction; j < firstJurisdiction + jurisdictions; j++)
                for (var k = 0; k < DepartmentsPerJurisdiction; k++)
                {
                    var id = DepartmentOf(j, k);
                    w.StartRow();
                    w.Write(id, NpgsqlDbType.Integer);
                    w.Write($"PB-D{id:D6}", NpgsqlDbType.Text);
                    w.Write(DepartmentNames[k], NpgsqlDbType.Text);
                    w.Write(j, NpgsqlDbType.Integer);
                    w.Write($"局长{id}", NpgsqlDbType.Text);
                    w.Write($"head{id}@bench.gov.cn", NpgsqlDbType.Text);
                }
            await w.CompleteAsync(ct);
        }
        log($"  {jurisdictions:N0} jurisdictions, {jurisdictions * DepartmentsPerJurisdiction:N0} departments");

        var random = new Random(20261124 + items);
        var facts = new ItemFacts[items];
        var utcNow = DateTime.UtcNow;
        long overdue = 0;
        var officialItems = Math.Min(OfficialItems, items / 10);
        using (var w = await connection.BeginBinaryImportAsync("""
            COPY initiatives (id, code, title, description, year, kind, jurisdiction_id, lead_department_id, budget,
                planned_start, deadline, reporting_interval, status, phase, progress, last_reported_at, last_reported_on,
                next_milestone_due, completed_on, created_at, updated_at, is_published,
                leader_in_charge_name, leader_in_charge_title, leader_in_charge_phone, leader_in_charge_email,
                responsible_person_name, responsible_person_title, responsible_person_phone, responsible_person_email)
            FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            for (var n = 0; n < items; n++)
            {
                var id = firstItem + n;
                int jurisdiction, department;
                var place = random.NextDouble();
                if (n < officialItems)
                    (jurisdiction, department) = (cityId, officialDepartment);
                else if (place < 0.05)
                    (jurisdiction, department) = (cityId, cityDepartments[random.Next(cityDepartments.Count)]);
                else
                {
                    var c = random.Next(Counties);
                    jurisdiction = place < 0.30 ? CountyId(c) : TownshipId(c, random.Next(TownshipsPerCounty));
                    department = DepartmentOf(jurisdiction, random.Next(DepartmentsPerJurisdiction));
                }
                var item = Draw(random, id, today, department);
                facts[n] = item;
                if (Initiative.IsActive(item.Status) && item.Deadline < today)
                    overdue++;
                DateOnly? completedOn = item.Status == InitiativeStatus.Completed ? item.LastReportedOn : null;

                w.StartRow();
                w.Write(id, NpgsqlDbType.Bigint);
                w.Write($"PB-{id:D8}", NpgsqlDbType.Text);
                w.Write($"{KindNames[(int)item.Kind]}：{Works[id % Works.Length]}（第{id}号）", NpgsqlDbType.Text);
                w.Write(Description, NpgsqlDbType.Text);
                w.Write(item.Deadline.Year, NpgsqlDbType.Integer);
                w.Write(item.Kind.ToString(), NpgsqlDbType.Text);
                w.Write(jurisdiction, NpgsqlDbType.Integer);
                w.Write(department, NpgsqlDbType.Integer);
                if (random.NextDouble() < 0.4) w.WriteNull(); else w.Write(random.Next(10, 50_000) * 1000m, NpgsqlDbType.Numeric);
                w.Write(item.Start, NpgsqlDbType.Date);
                w.Write(item.Deadline, NpgsqlDbType.Date);
                w.Write(item.Interval.ToString(), NpgsqlDbType.Text);
                w.Write(item.Status.ToString(), NpgsqlDbType.Text);
                w.Write(item.Phase.ToString(), NpgsqlDbType.Text);
                w.Write(item.Progress, NpgsqlDbType.Numeric);
                // Reports come in around 10:00 office time (02:00 UTC).
                Nullable(w, item.LastReportedOn?.ToDateTime(new TimeOnly(2, 0), DateTimeKind.Utc), NpgsqlDbType.TimestampTz);
                Nullable(w, item.LastReportedOn, NpgsqlDbType.Date);
                Nullable(w, item.NextMilestoneDue, NpgsqlDbType.Date);
                Nullable(w, completedOn, NpgsqlDbType.Date);
                w.Write(utcNow, NpgsqlDbType.TimestampTz);
                w.Write(utcNow, NpgsqlDbType.TimestampTz);
                // A third of the livelihood items are in the public view.
                w.Write(item.Kind == InitiativeKind.Livelihood && id % 3 == 0, NpgsqlDbType.Boolean);
                w.Write($"领导{jurisdiction}-{id % 6}", NpgsqlDbType.Text);
                w.Write("副县长", NpgsqlDbType.Text);
                w.WriteNull();
                w.Write($"leader{jurisdiction}-{id % 6}@bench.gov.cn", NpgsqlDbType.Text);
                w.Write($"责任人{department}-{id % 20}", NpgsqlDbType.Text);
                w.WriteNull();
                w.Write("0318-0000000", NpgsqlDbType.Text);
                w.Write($"resp{department}-{id % 20}@bench.gov.cn", NpgsqlDbType.Text);
            }
            await w.CompleteAsync(ct);
        }
        log($"  {items:N0} initiatives ({overdue:N0} overdue) after {stopwatch.Elapsed.TotalSeconds:F0} s");

        // One target per item (its progress is the target's share), one open milestone where a next milestone is due.
        long targets = 0, milestones = 0;
        using (var w = await connection.BeginBinaryImportAsync(
            "COPY targets (id, initiative_id, metric, unit, baseline, target_value, weight, current_value) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var item in facts)
            {
                w.StartRow();
                w.Write((int)(firstTarget + targets++), NpgsqlDbType.Integer);
                w.Write(item.Id, NpgsqlDbType.Bigint);
                w.Write("完成工程量", NpgsqlDbType.Text);
                w.Write("%", NpgsqlDbType.Text);
                w.Write(0m, NpgsqlDbType.Numeric);
                w.Write(100m, NpgsqlDbType.Numeric);
                w.Write(1m, NpgsqlDbType.Numeric);
                if (item.LastReportedOn is null) w.WriteNull(); else w.Write(item.Progress * 100m, NpgsqlDbType.Numeric);
            }
            await w.CompleteAsync(ct);
        }
        using (var w = await connection.BeginBinaryImportAsync(
            "COPY milestones (id, initiative_id, name, planned_on, achieved_on) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var item in facts.Where(f => f.NextMilestoneDue is not null))
            {
                w.StartRow();
                w.Write((int)(firstMilestone + milestones++), NpgsqlDbType.Integer);
                w.Write(item.Id, NpgsqlDbType.Bigint);
                w.Write("主体工程完工", NpgsqlDbType.Text);
                w.Write(item.NextMilestoneDue!.Value, NpgsqlDbType.Date);
                w.WriteNull();
            }
            await w.CompleteAsync(ct);
        }
        log($"  {targets:N0} targets, {milestones:N0} milestones after {stopwatch.Elapsed.TotalSeconds:F0} s");

        // The reports are shared out evenly over the items that have reported, newest on the item's last report day,
        // older ones one reporting interval apart, progress rising to the item's figure.
        var reported = facts.Where(f => f.LastReportedOn is not null).ToArray();
        long written = 0;
        // The reports are partitioned by year with no default partition (decision 0020): each year they fall in needs its own.
        var firstReportYear = reported.Length == 0 ? today.Year : reported.Select((item, k) =>
            item.LastReportedOn!.Value.AddDays(-((int)((k + 1) * reports / reported.Length - k * reports / reported.Length) - 1)
                * (item.Interval switch { ReportingInterval.Daily => 1, ReportingInterval.Weekly => 7, _ => 30 })).Year).Min();
        await ExecuteAsync(connection, $"SELECT tracker_ensure_year_partitions(y) FROM generate_series({firstReportYear}, {today.Year + 1}) AS y", ct);
        using (var w = await connection.BeginBinaryImportAsync("""
            COPY progress_reports (id, initiative_id, reported_by, reported_at, reported_on, phase, narrative, problems, next_steps,
                milestones_achieved, progress_after)
            FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            for (var k = 0; k < reported.Length; k++)
            {
                var item = reported[k];
                var count = (int)((k + 1) * reports / reported.Length - k * reports / reported.Length);
                var step = item.Interval switch { ReportingInterval.Daily => 1, ReportingInterval.Weekly => 7, _ => 30 };
                // Oldest first, so that the (initiative, reported_at) index grows at its end.
                for (var j = count - 1; j >= 0; j--)
                {
                    var on = item.LastReportedOn!.Value.AddDays(-j * step);
                    w.StartRow();
                    w.Write(firstReport + written, NpgsqlDbType.Bigint);
                    w.Write(item.Id, NpgsqlDbType.Bigint);
                    w.Write($"resp{item.Department}@bench.gov.cn", NpgsqlDbType.Text);
                    w.Write(on.ToDateTime(new TimeOnly(2, 0), DateTimeKind.Utc), NpgsqlDbType.TimestampTz);
                    w.Write(on, NpgsqlDbType.Date);
                    w.Write(item.Phase.ToString(), NpgsqlDbType.Text);
                    w.Write(Narratives[(int)((item.Id + j) % Narratives.Length)], NpgsqlDbType.Text);
                    if (j % 4 == 1) w.Write("个别路段交通疏导压力较大。", NpgsqlDbType.Text); else w.WriteNull();
                    if (j % 4 == 1) w.Write("加快施工进度，做好安全防护。", NpgsqlDbType.Text); else w.WriteNull();
                    w.Write(Array.Empty<int>(), NpgsqlDbType.Array | NpgsqlDbType.Integer);
                    w.Write(Math.Round(item.Progress * (count - j) / count, 4), NpgsqlDbType.Numeric);
                    written++;
                    if (written % 1_000_000 == 0)
                        log($"  {written:N0} reports after {stopwatch.Elapsed.TotalSeconds:F0} s");
                }
            }
            await w.CompleteAsync(ct);
        }

        var indexing = Stopwatch.StartNew();
        foreach (var index in deferred)
            await ExecuteAsync(connection, index.Definition, ct);
        log($"  {deferred.Count} indexes rebuilt in {indexing.Elapsed.TotalSeconds:F0} s");

        await using (var sequences = new NpgsqlCommand("""
            SELECT setval(pg_get_serial_sequence('jurisdictions', 'id'), (SELECT max(id) FROM jurisdictions));
            SELECT setval(pg_get_serial_sequence('departments', 'id'), (SELECT max(id) FROM departments));
            SELECT setval(pg_get_serial_sequence('initiatives', 'id'), (SELECT max(id) FROM initiatives));
            SELECT setval(pg_get_serial_sequence('targets', 'id'), (SELECT max(id) FROM targets));
            SELECT setval(pg_get_serial_sequence('milestones', 'id'), (SELECT max(id) FROM milestones));
            SELECT setval(pg_get_serial_sequence('progress_reports', 'id'), (SELECT max(id) FROM progress_reports));
            """, connection))
            await sequences.ExecuteNonQueryAsync(ct);
        log($"  {written:N0} reports; COPY done in {stopwatch.Elapsed.TotalSeconds:F0} s");

        return new LoadedData(cityId, cityPath, CountyId(0), CountyPath(0), officialDepartment, firstItem, firstItem + officialItems - 1,
            jurisdictions, jurisdictions * DepartmentsPerJurisdiction, items, targets, milestones, written, overdue, stopwatch.Elapsed);
    }

    private static void WriteJurisdiction(NpgsqlBinaryImporter w, int id, string code, string name, JurisdictionLevel level, int parent, string path)
    {
        w.StartRow();
        w.Write(id, NpgsqlDbType.Integer);
        w.Write(code, NpgsqlDbType.Text);
        w.Write(name, NpgsqlDbType.Text);
        w.Write(level.ToString(), NpgsqlDbType.Text);
        w.Write(parent, NpgsqlDbType.Integer);
        w.Write(path, NpgsqlDbType.Text);
    }

    private static void Nullable<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } v) w.Write(v, type);
        else w.WriteNull();
    }

    /// <summary>One item's schedule and state, drawn like bench/Tracker.Benchmarks' generator (BASELINES.md's mix).</summary>
    private static ItemFacts Draw(Random r, long id, DateOnly today, int department)
    {
        var kind = Pick(r, (0.20, InitiativeKind.Livelihood), (0.25, InitiativeKind.KeyProject), (0.15, InitiativeKind.Renovation),
            (0.15, InitiativeKind.CivilizedCity), (0.25, InitiativeKind.Rectification));
        var offset = r.Next(-365, 366);
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
        var lagRoll = r.NextDouble();
        var lag = lagRoll < 0.60 ? Between(r, -0.10, 0.09) : lagRoll < 0.80 ? Between(r, 0.11, 0.24) : Between(r, 0.26, 0.60);
        var progress = status switch
        {
            InitiativeStatus.Completed => 1m,
            InitiativeStatus.Planned when start > today => 0m,
            _ => Math.Round(Math.Clamp(expected - lag, 0m, 1m), 4),
        };

        DateOnly? lastReported = null;
        if (status == InitiativeStatus.Completed)
            lastReported = (deadline < today ? deadline : today).AddDays(-r.Next(0, 30));
        else if (start <= today && r.NextDouble() >= 0.08)
        {
            // Reported within the interval most of the time; the tail of each range is silent.
            var ago = interval switch { ReportingInterval.Daily => r.Next(0, 3), ReportingInterval.Weekly => r.Next(0, 11), _ => r.Next(0, 46) };
            lastReported = today.AddDays(-ago) < start ? start : today.AddDays(-ago);
        }
        DateOnly? milestone = Initiative.IsActive(status) && r.NextDouble() < 0.5 ? today.AddDays(r.Next(-30, 91)) : null;

        var phases = Phases.For(kind);
        var phase = status switch
        {
            InitiativeStatus.Completed => kind == InitiativeKind.Rectification ? Phase.Rectified : Phase.Completed,
            InitiativeStatus.Planned => phases[0],
            _ => kind == InitiativeKind.Rectification ? Phase.Rectifying
                : progress >= 0.6m && phases.Contains(Phase.MainStructureDone) ? Phase.MainStructureDone : Phase.Started,
        };
        return new ItemFacts(id, kind, start, deadline, interval, status, phase, progress, lastReported, milestone, department);
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

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> SingleAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read, CancellationToken ct) =>
        (await ListAsync(connection, sql, read, ct)).Single();

    private static async Task<List<T>> ListAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await reader.ReadAsync(ct))
            list.Add(read(reader));
        return list;
    }
}
