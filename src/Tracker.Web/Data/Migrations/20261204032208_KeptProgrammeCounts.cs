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
            migrationBuilder.AddColumn<string>(
                name: "code",
                table: "programme_items",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<short>(
                name: "colour_rank",
                table: "programme_items",
                type: "smallint",
                nullable: false,
                defaultValue: (short)0);

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

            migrationBuilder.CreateIndex(
                name: "ix_programme_items_programme_id_colour_rank_code_initiative_id",
                table: "programme_items",
                columns: new[] { "programme_id", "colour_rank", "code", "initiative_id" });

            // The day's start flag for the day the kept health is of, the members' colours and codes; then the counts, from scratch.
            migrationBuilder.Sql("UPDATE initiatives SET start_due = true WHERE planned_start <= health_on;");
            migrationBuilder.Sql(ProgrammeCountSql.Up);
            migrationBuilder.Sql($"UPDATE programme_items AS m SET colour_rank = {ProgrammeCountSql.Rank("i")}, code = i.code FROM initiatives AS i WHERE i.id = m.initiative_id;");
            migrationBuilder.Sql("SELECT rebuild_programme_counts();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ProgrammeCountSql.Down);
            migrationBuilder.DropTable(
                name: "programme_counts");

            migrationBuilder.DropIndex(
                name: "ix_programme_items_programme_id_colour_rank_code_initiative_id",
                table: "programme_items");

            migrationBuilder.DropColumn(
                name: "code",
                table: "programme_items");

            migrationBuilder.DropColumn(
                name: "colour_rank",
                table: "programme_items");

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
    /// lock them alike. A report writes its key project's month after its item's row, whose lock it then holds, so a
    /// concurrent change of the item (the day's refresh) cannot move it between groups in between. The same trigger on
    /// <c>initiatives</c> copies each member's colour rank and code onto the programme's list, for its order. An item in a
    /// programme cannot be deleted (the list's key refuses it). <c>rebuild_programme_counts()</c> writes them all from scratch.
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

        /// <summary>The order a programme's list shows its items in: red, amber, the rest.</summary>
        internal static string Rank(string item) => $"CASE {item}.health_colour WHEN 'Red' THEN 0 WHEN 'Amber' THEN 1 ELSE 2 END";

        // The members' colour and code, copied onto the programme's list when an item changes — first, so that a change
        // of an item and a change of the list lock the list's row before the counts, never the other way round (no
        // deadlock), and the counts then see the list as it is.
        private static readonly string FollowItems = $"""
            UPDATE programme_items AS m SET colour_rank = {Rank("n")}, code = n.code FROM new_rows AS n
            WHERE m.initiative_id = n.id AND (m.colour_rank, m.code) IS DISTINCT FROM ({Rank("n")}, n.code)
            """;

        // Dynamic SQL: planned at each run for the rows it has, since a plan cached for one item's report would walk the
        // day's refresh of 20,000 items the same way, and one cached for the refresh would scan tables for one report.
        private static string Trigger(string table, string name, string when, string referencing, Func<string, string> source, string rows) => $"""
            CREATE FUNCTION programme_counts_{name}_{when}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {(table == "initiatives" ? $"EXECUTE $sql$ {FollowItems} $sql$;" : "")}
                EXECUTE $sql$ {Upsert(source(rows))} $sql$;
                RETURN NULL;
            END $$;
            CREATE TRIGGER {table}_programme_counts_{when} AFTER {when.ToUpperInvariant()} ON {table} REFERENCING {referencing}
                FOR EACH STATEMENT EXECUTE FUNCTION programme_counts_{name}_{when}();
            """;

        // An item is in no programme when it is inserted, and one in a programme is not deleted (the list's key refuses it);
        // a programme's list is only added to and taken from (its colour and code follow the item, not the counts).
        private static readonly (string Table, string Name, Func<string, string> Source, string[] Events)[] Tables =
        [
            ("initiatives", "items", FromItems, ["update"]),
            ("key_projects", "key_projects", FromKeyProjects, ["update", "insert", "delete"]),
            ("programme_items", "members", FromMembers, ["insert", "delete"]),
        ];

        private static (string Referencing, string Rows) Event(string when) => when switch
        {
            "update" => ("OLD TABLE AS old_rows NEW TABLE AS new_rows", Changed),
            "insert" => ("NEW TABLE AS new_rows", Inserted),
            _ => ("OLD TABLE AS old_rows", Deleted),
        };

        public static readonly string Up = string.Join("\n", [
            .. Tables.SelectMany(t => t.Events.Select(e => Trigger(t.Table, t.Name, e, Event(e).Referencing, t.Source, Event(e).Rows))),
            $"""
            CREATE FUNCTION programme_items_follow_item() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                SELECT {Rank("i")}, i.code INTO NEW.colour_rank, NEW.code FROM initiatives AS i WHERE i.id = NEW.initiative_id;
                RETURN NEW;
            END $$;
            CREATE TRIGGER programme_items_follow_item BEFORE INSERT ON programme_items FOR EACH ROW EXECUTE FUNCTION programme_items_follow_item();
            """,
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
            .. Tables.SelectMany(t => t.Events.Select(e =>
                $"DROP TRIGGER {t.Table}_programme_counts_{e} ON {t.Table}; DROP FUNCTION programme_counts_{t.Name}_{e}();")),
            "DROP TRIGGER programme_items_follow_item ON programme_items; DROP FUNCTION programme_items_follow_item();",
            "DROP FUNCTION rebuild_programme_counts();",
        ]);
    }
}
