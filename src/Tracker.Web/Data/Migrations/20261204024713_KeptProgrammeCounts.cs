using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeptProgrammeCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "start_due",
                table: "initiatives",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "programme_counts",
                columns: table => new
                {
                    programme_id = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    phase = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    health_colour = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    reported = table.Column<bool>(type: "boolean", nullable: false),
                    start_due = table.Column<bool>(type: "boolean", nullable: false),
                    first_month = table.Column<int>(type: "integer", nullable: false),
                    last_month = table.Column<int>(type: "integer", nullable: false),
                    items = table.Column<int>(type: "integer", nullable: false),
                    progress_sum = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    planned = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    completed = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    invested = table.Column<decimal[]>(type: "numeric(18,2)[]", nullable: false),
                    progress_at = table.Column<decimal[]>(type: "numeric(18,4)[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_programme_counts", x => new { x.programme_id, x.status, x.phase, x.health_colour, x.reported, x.start_due, x.first_month, x.last_month });
                    table.ForeignKey(
                        name: "fk_programme_counts_programmes_programme_id",
                        column: x => x.programme_id,
                        principalTable: "programmes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // The day's start flag for the day the kept health is of; then the counts, from scratch.
            migrationBuilder.Sql("UPDATE initiatives SET start_due = true WHERE planned_start <= health_on;");
            migrationBuilder.Sql(ProgrammeCountSql.Up);
            migrationBuilder.Sql("SELECT rebuild_programme_counts();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ProgrammeCountSql.Down);
            migrationBuilder.DropTable(
                name: "programme_counts");

            migrationBuilder.DropColumn(
                name: "start_due",
                table: "initiatives");
        }
    }

    /// <summary>
    /// <c>programme_counts</c>, kept by statement triggers over the changed rows of the three tables a programme's figures
    /// read: its members (<c>initiatives</c>: status, phase, colour, reports, progress, the day's start flag, dates),
    /// their key projects (the year's plan, the investment done and its months) and its list (<c>programme_items</c>).
    /// Each change subtracts the rows as they were and adds them as they are, grouped by the key the figures read — so a
    /// row moves between groups and its amounts follow it — and takes its groups in key order so that concurrent writers
    /// lock them alike. A key project's row is written in the transaction that has just updated its item (a report, an
    /// edit), so the two never race over which group its amounts are in. Items are never deleted by the service; one
    /// deleted by hand leaves its figures until <c>rebuild_programme_counts()</c>.
    /// </summary>
    internal static class ProgrammeCountSql
    {
        private static readonly int[] Months = [.. Enumerable.Range(1, 12)];

        // Every source yields: sign, programme_id, year, status, phase, health_colour, last_reported_at, start_due,
        // planned_start, deadline, items, progress, planned, completed, invested (numeric[]), progress_by_month (numeric[]).
        private const string Changed = "SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows";
        private const string Inserted = "SELECT 1 AS sign, * FROM new_rows";
        private const string Deleted = "SELECT -1 AS sign, * FROM old_rows";

        private static string FromItems(string rows) => $"""
            SELECT s.sign, m.programme_id, p.year, s.status, s.phase, s.health_colour, s.last_reported_at, s.start_due, s.planned_start, s.deadline,
                   1 AS items, s.progress, coalesce(k.planned_investment, 0) AS planned, coalesce(k.completed_investment, 0) AS completed,
                   k.completed_by_month AS invested, s.progress_by_month
            FROM ({rows}) AS s
            JOIN programme_items AS m ON m.initiative_id = s.id
            JOIN programmes AS p ON p.id = m.programme_id
            LEFT JOIN key_projects AS k ON k.initiative_id = s.id
            """;

        private static string FromKeyProjects(string rows) => $"""
            SELECT s.sign, m.programme_id, p.year, i.status, i.phase, i.health_colour, i.last_reported_at, i.start_due, i.planned_start, i.deadline,
                   0 AS items, 0::numeric AS progress, s.planned_investment AS planned, s.completed_investment AS completed,
                   s.completed_by_month AS invested, NULL::numeric[] AS progress_by_month
            FROM ({rows}) AS s
            JOIN initiatives AS i ON i.id = s.initiative_id
            JOIN programme_items AS m ON m.initiative_id = s.initiative_id
            JOIN programmes AS p ON p.id = m.programme_id
            """;

        private static string FromMembers(string rows) => $"""
            SELECT s.sign, s.programme_id, p.year, i.status, i.phase, i.health_colour, i.last_reported_at, i.start_due, i.planned_start, i.deadline,
                   1 AS items, i.progress, coalesce(k.planned_investment, 0) AS planned, coalesce(k.completed_investment, 0) AS completed,
                   k.completed_by_month AS invested, i.progress_by_month
            FROM ({rows}) AS s
            JOIN initiatives AS i ON i.id = s.initiative_id
            JOIN programmes AS p ON p.id = s.programme_id
            LEFT JOIN key_projects AS k ON k.initiative_id = s.initiative_id
            """;

        private static string Array(Func<int, string> element) => $"ARRAY[{string.Join(", ", Months.Select(element))}]";

        // A date's month in the programme's year: before the year its first month, after it its last (as Investment.Curve takes them).
        private static string MonthOf(string date) =>
            $"CASE WHEN {date} < make_date(r.year, 1, 1) THEN 1 WHEN {date} > make_date(r.year, 12, 31) THEN 12 ELSE extract(month FROM {date})::int END";

        private static string Upsert(string source) => $"""
            WITH d AS (
                SELECT r.programme_id, r.status, r.phase, r.health_colour, r.last_reported_at IS NOT NULL AS reported, r.start_due,
                       {MonthOf("r.planned_start")} AS first_month, {MonthOf("r.deadline")} AS last_month,
                       sum(r.sign * r.items)::int AS items, sum(r.sign * r.progress) AS progress_sum,
                       sum(r.sign * r.planned) AS planned, sum(r.sign * r.completed) AS completed,
                       {Array(n => $"sum(r.sign * coalesce(r.invested[{n}], 0))")} AS invested,
                       {Array(n => $"sum(r.sign * coalesce(r.progress_by_month[{n}], 0))")} AS progress_at
                FROM ({source}) AS r
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8)
            INSERT INTO programme_counts AS c (programme_id, status, phase, health_colour, reported, start_due, first_month, last_month,
                items, progress_sum, planned, completed, invested, progress_at)
            SELECT * FROM d
            WHERE items <> 0 OR progress_sum <> 0 OR planned <> 0 OR completed <> 0
               OR invested <> array_fill(0::numeric, ARRAY[12]) OR progress_at <> array_fill(0::numeric, ARRAY[12])
            ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
            ON CONFLICT (programme_id, status, phase, health_colour, reported, start_due, first_month, last_month) DO UPDATE SET
                items = c.items + excluded.items, progress_sum = c.progress_sum + excluded.progress_sum,
                planned = c.planned + excluded.planned, completed = c.completed + excluded.completed,
                invested = {Array(n => $"c.invested[{n}] + excluded.invested[{n}]")},
                progress_at = {Array(n => $"c.progress_at[{n}] + excluded.progress_at[{n}]")}
            """;

        private static string Trigger(string table, string name, string when, string referencing, Func<string, string> source, string rows) => $"""
            CREATE FUNCTION programme_counts_{name}_{when}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {Upsert(source(rows))};
                RETURN NULL;
            END $$;
            CREATE TRIGGER {table}_programme_counts_{when} AFTER {when.ToUpperInvariant()} ON {table} REFERENCING {referencing}
                FOR EACH STATEMENT EXECUTE FUNCTION programme_counts_{name}_{when}();
            """;

        private static readonly (string Table, string Name, Func<string, string> Source, bool InsertAndDelete)[] Tables =
        [
            // An item is in no programme when it is inserted, and the service never deletes one.
            ("initiatives", "items", FromItems, false),
            ("key_projects", "key_projects", FromKeyProjects, true),
            ("programme_items", "members", FromMembers, true),
        ];

        private static IEnumerable<(string When, string Referencing, string Rows)> Events(bool insertAndDelete) =>
        [
            ("update", "OLD TABLE AS old_rows NEW TABLE AS new_rows", Changed),
            .. insertAndDelete
                ? new[] { ("insert", "NEW TABLE AS new_rows", Inserted), ("delete", "OLD TABLE AS old_rows", Deleted) }
                : [],
        ];

        public static readonly string Up = string.Join("\n", [
            .. Tables.SelectMany(t => Events(t.InsertAndDelete).Select(e => Trigger(t.Table, t.Name, e.When, e.Referencing, t.Source, e.Rows))),
            // From scratch, after a bulk load or to check the kept rows; writers to the members wait while it runs.
            $"""
            CREATE FUNCTION rebuild_programme_counts() RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                LOCK TABLE programme_items, key_projects, initiatives IN SHARE MODE;
                DELETE FROM programme_counts;
                {Upsert(FromMembers("SELECT 1 AS sign, * FROM programme_items"))};
            END $$;
            """,
        ]);

        public static readonly string Down = string.Join("\n", [
            .. Tables.SelectMany(t => Events(t.InsertAndDelete).Select(e =>
                $"DROP TRIGGER {t.Table}_programme_counts_{e.When} ON {t.Table}; DROP FUNCTION programme_counts_{t.Name}_{e.When}();")),
            "DROP FUNCTION rebuild_programme_counts();",
        ]);
    }
}
