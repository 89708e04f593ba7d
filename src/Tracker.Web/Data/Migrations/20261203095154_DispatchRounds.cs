using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DispatchRounds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_inbox_messages_period_recipient_email",
                table: "inbox_messages");

            migrationBuilder.AddColumn<string>(
                name: "dispatch_note",
                table: "inbox_messages",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "dispatch_round_id",
                table: "inbox_messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "dispatch_rounds",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    jurisdiction_id = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    instructions = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    department_id = table.Column<int>(type: "integer", nullable: true),
                    figures_required = table.Column<bool>(type: "boolean", nullable: false),
                    opens_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    weekly = table.Column<bool>(type: "boolean", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    previous_id = table.Column<long>(type: "bigint", nullable: true),
                    created_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    opened_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reminded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cancelled_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dispatch_rounds", x => x.id);
                    table.ForeignKey(
                        name: "fk_dispatch_rounds_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_dispatch_rounds_dispatch_rounds_previous_id",
                        column: x => x.previous_id,
                        principalTable: "dispatch_rounds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_dispatch_rounds_jurisdictions_jurisdiction_id",
                        column: x => x.jurisdiction_id,
                        principalTable: "jurisdictions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "dispatch_counts",
                columns: table => new
                {
                    round_id = table.Column<long>(type: "bigint", nullable: false),
                    department_id = table.Column<int>(type: "integer", nullable: false),
                    items = table.Column<int>(type: "integer", nullable: false),
                    on_time = table.Column<int>(type: "integer", nullable: false),
                    late = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dispatch_counts", x => new { x.round_id, x.department_id });
                    table.ForeignKey(
                        name: "fk_dispatch_counts_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_dispatch_counts_dispatch_rounds_round_id",
                        column: x => x.round_id,
                        principalTable: "dispatch_rounds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "dispatch_items",
                columns: table => new
                {
                    round_id = table.Column<long>(type: "bigint", nullable: false),
                    initiative_id = table.Column<long>(type: "bigint", nullable: false),
                    department_id = table.Column<int>(type: "integer", nullable: false),
                    answered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    report_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dispatch_items", x => new { x.round_id, x.initiative_id });
                    table.ForeignKey(
                        name: "fk_dispatch_items_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_dispatch_items_dispatch_rounds_round_id",
                        column: x => x.round_id,
                        principalTable: "dispatch_rounds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dispatch_items_initiatives_initiative_id",
                        column: x => x.initiative_id,
                        principalTable: "initiatives",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_dispatch_items_progress_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "progress_reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_inbox_messages_dispatch_round_id_dispatch_note_recipient_em",
                table: "inbox_messages",
                columns: new[] { "dispatch_round_id", "dispatch_note", "recipient_email" },
                unique: true,
                filter: "dispatch_round_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_messages_period_recipient_email",
                table: "inbox_messages",
                columns: new[] { "period", "recipient_email" },
                unique: true,
                filter: "bulletin_id IS NULL AND dispatch_round_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_dispatch_counts_department_id",
                table: "dispatch_counts",
                column: "department_id");

            migrationBuilder.CreateIndex(
                name: "ix_dispatch_items_department_id",
                table: "dispatch_items",
                column: "department_id");

            migrationBuilder.CreateIndex(
                name: "ix_dispatch_items_report_id",
                table: "dispatch_items",
                column: "report_id");

            migrationBuilder.CreateIndex(
                name: "ix_dispatch_items_round_id_department_id_initiative_id",
                table: "dispatch_items",
                columns: new[] { "round_id", "department_id", "initiative_id" });

            migrationBuilder.CreateIndex(
                name: "ix_dispatch_items_waiting",
                table: "dispatch_items",
                column: "initiative_id",
                filter: "answered_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_dispatch_rounds_department_id",
                table: "dispatch_rounds",
                column: "department_id");

            migrationBuilder.CreateIndex(
                name: "ix_dispatch_rounds_jurisdiction_id_id",
                table: "dispatch_rounds",
                columns: new[] { "jurisdiction_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_dispatch_rounds_previous_id",
                table: "dispatch_rounds",
                column: "previous_id",
                unique: true,
                filter: "previous_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_dispatch_rounds_status_due_at",
                table: "dispatch_rounds",
                columns: new[] { "status", "due_at" });

            migrationBuilder.AddForeignKey(
                name: "fk_inbox_messages_dispatch_rounds_dispatch_round_id",
                table: "inbox_messages",
                column: "dispatch_round_id",
                principalTable: "dispatch_rounds",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_inbox_messages_dispatch_rounds_dispatch_round_id",
                table: "inbox_messages");

            migrationBuilder.DropTable(
                name: "dispatch_counts");

            migrationBuilder.DropTable(
                name: "dispatch_items");

            migrationBuilder.DropTable(
                name: "dispatch_rounds");

            migrationBuilder.DropIndex(
                name: "ix_inbox_messages_dispatch_round_id_dispatch_note_recipient_em",
                table: "inbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_inbox_messages_period_recipient_email",
                table: "inbox_messages");

            migrationBuilder.DropColumn(
                name: "dispatch_note",
                table: "inbox_messages");

            migrationBuilder.DropColumn(
                name: "dispatch_round_id",
                table: "inbox_messages");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_messages_period_recipient_email",
                table: "inbox_messages",
                columns: new[] { "period", "recipient_email" },
                unique: true,
                filter: "bulletin_id IS NULL");
        }
    }
}
