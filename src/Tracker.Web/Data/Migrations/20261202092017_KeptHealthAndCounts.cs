using System;
using Microsoft.EntityFrameworkCore.Migrations;
using System.Linq;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeptHealthAndCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_initiatives_active_jurisdiction_deadline",
                table: "initiatives");

            migrationBuilder.DropIndex(
                name: "ix_initiatives_lead_department_id_deadline",
                table: "initiatives");

            migrationBuilder.DropIndex(
                name: "ix_initiatives_year_deadline",
                table: "initiatives");

            migrationBuilder.AddColumn<int>(
                name: "days_overdue",
                table: "initiatives",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "due",
                table: "initiatives",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<decimal>(
                name: "expected_progress",
                table: "initiatives",
                type: "numeric(9,4)",
                precision: 9,
                scale: 4,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "health_colour",
                table: "initiatives",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "Green");

            migrationBuilder.AddColumn<DateOnly>(
                name: "health_on",
                table: "initiatives",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "jurisdiction_path",
                table: "initiatives",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "lagging",
                table: "initiatives",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "lagging_red",
                table: "initiatives",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "milestone_overdue",
                table: "initiatives",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "overdue",
                table: "initiatives",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "silent",
                table: "initiatives",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "item_counts",
                columns: table => new
                {
                    jurisdiction_id = table.Column<int>(type: "integer", nullable: false),
                    department_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    jurisdiction_path = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    items = table.Column<int>(type: "integer", nullable: false),
                    planned = table.Column<int>(type: "integer", nullable: false),
                    in_progress = table.Column<int>(type: "integer", nullable: false),
                    completed = table.Column<int>(type: "integer", nullable: false),
                    suspended = table.Column<int>(type: "integer", nullable: false),
                    cancelled = table.Column<int>(type: "integer", nullable: false),
                    red = table.Column<int>(type: "integer", nullable: false),
                    amber = table.Column<int>(type: "integer", nullable: false),
                    green = table.Column<int>(type: "integer", nullable: false),
                    grey = table.Column<int>(type: "integer", nullable: false),
                    overdue = table.Column<int>(type: "integer", nullable: false),
                    milestone_overdue = table.Column<int>(type: "integer", nullable: false),
                    silent = table.Column<int>(type: "integer", nullable: false),
                    lagging = table.Column<int>(type: "integer", nullable: false),
                    lagging_red = table.Column<int>(type: "integer", nullable: false),
                    due = table.Column<int>(type: "integer", nullable: false),
                    on_time = table.Column<int>(type: "integer", nullable: false),
                    progress_sum = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_item_counts", x => new { x.jurisdiction_id, x.department_id, x.kind, x.year });
                });

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_deadline_id",
                table: "initiatives",
                columns: new[] { "deadline", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_department_deadline_id",
                table: "initiatives",
                columns: new[] { "lead_department_id", "deadline", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_flagged_deadline_id",
                table: "initiatives",
                columns: new[] { "deadline", "id" },
                filter: "overdue OR milestone_overdue OR silent OR lagging");

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_flagged_department_deadline_id",
                table: "initiatives",
                columns: new[] { "lead_department_id", "deadline", "id" },
                filter: "overdue OR milestone_overdue OR silent OR lagging");

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_flagged_jurisdiction_deadline_id",
                table: "initiatives",
                columns: new[] { "jurisdiction_id", "deadline", "id" },
                filter: "overdue OR milestone_overdue OR silent OR lagging");

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_health_on",
                table: "initiatives",
                column: "health_on");

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_jurisdiction_deadline_id",
                table: "initiatives",
                columns: new[] { "jurisdiction_id", "deadline", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_path_deadline_id",
                table: "initiatives",
                columns: new[] { "jurisdiction_path", "deadline", "id" })
                .Annotation("Npgsql:IndexOperators", new[] { "text_pattern_ops", "date_ops", "int8_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_item_counts_department_id_year",
                table: "item_counts",
                columns: new[] { "department_id", "year" });

            migrationBuilder.CreateIndex(
                name: "ix_item_counts_year_jurisdiction_path",
                table: "item_counts",
                columns: new[] { "year", "jurisdiction_path" })
                .Annotation("Npgsql:IndexOperators", new[] { "int4_ops", "text_pattern_ops" });

            migrationBuilder.Sql(KeptSql.PathTrigger);
            migrationBuilder.Sql(KeptSql.CountTriggers);
            migrationBuilder.Sql("SELECT rebuild_item_counts();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(KeptSql.Drop);
            migrationBuilder.DropTable(
                name: "item_counts");

            migrationBuilder.DropIndex(
                name: "ix_initiatives_deadline_id",
                table: "initiatives");

            migrationBuilder.DropIndex(
                name: "ix_initiatives_department_deadline_id",
                table: "initiatives");

            migrationBuilder.DropIndex(
                name: "ix_initiatives_flagged_deadline_id",
                table: "initiatives");

            migrationBuilder.DropIndex(
                name: "ix_initiatives_flagged_department_deadline_id",
                table: "initiatives");

            migrationBuilder.DropIndex(
                name: "ix_initiatives_flagged_jurisdiction_deadline_id",
                table: "initiatives");

            migrationBuilder.DropIndex(
                name: "ix_initiatives_health_on",
                table: "initiatives");

            migrationBuilder.DropIndex(
                name: "ix_initiatives_jurisdiction_deadline_id",
                table: "initiatives");

            migrationBuilder.DropIndex(
                name: "ix_initiatives_path_deadline_id",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "days_overdue",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "due",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "expected_progress",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "health_colour",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "health_on",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "jurisdiction_path",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "lagging",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "lagging_red",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "milestone_overdue",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "overdue",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "silent",
                table: "initiatives");

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_active_jurisdiction_deadline",
                table: "initiatives",
                columns: new[] { "jurisdiction_id", "deadline" },
                filter: "status IN ('Planned', 'InProgress')");

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_lead_department_id_deadline",
                table: "initiatives",
                columns: new[] { "lead_department_id", "deadline" });

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_year_deadline",
                table: "initiatives",
                columns: new[] { "year", "deadline" });
        }
    }

    /// <summary>
    /// The database's part of the kept figures: the item's jurisdiction path copied onto its row, and the counts per
    /// jurisdiction, lead department, kind and year kept by statement triggers over the changed rows (one upsert per
    /// statement, groups in key order so that concurrent writers lock them in the same order).
    /// </summary>
    internal static class KeptSql
    {
        public const string PathTrigger = """
            CREATE FUNCTION set_initiative_jurisdiction_path() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.jurisdiction_path := (SELECT path FROM jurisdictions WHERE id = NEW.jurisdiction_id);
                RETURN NEW;
            END $$;
            CREATE TRIGGER initiatives_jurisdiction_path BEFORE INSERT OR UPDATE OF jurisdiction_id ON initiatives
                FOR EACH ROW EXECUTE FUNCTION set_initiative_jurisdiction_path();
            UPDATE initiatives AS i SET jurisdiction_path = j.path FROM jurisdictions AS j WHERE j.id = i.jurisdiction_id;

            -- A jurisdiction's path is written once its id is known, possibly after items were added in the same save.
            CREATE FUNCTION follow_jurisdiction_path() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE initiatives SET jurisdiction_path = NEW.path WHERE jurisdiction_id = NEW.id AND jurisdiction_path IS DISTINCT FROM NEW.path;
                UPDATE item_counts SET jurisdiction_path = NEW.path WHERE jurisdiction_id = NEW.id AND jurisdiction_path IS DISTINCT FROM NEW.path;
                RETURN NULL;
            END $$;
            CREATE TRIGGER jurisdictions_path AFTER UPDATE OF path ON jurisdictions
                FOR EACH ROW EXECUTE FUNCTION follow_jurisdiction_path();
            """;

        // Each kept count and the expression over an initiatives row that it sums.
        private static readonly (string Column, string Expression)[] Counted =
        [
            ("items", "1"),
            ("planned", "(r.status = 'Planned')::int"),
            ("in_progress", "(r.status = 'InProgress')::int"),
            ("completed", "(r.status = 'Completed')::int"),
            ("suspended", "(r.status = 'Suspended')::int"),
            ("cancelled", "(r.status = 'Cancelled')::int"),
            ("red", "(r.health_colour = 'Red')::int"),
            ("amber", "(r.health_colour = 'Amber')::int"),
            ("green", "(r.health_colour = 'Green')::int"),
            ("grey", "(r.health_colour = 'Grey')::int"),
            ("overdue", "r.overdue::int"),
            ("milestone_overdue", "r.milestone_overdue::int"),
            ("silent", "r.silent::int"),
            ("lagging", "r.lagging::int"),
            ("lagging_red", "r.lagging_red::int"),
            ("due", "r.due::int"),
            ("on_time", "(r.completed_on IS NOT NULL AND r.completed_on <= r.deadline)::int"),
            ("progress_sum", "r.progress"),
        ];

        private const string Key = "jurisdiction_id, department_id, kind, year";

        internal static string Upsert(string rows) => $"""
            INSERT INTO item_counts AS c ({Key}, jurisdiction_path, {string.Join(", ", Counted.Select(x => x.Column))})
            SELECT r.jurisdiction_id, r.lead_department_id, r.kind, r.year, min(r.jurisdiction_path),
                   {string.Join(", ", Counted.Select(x => $"sum(r.sign * {x.Expression})"))}
            FROM ({rows}) AS r
            GROUP BY r.jurisdiction_id, r.lead_department_id, r.kind, r.year
            HAVING {string.Join(" OR ", Counted.Select(x => $"sum(r.sign * {x.Expression}) <> 0"))}
            ORDER BY 1, 2, 3, 4
            ON CONFLICT ({Key}) DO UPDATE SET {string.Join(", ", Counted.Select(x => $"{x.Column} = c.{x.Column} + excluded.{x.Column}"))}
            """;

        private static string Function(string name, string rows) => $"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {Upsert(rows)};
                RETURN NULL;
            END $$;
            """;

        public static readonly string CountTriggers = string.Join("\n", [
            Function("item_counts_inserted", "SELECT 1 AS sign, * FROM new_rows"),
            Function("item_counts_deleted", "SELECT -1 AS sign, * FROM old_rows"),
            Function("item_counts_updated", "SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows"),
            "CREATE TRIGGER initiatives_counts_insert AFTER INSERT ON initiatives REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION item_counts_inserted();",
            "CREATE TRIGGER initiatives_counts_delete AFTER DELETE ON initiatives REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION item_counts_deleted();",
            "CREATE TRIGGER initiatives_counts_update AFTER UPDATE ON initiatives REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION item_counts_updated();",
            // From scratch, after a bulk load or to check the kept counts; writers wait while it runs.
            $"""
            CREATE FUNCTION rebuild_item_counts() RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                LOCK TABLE initiatives IN SHARE MODE;
                DELETE FROM item_counts;
                {Upsert("SELECT 1 AS sign, * FROM initiatives")};
            END $$;
            """,
        ]);

        public const string Drop = """
            DROP TRIGGER initiatives_counts_insert ON initiatives;
            DROP TRIGGER initiatives_counts_delete ON initiatives;
            DROP TRIGGER initiatives_counts_update ON initiatives;
            DROP TRIGGER initiatives_jurisdiction_path ON initiatives;
            DROP TRIGGER jurisdictions_path ON jurisdictions;
            DROP FUNCTION item_counts_inserted(), item_counts_deleted(), item_counts_updated(), rebuild_item_counts(), set_initiative_jurisdiction_path(), follow_jurisdiction_path();
            """;
    }
}
