using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Dispatch;
using Tracker.Web.Infrastructure;

namespace Tracker.Benchmarks;

/// <summary>
/// Dispatch rounds (issue 15) at province scale: a round over every active item of a city of N items (its items written
/// and a message to each department's official), a report's answer, and the round's page — through the service's own
/// use cases, next to the raw SQL that does the same work.
/// </summary>
public sealed class DispatchBenchmark(string adminConnectionString)
{
    private const int Answers = 1_000;
    private const int Reads = 20;

    public async Task<List<SheetFigure>> RunAsync(int items, Action<string> log, CancellationToken ct)
    {
        var connectionString = await BenchService.CreateDatabaseAsync(adminConnectionString, "bench_dispatch", ct);
        await using var app = BenchService.Build(connectionString);
        await app.PrepareDatabaseAsync();
        var now = DateTimeOffset.UtcNow;
        var data = await DataGenerator.LoadAsync(connectionString, items, DateOnly.FromDateTime(now.UtcDateTime), now, ct);
        await OfficialsAsync(app, ct);
        log($"  loaded {data.Initiatives:N0} items ({data.Active:N0} active) and an official for each of {data.Departments} departments");
        var figures = new List<SheetFigure>();

        DispatchDetail? round = null;
        figures.Add(await BenchService.MeasureAsync($"open a round of {data.Active:N0} items (OpenDispatchRound)", data.Active, async () =>
        {
            await using var scope = BenchService.AsAdmin(app);
            round = await scope.ServiceProvider.GetRequiredService<OpenDispatchRound>().RunAsync(
                new DispatchInput(1, "全市重点工作周调度", "本周进展", null, null, false, null, now.AddDays(4), true), ct);
        }));
        log($"  {figures[^1].What}: {figures[^1].Elapsed.TotalSeconds:F2} s");
        figures.Add(await BenchService.MeasureAsync($"raw INSERT … SELECT of the same {data.Active:N0} items", data.Active, () => RawOpenAsync(connectionString, ct)));
        log($"  {figures[^1].What}: {figures[^1].Elapsed.TotalSeconds:F2} s");

        // Answers: the statement a report runs in its transaction, on items picked at random among the round's.
        var ids = await RoundItemsAsync(connectionString, round!.Id, Answers, ct);
        figures.Add(await BenchService.MeasureAsync($"{Answers:N0} answers, one each (DispatchAnswers.RecordAsync)", Answers, async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
            foreach (var (id, n) in ids.Select((id, n) => (id, n)))
                await DispatchAnswers.RecordAsync(db, id, -n - 1, now.AddMinutes(n % 60), withFigures: true, ct);
        }));
        log($"  {figures[^1].What}: {figures[^1].Elapsed.TotalMilliseconds / Answers:F2} ms each");

        figures.Add(await BenchService.MeasureAsync($"the round read {Reads} times (ReadDispatch.OneAsync: {data.Departments} departments)", Reads, async () =>
        {
            for (var n = 0; n < Reads; n++)
            {
                await using var scope = BenchService.AsAdmin(app);
                await scope.ServiceProvider.GetRequiredService<ReadDispatch>().OneAsync(round.Id, ct);
            }
        }));
        log($"  {figures[^1].What}: {figures[^1].Elapsed.TotalMilliseconds / Reads:F0} ms each");
        figures.Add(await BenchService.MeasureAsync($"raw: the round, its departments' counts and first 100 items not on time, {Reads} times", Reads, () => RawTallyAsync(connectionString, round.Id, round.DueAt, ct)));
        log($"  {figures[^1].What}: {figures[^1].Elapsed.TotalMilliseconds / Reads:F0} ms each");
        return figures;
    }

    /// <summary>One official per department, so that opening writes a message to each department asked.</summary>
    private static async Task OfficialsAsync(WebApplication app, CancellationToken ct)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TrackerUser>>();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        foreach (var department in db.Departments.Select(d => d.Id).ToList())
        {
            var email = $"official-{department}@bench.local";
            var user = new TrackerUser { UserName = email, Email = email, DisplayName = $"科员 {department}", DepartmentId = department };
            await users.CreateAsync(user);
            await users.AddToRoleAsync(user, Roles.Official);
            ct.ThrowIfCancellationRequested();
        }
    }

    private static async Task RawOpenAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            INSERT INTO dispatch_rounds (jurisdiction_id, title, instructions, figures_required, opens_at, due_at, weekly, status, created_by, created_at)
            VALUES (1, 'raw', '', false, now(), now() + interval '4 days', false, 'Open', 'bench', now());
            INSERT INTO dispatch_items (round_id, initiative_id, department_id)
            SELECT currval(pg_get_serial_sequence('dispatch_rounds', 'id')), i.id, i.lead_department_id FROM initiatives i
            WHERE i.jurisdiction_path LIKE '/1/%' AND i.status IN ('Planned', 'InProgress');
            """, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<List<long>> RoundItemsAsync(string connectionString, long round, int count, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        // The answers point at no real report, which no foreign key checks since the reports are partitioned (decision 0020).
        await using var command = new NpgsqlCommand("SELECT initiative_id FROM dispatch_items WHERE round_id = $1 ORDER BY random() LIMIT $2", connection)
        {
            Parameters = { new() { Value = round }, new() { Value = count } },
        };
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetInt64(0));
        return ids;
    }

    /// <summary>What the round's page needs, by hand: its departments' counts and its first 100 items not answered on time.</summary>
    private static async Task RawTallyAsync(string connectionString, long round, DateTimeOffset due, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        for (var n = 0; n < Reads; n++)
        {
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new("SELECT r.id, r.title, r.due_at FROM dispatch_rounds r WHERE r.id = $1") { Parameters = { new() { Value = round } } },
                    new("SELECT c.department_id, d.name, c.items, c.on_time, c.late FROM dispatch_counts c JOIN departments d ON d.id = c.department_id WHERE c.round_id = $1")
                    {
                        Parameters = { new() { Value = round } },
                    },
                    new("""
                        SELECT i.id, i.code, i.title, p.name, f.answered_at
                        FROM (SELECT x.initiative_id, x.department_id, x.answered_at FROM dispatch_items x
                              WHERE x.round_id = $1 AND (x.answered_at IS NULL OR x.answered_at > $2) ORDER BY x.department_id, x.initiative_id LIMIT 100) f
                        JOIN initiatives i ON i.id = f.initiative_id JOIN departments p ON p.id = f.department_id
                        """) { Parameters = { new() { Value = round }, new() { Value = due } } },
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
