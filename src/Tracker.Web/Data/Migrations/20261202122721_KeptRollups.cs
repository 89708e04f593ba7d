using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeptRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "department_counts",
                columns: table => new
                {
                    department_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    department_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    path = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    items = table.Column<int>(type: "integer", nullable: false),
                    completed = table.Column<int>(type: "integer", nullable: false),
                    due = table.Column<int>(type: "integer", nullable: false),
                    on_time = table.Column<int>(type: "integer", nullable: false),
                    progress_sum = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    red = table.Column<int>(type: "integer", nullable: false),
                    overdue = table.Column<int>(type: "integer", nullable: false),
                    has_due = table.Column<bool>(type: "boolean", nullable: false, computedColumnSql: "due > 0", stored: true),
                    on_time_rate = table.Column<decimal>(type: "numeric(18,12)", precision: 18, scale: 12, nullable: false, computedColumnSql: "CASE WHEN due = 0 THEN 0 ELSE on_time::numeric / due END", stored: true),
                    average_progress = table.Column<decimal>(type: "numeric(18,12)", precision: 18, scale: 12, nullable: false, computedColumnSql: "CASE WHEN items = 0 THEN 0 ELSE progress_sum / items END", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_department_counts", x => new { x.department_id, x.year });
                });

            migrationBuilder.CreateTable(
                name: "department_flags",
                columns: table => new
                {
                    department_id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    department_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    path = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    red = table.Column<int>(type: "integer", nullable: false),
                    amber = table.Column<int>(type: "integer", nullable: false),
                    green = table.Column<int>(type: "integer", nullable: false),
                    grey = table.Column<int>(type: "integer", nullable: false),
                    overdue = table.Column<int>(type: "integer", nullable: false),
                    lagging = table.Column<int>(type: "integer", nullable: false),
                    silent = table.Column<int>(type: "integer", nullable: false),
                    milestone_overdue = table.Column<int>(type: "integer", nullable: false),
                    flagged = table.Column<int>(type: "integer", nullable: false, computedColumnSql: "overdue + lagging + silent + milestone_overdue + red", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_department_flags", x => x.department_id);
                });

            migrationBuilder.CreateTable(
                name: "jurisdiction_flags",
                columns: table => new
                {
                    jurisdiction_id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    path = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    red = table.Column<int>(type: "integer", nullable: false),
                    amber = table.Column<int>(type: "integer", nullable: false),
                    green = table.Column<int>(type: "integer", nullable: false),
                    grey = table.Column<int>(type: "integer", nullable: false),
                    overdue = table.Column<int>(type: "integer", nullable: false),
                    lagging = table.Column<int>(type: "integer", nullable: false),
                    silent = table.Column<int>(type: "integer", nullable: false),
                    milestone_overdue = table.Column<int>(type: "integer", nullable: false),
                    flagged = table.Column<int>(type: "integer", nullable: false, computedColumnSql: "overdue + lagging + silent + milestone_overdue + red", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_jurisdiction_flags", x => x.jurisdiction_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_supervision_notices_escalated",
                table: "supervision_notices",
                column: "initiative_id",
                filter: "escalated AND status <> 'Closed'");

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_published_deadline_id",
                table: "initiatives",
                columns: new[] { "deadline", "id" },
                filter: "is_published AND kind = 'Livelihood'");

            migrationBuilder.CreateIndex(
                name: "ix_follow_ups_unanswered",
                table: "follow_ups",
                columns: new[] { "due_on", "initiative_id" },
                filter: "answer IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_department_counts_rank",
                table: "department_counts",
                columns: new[] { "year", "has_due", "on_time_rate", "average_progress", "department_name", "department_id" },
                descending: new[] { false, true, true, true, false, false },
                filter: "items > 0");

            migrationBuilder.CreateIndex(
                name: "ix_department_flags_board",
                table: "department_flags",
                columns: new[] { "red", "overdue", "department_id" },
                descending: new[] { true, true, false },
                filter: "flagged > 0");

            migrationBuilder.CreateIndex(
                name: "ix_department_flags_red",
                table: "department_flags",
                columns: new[] { "red", "department_name", "department_id" },
                descending: new[] { true, false, false },
                filter: "red > 0");

            migrationBuilder.CreateIndex(
                name: "ix_jurisdiction_flags_path",
                table: "jurisdiction_flags",
                column: "path")
                .Annotation("Npgsql:IndexOperators", new[] { "text_pattern_ops" });
        
            migrationBuilder.Sql(KeptRollupSql.Up);
            migrationBuilder.Sql("SELECT rebuild_item_counts();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(KeptRollupSql.Down);
            migrationBuilder.DropTable(
                name: "department_counts");

            migrationBuilder.DropTable(
                name: "department_flags");

            migrationBuilder.DropTable(
                name: "jurisdiction_flags");

            migrationBuilder.DropIndex(
                name: "ix_supervision_notices_escalated",
                table: "supervision_notices");

            migrationBuilder.DropIndex(
                name: "ix_initiatives_published_deadline_id",
                table: "initiatives");

            migrationBuilder.DropIndex(
                name: "ix_follow_ups_unanswered",
                table: "follow_ups");
        }
    }

    /// <summary>
    /// The roll-ups kept beside <c>item_counts</c> by the same statement triggers over the changed items: per lead
    /// department and year (the ranking), per lead department and per jurisdiction over every year (the board's groups,
    /// its colours and the negative list). Each upsert takes its groups in key order, and the tables always in the same
    /// order, so that concurrent writers lock them alike. The department's name and path are copied on its rows and
    /// follow a rename or a move.
    /// </summary>
    internal static class KeptRollupSql
    {
        private sealed record Rollup(string Table, string[] Key, string[] KeyFrom, string Join, (string Column, string From)[] Copied, (string Column, string Expression)[] Counted);

        private static readonly (string, string)[] Flags =
        [
            ("red", "(r.health_colour = 'Red')::int"),
            ("amber", "(r.health_colour = 'Amber')::int"),
            ("green", "(r.health_colour = 'Green')::int"),
            ("grey", "(r.health_colour = 'Grey')::int"),
            ("overdue", "r.overdue::int"),
            ("lagging", "r.lagging::int"),
            ("silent", "r.silent::int"),
            ("milestone_overdue", "r.milestone_overdue::int"),
        ];

        private const string DepartmentJoin = "JOIN departments AS d ON d.id = r.lead_department_id JOIN jurisdictions AS j ON j.id = d.jurisdiction_id";

        // extensions (a later migration): the approved changes that moved each item's deadline later, for the ranking.
        private static Rollup[] Rollups(bool extensions) =>
        [
            new("department_counts", ["department_id", "year"], ["r.lead_department_id", "r.year"], DepartmentJoin,
                [("department_name", "d.name"), ("path", "coalesce(j.path, '')")],
                [
                    ("items", "1"),
                    ("completed", "(r.status = 'Completed')::int"),
                    ("due", "r.due::int"),
                    ("on_time", "(r.completed_on IS NOT NULL AND r.completed_on <= r.deadline)::int"),
                    ("progress_sum", "r.progress"),
                    ("red", "(r.health_colour = 'Red')::int"),
                    ("overdue", "r.overdue::int"),
                    .. (extensions ? [("extensions", "r.extensions")] : Array.Empty<(string, string)>()),
                ]),
            new("department_flags", ["department_id"], ["r.lead_department_id"], DepartmentJoin,
                [("department_name", "d.name"), ("path", "coalesce(j.path, '')")], Flags),
            new("jurisdiction_flags", ["jurisdiction_id"], ["r.jurisdiction_id"], "",
                [("path", "coalesce(r.jurisdiction_path, '')")], Flags),
        ];

        private static string Upsert(Rollup u, string rows) => $"""
            INSERT INTO {u.Table} AS c ({string.Join(", ", u.Key.Concat(u.Copied.Select(x => x.Column)).Concat(u.Counted.Select(x => x.Column)))})
            SELECT {string.Join(", ", u.KeyFrom.Concat(u.Copied.Select(x => $"min({x.From})")).Concat(u.Counted.Select(x => $"sum(r.sign * {x.Expression})")))}
            FROM ({rows}) AS r {u.Join}
            GROUP BY {string.Join(", ", u.KeyFrom)}
            HAVING {string.Join(" OR ", u.Counted.Select(x => $"sum(r.sign * {x.Expression}) <> 0"))}
            ORDER BY {string.Join(", ", u.Key.Select((_, n) => n + 1))}
            ON CONFLICT ({string.Join(", ", u.Key)}) DO UPDATE SET {string.Join(", ", u.Counted.Select(x => $"{x.Column} = c.{x.Column} + excluded.{x.Column}"))}
            """;

        private static string Upserts(string rows, bool extensions) => string.Join(";\n", Rollups(extensions).Select(u => Upsert(u, rows)));

        private static string Function(string name, string itemCounts, string rows, bool extensions) => $"""
            CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {itemCounts};
                {Upserts(rows, extensions)};
                RETURN NULL;
            END $$;
            """;

        // item_counts' own upsert, as the previous migration wrote it (its statement stays first).
        private static string ItemCounts(string rows) => KeptSql.Upsert(rows);

        private const string Inserted = "SELECT 1 AS sign, * FROM new_rows";
        private const string Deleted = "SELECT -1 AS sign, * FROM old_rows";
        private const string Updated = "SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows";

        /// <summary>The three statement triggers' functions and <c>rebuild_item_counts()</c>, with or without the extensions count.</summary>
        internal static string Functions(bool extensions) => string.Join("\n", [
            Function("item_counts_inserted", ItemCounts(Inserted), Inserted, extensions),
            Function("item_counts_deleted", ItemCounts(Deleted), Deleted, extensions),
            Function("item_counts_updated", ItemCounts(Updated), Updated, extensions),
            $"""
            CREATE OR REPLACE FUNCTION rebuild_item_counts() RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                LOCK TABLE initiatives IN SHARE MODE;
                DELETE FROM item_counts;
                DELETE FROM department_counts;
                DELETE FROM department_flags;
                DELETE FROM jurisdiction_flags;
                {ItemCounts("SELECT 1 AS sign, * FROM initiatives")};
                {Upserts("SELECT 1 AS sign, * FROM initiatives", extensions)};
            END $$;
            """,
        ]);

        public static readonly string Up = string.Join("\n", [
            Functions(extensions: false),
            """
            CREATE OR REPLACE FUNCTION follow_jurisdiction_path() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE initiatives SET jurisdiction_path = NEW.path WHERE jurisdiction_id = NEW.id AND jurisdiction_path IS DISTINCT FROM NEW.path;
                UPDATE item_counts SET jurisdiction_path = NEW.path WHERE jurisdiction_id = NEW.id AND jurisdiction_path IS DISTINCT FROM NEW.path;
                UPDATE jurisdiction_flags SET path = NEW.path WHERE jurisdiction_id = NEW.id AND path IS DISTINCT FROM NEW.path;
                UPDATE department_counts AS c SET path = NEW.path FROM departments AS d
                    WHERE d.id = c.department_id AND d.jurisdiction_id = NEW.id AND c.path IS DISTINCT FROM NEW.path;
                UPDATE department_flags AS c SET path = NEW.path FROM departments AS d
                    WHERE d.id = c.department_id AND d.jurisdiction_id = NEW.id AND c.path IS DISTINCT FROM NEW.path;
                RETURN NULL;
            END $$;

            CREATE FUNCTION follow_department() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                p text := coalesce((SELECT path FROM jurisdictions WHERE id = NEW.jurisdiction_id), '');
            BEGIN
                UPDATE department_counts SET department_name = NEW.name, path = p WHERE department_id = NEW.id;
                UPDATE department_flags SET department_name = NEW.name, path = p WHERE department_id = NEW.id;
                RETURN NULL;
            END $$;
            CREATE TRIGGER departments_rollups AFTER UPDATE OF name, jurisdiction_id ON departments
                FOR EACH ROW EXECUTE FUNCTION follow_department();
            """,
        ]);

        public const string Down = """
            DROP TRIGGER departments_rollups ON departments;
            DROP FUNCTION follow_department();
            """;
    }
}
