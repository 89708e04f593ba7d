using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Bulletins : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bulletin_settings",
                columns: table => new
                {
                    jurisdiction_id = table.Column<int>(type: "integer", nullable: false),
                    daily = table.Column<bool>(type: "boolean", nullable: false),
                    weekly = table.Column<bool>(type: "boolean", nullable: false),
                    monthly = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bulletin_settings", x => x.jurisdiction_id);
                    table.ForeignKey(
                        name: "fk_bulletin_settings_jurisdictions_jurisdiction_id",
                        column: x => x.jurisdiction_id,
                        principalTable: "jurisdictions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "bulletins",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    jurisdiction_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    period_key = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    text = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    period_from = table.Column<DateOnly>(type: "date", nullable: false),
                    period_to = table.Column<DateOnly>(type: "date", nullable: false),
                    issued_on = table.Column<DateOnly>(type: "date", nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    issued_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    content = table.Column<string>(type: "jsonb", nullable: false),
                    withdrawn_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    withdrawn_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    withdrawn_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bulletins", x => x.id);
                    table.ForeignKey(
                        name: "fk_bulletins_jurisdictions_jurisdiction_id",
                        column: x => x.jurisdiction_id,
                        principalTable: "jurisdictions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_bulletins_jurisdiction_id_id",
                table: "bulletins",
                columns: new[] { "jurisdiction_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_bulletins_jurisdiction_id_kind_period_key",
                table: "bulletins",
                columns: new[] { "jurisdiction_id", "kind", "period_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_bulletins_jurisdiction_id_kind_year_number",
                table: "bulletins",
                columns: new[] { "jurisdiction_id", "kind", "year", "number" },
                unique: true);

            // An issued bulletin never changes: the database refuses any update but its one withdrawal, and any delete.
            migrationBuilder.Sql("""
                CREATE FUNCTION bulletins_issued_once() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND OLD.withdrawn_at IS NULL AND NEW.withdrawn_at IS NOT NULL
                       AND (NEW.id, NEW.jurisdiction_id, NEW.kind, NEW.period_key, NEW.year, NEW.number, NEW.title, NEW.text,
                            NEW.period_from, NEW.period_to, NEW.issued_on, NEW.issued_at, NEW.issued_by, NEW.content)
                           IS NOT DISTINCT FROM
                           (OLD.id, OLD.jurisdiction_id, OLD.kind, OLD.period_key, OLD.year, OLD.number, OLD.title, OLD.text,
                            OLD.period_from, OLD.period_to, OLD.issued_on, OLD.issued_at, OLD.issued_by, OLD.content) THEN
                        RETURN NEW;
                    END IF;
                    RAISE EXCEPTION 'bulletins are issued once: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
                END $$;
                CREATE TRIGGER bulletins_issued_once BEFORE UPDATE OR DELETE ON bulletins FOR EACH ROW EXECUTE FUNCTION bulletins_issued_once();
                CREATE TRIGGER bulletins_no_truncate BEFORE TRUNCATE ON bulletins FOR EACH STATEMENT EXECUTE FUNCTION tracker_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER bulletins_issued_once ON bulletins; DROP TRIGGER bulletins_no_truncate ON bulletins; DROP FUNCTION bulletins_issued_once();");
            migrationBuilder.DropTable(
                name: "bulletin_settings");

            migrationBuilder.DropTable(
                name: "bulletins");
        }
    }
}
