using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class PlanChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_attachments_one_owner",
                table: "attachments");

            migrationBuilder.AddColumn<int>(
                name: "extensions",
                table: "initiatives",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateOnly>(
                name: "original_deadline",
                table: "initiatives",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "plan_version_number",
                table: "initiatives",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "change_request_id",
                table: "attachments",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "change_requests",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    initiative_id = table.Column<long>(type: "bigint", nullable: false),
                    department_id = table.Column<int>(type: "integer", nullable: false),
                    requested_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    deadline_before = table.Column<DateOnly>(type: "date", nullable: false),
                    planned_start = table.Column<DateOnly>(type: "date", nullable: false),
                    deadline = table.Column<DateOnly>(type: "date", nullable: false),
                    targets = table.Column<string>(type: "jsonb", nullable: false),
                    milestones = table.Column<string>(type: "jsonb", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    decided_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_change_requests", x => x.id);
                    table.ForeignKey(
                        name: "fk_change_requests_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_change_requests_initiatives_initiative_id",
                        column: x => x.initiative_id,
                        principalTable: "initiatives",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "plan_versions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    initiative_id = table.Column<long>(type: "bigint", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    planned_start = table.Column<DateOnly>(type: "date", nullable: false),
                    deadline = table.Column<DateOnly>(type: "date", nullable: false),
                    targets = table.Column<string>(type: "jsonb", nullable: false),
                    milestones = table.Column<string>(type: "jsonb", nullable: false),
                    change_request_id = table.Column<long>(type: "bigint", nullable: true),
                    requested_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    decided_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_versions", x => x.id);
                    table.ForeignKey(
                        name: "fk_plan_versions_change_requests_change_request_id",
                        column: x => x.change_request_id,
                        principalTable: "change_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_plan_versions_initiatives_initiative_id",
                        column: x => x.initiative_id,
                        principalTable: "initiatives",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_attachments_change_request_id",
                table: "attachments",
                column: "change_request_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_attachments_one_owner",
                table: "attachments",
                sql: "num_nonnulls(report_id, inspection_id, change_request_id) = 1");

            migrationBuilder.CreateIndex(
                name: "ix_change_requests_department_id",
                table: "change_requests",
                column: "department_id");

            migrationBuilder.CreateIndex(
                name: "ix_change_requests_initiative_id_requested_at",
                table: "change_requests",
                columns: new[] { "initiative_id", "requested_at" });

            migrationBuilder.CreateIndex(
                name: "ix_change_requests_pending",
                table: "change_requests",
                column: "initiative_id",
                unique: true,
                filter: "status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ix_change_requests_queue",
                table: "change_requests",
                columns: new[] { "requested_at", "id" },
                filter: "status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ix_plan_versions_change_request_id",
                table: "plan_versions",
                column: "change_request_id");

            migrationBuilder.CreateIndex(
                name: "ix_plan_versions_initiative_id_number",
                table: "plan_versions",
                columns: new[] { "initiative_id", "number" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_attachments_change_requests_change_request_id",
                table: "attachments",
                column: "change_request_id",
                principalTable: "change_requests",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        
            // Every version of a plan is kept: the table refuses UPDATE, DELETE and TRUNCATE, as the audit trail does.
            migrationBuilder.Sql("""
                CREATE TRIGGER plan_versions_append_only BEFORE UPDATE OR DELETE ON plan_versions
                    FOR EACH ROW EXECUTE FUNCTION tracker_append_only();
                CREATE TRIGGER plan_versions_no_truncate BEFORE TRUNCATE ON plan_versions
                    FOR EACH STATEMENT EXECUTE FUNCTION tracker_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_attachments_change_requests_change_request_id",
                table: "attachments");

            migrationBuilder.DropTable(
                name: "plan_versions");

            migrationBuilder.DropTable(
                name: "change_requests");

            migrationBuilder.DropIndex(
                name: "ix_attachments_change_request_id",
                table: "attachments");

            migrationBuilder.DropCheckConstraint(
                name: "ck_attachments_one_owner",
                table: "attachments");

            migrationBuilder.DropColumn(
                name: "extensions",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "original_deadline",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "plan_version_number",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "change_request_id",
                table: "attachments");

            migrationBuilder.AddCheckConstraint(
                name: "ck_attachments_one_owner",
                table: "attachments",
                sql: "(report_id IS NULL) <> (inspection_id IS NULL)");
        }
    }
}
