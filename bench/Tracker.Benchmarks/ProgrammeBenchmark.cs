using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tracker.Web.Data;
using Tracker.Web.Features.Programmes;
using Tracker.Web.Infrastructure;

namespace Tracker.Benchmarks;

/// <summary>
/// A programme's roll-up (issue 16): a programme of M items among a city of N, read through <see cref="ReadProgrammes"/>
/// (its figures and investment curve over every member, its first page of items and their parts), next to its two main queries by hand.
/// </summary>
public sealed class ProgrammeBenchmark(string adminConnectionString)
{
    private const int Reads = 20;

    public async Task<List<SheetFigure>> RunAsync(int items, int members, Action<string> log, CancellationToken ct)
    {
        var connectionString = await BenchService.CreateDatabaseAsync(adminConnectionString, "bench_programme", ct);
        var profiler = new CommandProfiler();
        await using var app = BenchService.Build(connectionString, b => b.Services.ConfigureDbContext<TrackerDbContext>(o => o.AddInterceptors(profiler)));
        await app.PrepareDatabaseAsync();
        var now = DateTimeOffset.UtcNow;
        await DataGenerator.LoadAsync(connectionString, items, DateOnly.FromDateTime(now.UtcDateTime), now, ct);
        int programme;
        await using (var scope = BenchService.AsAdmin(app))
            programme = (await scope.ServiceProvider.GetRequiredService<CreateProgramme>().RunAsync(new ProgrammeInput(1, now.Year, "ZDXM", "重点项目", null, null), ct)).Id;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(ct);
            await using var fill = new NpgsqlCommand(
                "INSERT INTO programme_items (programme_id, initiative_id) SELECT $1, id FROM initiatives ORDER BY id LIMIT $2", connection)
            { Parameters = { new() { Value = programme }, new() { Value = members } } };
            await fill.ExecuteNonQueryAsync(ct);
            // Every member a key project with its year's plan and a figure for each month so far; the first 2,000 with three parts each.
            await using var projects = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new("""
                        INSERT INTO key_projects (initiative_id, level, construction, industry, strategic_emerging, owner_enterprise, total_investment, planned_investment, completed_investment)
                        SELECT initiative_id, 'Municipal', 'Continued', '新材料', true, '某企业', 1000000000, 200000000, 0 FROM programme_items WHERE programme_id = $1
                        """) { Parameters = { new() { Value = programme } } },
                    new("""
                        INSERT INTO investment_months (initiative_id, month, completed, report_id)
                        SELECT m.initiative_id, make_date(extract(year FROM current_date)::int, g, 1), 15000000, (SELECT min(id) FROM progress_reports)
                        FROM programme_items m CROSS JOIN generate_series(1, extract(month FROM current_date)::int) g WHERE m.programme_id = $1
                        """) { Parameters = { new() { Value = programme } } },
                    new("""
                        UPDATE key_projects k SET completed_investment = s.total, completed_by_month = ARRAY(
                            SELECT coalesce(sum(m.completed), 0) FROM generate_series(1, 12) g
                            LEFT JOIN investment_months m ON m.initiative_id = k.initiative_id AND m.month = make_date(extract(year FROM current_date)::int, g, 1)
                            GROUP BY g ORDER BY g)
                        FROM (SELECT initiative_id, sum(completed) AS total FROM investment_months GROUP BY initiative_id) s WHERE s.initiative_id = k.initiative_id
                        """),
                    new("""
                        WITH parents AS (SELECT initiative_id AS id, row_number() OVER (ORDER BY initiative_id) AS n FROM programme_items WHERE programme_id = $1 ORDER BY initiative_id LIMIT 2000),
                             kids AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM initiatives WHERE id > (SELECT max(initiative_id) FROM programme_items) ORDER BY id LIMIT 6000)
                        UPDATE initiatives i SET parent_id = p.id FROM kids k JOIN parents p ON p.n = (k.n - 1) / 3 + 1 WHERE i.id = k.id
                        """) { Parameters = { new() { Value = programme } } },
                },
            };
            await projects.ExecuteNonQueryAsync(ct);
            await using var analyze = new NpgsqlCommand("ANALYZE programme_items; ANALYZE key_projects; ANALYZE investment_months; ANALYZE initiatives", connection);
            await analyze.ExecuteNonQueryAsync(ct);
        }
        log($"  a programme of {members:N0} key projects among {items:N0} items, each with this year's monthly investment, 2,000 with three parts");

        var figures = new List<SheetFigure>();
        await using (var warm = BenchService.AsAdmin(app))
            await warm.ServiceProvider.GetRequiredService<ReadProgrammes>().OneAsync(programme, 1, ct);
        profiler.Reset();
        figures.Add(await BenchService.MeasureAsync($"the programme read {Reads} times (ReadProgrammes.OneAsync, {members:N0} items)", Reads, async () =>
        {
            for (var n = 0; n < Reads; n++)
            {
                await using var scope = BenchService.AsAdmin(app);
                await scope.ServiceProvider.GetRequiredService<ReadProgrammes>().OneAsync(programme, 1, ct);
            }
        }));
        log($"  {figures[^1].What}: {figures[^1].Elapsed.TotalMilliseconds / Reads:F1} ms each; its statements, slowest first:");
        foreach (var s in profiler.Snapshot().OrderByDescending(s => s.ReaderOpen + s.Execute).Take(8))
            log($"    {s.Execute.TotalMilliseconds / Math.Max(s.Count, 1),8:F1} ms  ×{s.Count}  {s.Statement}");
        figures.Add(await BenchService.MeasureAsync($"raw: the members grouped alike (key projects also by their months) with their amounts, months done and progress by month, the first 100 by colour, {Reads} times", Reads, async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            for (var n = 0; n < Reads; n++)
            {
                await using var batch = new NpgsqlBatch(connection)
                {
                    BatchCommands =
                    {
                        new("""
                            SELECT i.status, i.phase, i.health_colour, i.last_reported_at IS NOT NULL, i.planned_start <= current_date,
                                   CASE WHEN k.initiative_id IS NULL THEN 0 ELSE date_part('month', greatest(i.planned_start, date_trunc('year', current_date)::date)) END,
                                   CASE WHEN k.initiative_id IS NULL THEN 0 ELSE date_part('month', least(i.deadline, (date_trunc('year', current_date) + interval '1 year - 1 day')::date)) END,
                                   avg(i.progress), count(*), sum(coalesce(k.planned_investment, 0)), sum(coalesce(k.completed_investment, 0)),
                                   sum(k.completed_by_month[1]), sum(k.completed_by_month[2]), sum(k.completed_by_month[3]), sum(k.completed_by_month[4]),
                                   sum(k.completed_by_month[5]), sum(k.completed_by_month[6]), sum(k.completed_by_month[7]), sum(k.completed_by_month[8]),
                                   sum(k.completed_by_month[9]), sum(k.completed_by_month[10]), sum(k.completed_by_month[11]), sum(k.completed_by_month[12]),
                                   sum(i.progress_by_month[1]), sum(i.progress_by_month[2]), sum(i.progress_by_month[3]), sum(i.progress_by_month[4]),
                                   sum(i.progress_by_month[5]), sum(i.progress_by_month[6]), sum(i.progress_by_month[7]), sum(i.progress_by_month[8]),
                                   sum(i.progress_by_month[9]), sum(i.progress_by_month[10]), sum(i.progress_by_month[11]), sum(i.progress_by_month[12])
                            FROM initiatives i LEFT JOIN key_projects k ON k.initiative_id = i.id
                            WHERE EXISTS (SELECT 1 FROM programme_items m WHERE m.programme_id = $1 AND m.initiative_id = i.id)
                            GROUP BY 1, 2, 3, 4, 5, 6, 7
                            """) { Parameters = { new() { Value = programme } } },
                        new("""
                            SELECT i.id, i.code, i.title, d.name, i.status, i.phase, i.health_colour, i.progress, i.last_reported_on
                            FROM initiatives i JOIN departments d ON d.id = i.lead_department_id
                            WHERE EXISTS (SELECT 1 FROM programme_items m WHERE m.programme_id = $1 AND m.initiative_id = i.id)
                            ORDER BY CASE i.health_colour WHEN 'Red' THEN 0 WHEN 'Amber' THEN 1 ELSE 2 END, i.code, i.id LIMIT 101
                            """) { Parameters = { new() { Value = programme } } },
                    },
                };
                await using var reader = await batch.ExecuteReaderAsync(ct);
                do
                {
                    while (await reader.ReadAsync(ct)) { }
                }
                while (await reader.NextResultAsync(ct));
            }
        }));
        log($"  {figures[^1].What}: {figures[^1].Elapsed.TotalMilliseconds / Reads:F1} ms each");
        return figures;
    }

}
