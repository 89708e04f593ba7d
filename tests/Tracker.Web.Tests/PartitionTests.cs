using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Progress;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>The history tables partitioned by year (decision 0020).</summary>
public sealed class PartitionTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    private static readonly string[] History = ["progress_reports", "report_values", "audit_log", "reminders"];

    [Fact]
    public async Task The_four_history_tables_are_partitioned_by_range_with_one_partition_per_year_and_no_default()
    {
        await using var db = app.Db();
        // The audit's bounds are instants, printed in the session's zone.
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("SET TIME ZONE 'UTC'");

        var partitions = await db.Database.SqlQuery<string>($"""
            SELECT p.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) AS "Value"
            FROM pg_partitioned_table t JOIN pg_class p ON p.oid = t.partrelid
            JOIN pg_inherits i ON i.inhparent = p.oid JOIN pg_class c ON c.oid = i.inhrelid
            WHERE t.partstrat = 'r'
            """).ToListAsync();

        foreach (var table in History)
            Assert.Contains(table == "audit_log"
                ? "audit_log FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2027-01-01 00:00:00+00')"
                : $"{table} FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')", partitions);
        Assert.Equal(History.Order(), partitions.Select(p => p.Split(' ')[0]).Distinct().Order());
        Assert.DoesNotContain(partitions, p => p.Contains("DEFAULT"));
    }

    [Fact]
    public async Task A_report_its_values_and_audit_land_in_this_years_partitions_and_a_reminder_in_its_days_year()
    {
        var (item, report) = await ReportAsync();
        await using var db = app.Db();
        db.Reminders.Add(new Reminder { InitiativeId = item, Reason = ReminderReason.Silent, Level = 1, Period = new DateOnly(2027, 1, 4), Days = 8, CreatedAt = TrackerApp.Start });
        await db.SaveChangesAsync();

        Assert.Equal("progress_reports_2026", await PartitionOfAsync(db, $"SELECT tableoid::regclass::text AS \"Value\" FROM progress_reports WHERE id = {report}"));
        Assert.Equal("report_values_2026", await PartitionOfAsync(db, $"SELECT tableoid::regclass::text AS \"Value\" FROM report_values WHERE report_id = {report}"));
        // The audit names the report by its id alone, as before: the partition column is not part of its name.
        Assert.Equal("audit_log_2026", await PartitionOfAsync(db, $"SELECT tableoid::regclass::text AS \"Value\" FROM audit_log WHERE entity_type = 'ProgressReport' AND entity_id = {report.ToString()}"));
        Assert.Equal("reminders_2027", await PartitionOfAsync(db, $"SELECT tableoid::regclass::text AS \"Value\" FROM reminders WHERE initiative_id = {item}"));
    }

    [Theory]
    [InlineData("UPDATE progress_reports SET narrative = 'rewritten'")]
    [InlineData("UPDATE progress_reports_2026 SET narrative = 'rewritten'")]
    [InlineData("DELETE FROM report_values_2026")]
    [InlineData("UPDATE audit_log_2026 SET user_name = 'someone else'")]
    [InlineData("DELETE FROM audit_log_2026")]
    // Without CASCADE the reports' foreign keys refuse it before any trigger; with it, the triggers must.
    [InlineData("TRUNCATE progress_reports CASCADE")]
    [InlineData("TRUNCATE progress_reports_2026 CASCADE")]
    [InlineData("TRUNCATE report_values_2026")]
    [InlineData("TRUNCATE audit_log_2026")]
    [InlineData("TRUNCATE audit_log_2027")]
    public async Task History_is_append_only_through_the_parent_and_through_each_partition_by_name(string sql)
    {
        await ReportAsync();
        await using var db = app.Db();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync(sql));

        Assert.Contains("append-only", refused.MessageText);
    }

    [Fact]
    public async Task The_year_partitions_job_run_twice_and_at_once_creates_next_years_partitions_once_each_append_only()
    {
        var clock = new OfficeClock(new FakeTimeProvider(new DateTimeOffset(2045, 12, 20, 2, 0, 0, TimeSpan.Zero)), app.Services.GetRequiredService<OfficeClock>().Zone);

        var first = await Task.WhenAll(RunJobAsync(clock), RunJobAsync(clock));
        var second = await RunJobAsync(clock);

        // Years beyond the tests' template (TestPostgres): 2045 and 2046, four tables each; whichever run came second found them made.
        Assert.Equal(8, first.Sum());
        Assert.Equal(0, second);
        await using var db = app.Db();
        var triggers = await db.Database.SqlQuery<string>($"""
            SELECT c.relname || ' ' || t.tgname AS "Value" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relname LIKE '%2046' ORDER BY 1
            """).ToListAsync();
        Assert.Equal([
            "audit_log_2046 audit_log_2046_no_truncate", "audit_log_2046 audit_log_append_only",
            "progress_reports_2046 progress_reports_2046_no_truncate", "progress_reports_2046 progress_reports_append_only",
            "report_values_2046 report_values_2046_no_truncate", "report_values_2046 report_values_append_only",
        ], triggers.Where(t => !t.Contains("RI_Constraint")));
        db.AuditLog.Add(new() { At = new DateTimeOffset(2046, 3, 1, 0, 0, 0, TimeSpan.Zero), UserName = "system", Action = "Created", EntityType = "Test", EntityId = "1" });
        await db.SaveChangesAsync();
        Assert.Equal("audit_log_2046", await PartitionOfAsync(db, $"SELECT tableoid::regclass::text AS \"Value\" FROM audit_log WHERE entity_type = 'Test'"));
        foreach (var sql in new[] { "UPDATE audit_log_2046 SET user_name = 'x'", "DELETE FROM audit_log_2046", "TRUNCATE audit_log_2046", "TRUNCATE progress_reports_2046 CASCADE" })
            Assert.Contains("append-only", (await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync(sql))).MessageText);
    }

    [Fact]
    public async Task One_items_reports_of_a_year_are_read_from_that_years_partition_alone()
    {
        var (item, _) = await ReportAsync();
        await using var db = app.Db();

        var (from, to) = (new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1));

        // The year is stated of both tables: pruning reads the conditions of each, not what the join implies.
        var plan = string.Join("\n", await db.Database.SqlQuery<string>($"""
            EXPLAIN SELECT r.id, v.value FROM progress_reports r JOIN report_values v ON v.report_id = r.id AND v.reported_on = r.reported_on
            WHERE r.initiative_id = {item} AND r.reported_on >= {from} AND r.reported_on < {to} AND v.reported_on >= {from} AND v.reported_on < {to}
            """).ToListAsync());

        Assert.Contains("progress_reports_2026", plan);
        Assert.Contains("report_values_2026", plan);
        Assert.DoesNotContain("_2025", plan);
        Assert.DoesNotContain("_2027", plan);
    }

    private async Task<int> RunJobAsync(OfficeClock clock)
    {
        await using var db = app.Db();
        return await new YearPartitions(db, clock).RunAsync(CancellationToken.None);
    }

    /// <summary>The one partition the rows of a query (selecting <c>tableoid::regclass::text AS "Value"</c>) are in.</summary>
    private static async Task<string> PartitionOfAsync(TrackerDbContext db, FormattableString rows) =>
        (await db.Database.SqlQuery<string>(rows).ToListAsync()).Distinct().Single();

    /// <summary>A new item with one report, posted by its official today (2026 on the test clock).</summary>
    private async Task<(long Item, long Report)> ReportAsync()
    {
        var place = await app.NewPlaceAsync();
        var item = (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId))).Detail;
        (await (await app.OfficialOf(place.CountyDepartmentId)).PostAsJsonAsync($"/api/initiatives/{item.Id}/reports",
            new ReportInput(Phase.Started, "进展", null, null, [new ReportValueInput(item.Targets[0].Id, 10)], null), TrackerApp.Json)).EnsureSuccessStatusCode();
        await using var db = app.Db();
        return (item.Id, await db.ProgressReports.Where(r => r.InitiativeId == item.Id).Select(r => r.Id).SingleAsync());
    }
}
