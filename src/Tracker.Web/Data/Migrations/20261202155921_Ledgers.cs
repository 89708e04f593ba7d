using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Ledgers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_attachments_one_owner",
                table: "attachments");

            migrationBuilder.AddColumn<string>(
                name: "counts",
                table: "targets",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<long>(
                name: "ledger_step_id",
                table: "attachments",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ledger_categories",
                columns: table => new
                {
                    jurisdiction_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_categories", x => new { x.jurisdiction_id, x.name });
                    table.ForeignKey(
                        name: "fk_ledger_categories_jurisdictions_jurisdiction_id",
                        column: x => x.jurisdiction_id,
                        principalTable: "jurisdictions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ledger_rows",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    initiative_id = table.Column<long>(type: "bigint", nullable: false),
                    number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    finding = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    place = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    category = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    severity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    source = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    found_on = table.Column<DateOnly>(type: "date", nullable: false),
                    department_id = table.Column<int>(type: "integer", nullable: false),
                    responsible_person = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    found_by_department_id = table.Column<int>(type: "integer", nullable: true),
                    measures = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    deadline = table.Column<DateOnly>(type: "date", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    rectified_on = table.Column<DateOnly>(type: "date", nullable: true),
                    closed_on = table.Column<DateOnly>(type: "date", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_rows", x => x.id);
                    table.ForeignKey(
                        name: "fk_ledger_rows_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_ledger_rows_departments_found_by_department_id",
                        column: x => x.found_by_department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_ledger_rows_initiatives_initiative_id",
                        column: x => x.initiative_id,
                        principalTable: "initiatives",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ledger_steps",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    row_id = table.Column<long>(type: "bigint", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_steps", x => x.id);
                    table.ForeignKey(
                        name: "fk_ledger_steps_ledger_rows_row_id",
                        column: x => x.row_id,
                        principalTable: "ledger_rows",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_attachments_ledger_step_id",
                table: "attachments",
                column: "ledger_step_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_attachments_one_owner",
                table: "attachments",
                sql: "num_nonnulls(report_id, inspection_id, change_request_id, ledger_step_id) = 1");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_rows_department_id_status",
                table: "ledger_rows",
                columns: new[] { "department_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_rows_found_by_department_id",
                table: "ledger_rows",
                column: "found_by_department_id");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_rows_initiative_id_number",
                table: "ledger_rows",
                columns: new[] { "initiative_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_rows_rectified",
                table: "ledger_rows",
                columns: new[] { "initiative_id", "id" },
                filter: "status = 'Rectified'");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_rows_unrectified",
                table: "ledger_rows",
                columns: new[] { "initiative_id", "deadline" },
                filter: "status IN ('Open', 'Rectifying')");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_steps_row_id_at",
                table: "ledger_steps",
                columns: new[] { "row_id", "at" });

            migrationBuilder.AddForeignKey(
                name: "fk_attachments_ledger_steps_ledger_step_id",
                table: "attachments",
                column: "ledger_step_id",
                principalTable: "ledger_steps",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // A row's steps are its history: the table refuses UPDATE, DELETE and TRUNCATE, as the audit trail does.
            migrationBuilder.Sql("""
                CREATE TRIGGER ledger_steps_append_only BEFORE UPDATE OR DELETE ON ledger_steps
                    FOR EACH ROW EXECUTE FUNCTION tracker_append_only();
                CREATE TRIGGER ledger_steps_no_truncate BEFORE TRUNCATE ON ledger_steps
                    FOR EACH STATEMENT EXECUTE FUNCTION tracker_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_attachments_ledger_steps_ledger_step_id",
                table: "attachments");

            migrationBuilder.DropTable(
                name: "ledger_categories");

            migrationBuilder.DropTable(
                name: "ledger_steps");

            migrationBuilder.DropTable(
                name: "ledger_rows");

            migrationBuilder.DropIndex(
                name: "ix_attachments_ledger_step_id",
                table: "attachments");

            migrationBuilder.DropCheckConstraint(
                name: "ck_attachments_one_owner",
                table: "attachments");

            migrationBuilder.DropColumn(
                name: "counts",
                table: "targets");

            migrationBuilder.DropColumn(
                name: "ledger_step_id",
                table: "attachments");

            migrationBuilder.AddCheckConstraint(
                name: "ck_attachments_one_owner",
                table: "attachments",
                sql: "num_nonnulls(report_id, inspection_id, change_request_id) = 1");
        }
    }
}
