using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Initiatives;
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
        foreach (var s in profiler.Snapshot().OrderByDescending(s => s.ReaderOpen + s.Execute).Take(10))
            log($"    {s.Execute.TotalMilliseconds / Math.Max(s.Count, 1),8:F1} ms (reader open {s.ReaderOpen.TotalMilliseconds / Math.Max(s.Count, 1):F1})  ×{s.Count}  {s.Statement}");
        foreach (var gap in profiler.Gaps(5))
            log($"    client {gap.Idle.TotalMilliseconds,8:F1} ms between {gap.After[..Math.Min(40, gap.After.Length)]} … and {gap.Before[..Math.Min(40, gap.Before.Length)]} …");
        figures.Add(await BenchService.MeasureAsync($"raw: the programme's kept groups and the first 100 by colour, {Reads} times", Reads, () => RawAsync(connectionString, programme, """
            SELECT * FROM programme_counts WHERE programme_id = $1 AND items > 0
            """, ct)));
        log($"  {figures[^1].What}: {figures[^1].Elapsed.TotalMilliseconds / Reads:F1} ms each");
        // What a reader of part of the set pays (an official, a deputy): the members summed, by hand over the whole set.
        figures.Add(await BenchService.MeasureAsync($"raw: the members grouped alike and summed, and the first 100 by colour, {Reads} times", Reads, () => RawAsync(connectionString, programme, """
            SELECT i.status, i.phase, i.health_colour, i.last_reported_at IS NOT NULL, i.start_due,
                   date_part('month', greatest(i.planned_start, date_trunc('year', current_date)::date)),
                   date_part('month', least(i.deadline, (date_trunc('year', current_date) + interval '1 year - 1 day')::date)),
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
            """, ct)));
        log($"  {figures[^1].What}: {figures[^1].Elapsed.TotalMilliseconds / Reads:F1} ms each");

        // What keeping the groups costs the writers: the day's refresh of the members' health, with and without the trigger.
        // First the whole city's health of the day (the generator leaves it to the day's job), unmeasured.
        await RefreshAsync(app, ct);
        foreach (var kept in new[] { false, true, false, true })
        {
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync(ct);
                await using var reset = new NpgsqlCommand($"""
                    ALTER TABLE initiatives {(kept ? "ENABLE" : "DISABLE")} TRIGGER initiatives_programme_counts_update;
                    UPDATE initiatives SET health_on = NULL WHERE id IN (SELECT initiative_id FROM programme_items WHERE programme_id = {programme});
                    """, connection);
                await reset.ExecuteNonQueryAsync(ct);
            }
            figures.Add(await BenchService.MeasureAsync($"the day's refresh of the {members:N0} members' health, {(kept ? "with" : "without")} the programme's kept groups", members, () =>
                RefreshAsync(app, ct)));
            log($"  {figures[^1].What}: {figures[^1].Elapsed.TotalMilliseconds:F0} ms");
        }
        return figures;
    }

    private static async Task RefreshAsync(WebApplication app, CancellationToken ct)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var today = scope.ServiceProvider.GetRequiredService<OfficeClock>().Today;
        await KeptFigures.RefreshAsync(scope.ServiceProvider.GetRequiredService<TrackerDbContext>(),
            new HealthContext(today, scope.ServiceProvider.GetRequiredService<HealthPolicy>()), ct);
    }

    /// <summary>The figures' statement given, with the first page as the service reads it, in one batch.</summary>
    private static async Task RawAsync(string connectionString, int programme, string figures, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        for (var n = 0; n < Reads; n++)
        {
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new(figures) { Parameters = { new() { Value = programme } } },
                    new("""
                        SELECT i.id, i.code, i.title, d.name, i.status, i.phase, i.health_colour, i.progress, i.last_reported_on
                        FROM programme_items m JOIN initiatives i ON i.id = m.initiative_id JOIN departments d ON d.id = i.lead_department_id
                        WHERE m.programme_id = $1
                        ORDER BY m.colour_rank, m.code, m.initiative_id LIMIT 101
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
    }
}
