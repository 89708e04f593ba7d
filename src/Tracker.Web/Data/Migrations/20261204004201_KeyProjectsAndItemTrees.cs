using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeyProjectsAndItemTrees : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "investment",
                table: "progress_reports",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "parent_id",
                table: "initiatives",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<decimal[]>(
                name: "progress_by_month",
                table: "initiatives",
                type: "numeric(9,4)[]",
                nullable: false,
                defaultValueSql: "array_fill(0::numeric, ARRAY[12])");

            migrationBuilder.AddColumn<decimal>(
                name: "weight",
                table: "initiatives",
                type: "numeric(9,4)",
                precision: 9,
                scale: 4,
                nullable: false,
                defaultValue: 1m);

            migrationBuilder.CreateTable(
                name: "investment_months",
                columns: table => new
                {
                    initiative_id = table.Column<long>(type: "bigint", nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    completed = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    report_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_investment_months", x => new { x.initiative_id, x.month });
                    table.ForeignKey(
                        name: "fk_investment_months_initiatives_initiative_id",
                        column: x => x.initiative_id,
                        principalTable: "initiatives",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_investment_months_progress_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "progress_reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "key_projects",
                columns: table => new
                {
                    initiative_id = table.Column<long>(type: "bigint", nullable: false),
                    level = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    construction = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    industry = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    strategic_emerging = table.Column<bool>(type: "boolean", nullable: false),
                    owner_enterprise = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    total_investment = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    planned_investment = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    planned_production = table.Column<DateOnly>(type: "date", nullable: true),
                    completed_investment = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    completed_by_month = table.Column<decimal[]>(type: "numeric(18,2)[]", nullable: false, defaultValueSql: "array_fill(0::numeric, ARRAY[12])")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_key_projects", x => x.initiative_id);
                    table.ForeignKey(
                        name: "fk_key_projects_initiatives_initiative_id",
                        column: x => x.initiative_id,
                        principalTable: "initiatives",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_parent_id",
                table: "initiatives",
                column: "parent_id",
                filter: "parent_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_investment_months_report_id",
                table: "investment_months",
                column: "report_id");

            migrationBuilder.AddForeignKey(
                name: "fk_initiatives_initiatives_parent_id",
                table: "initiatives",
                column: "parent_id",
                principalTable: "initiatives",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // Each item's progress at the end of each month of its year, from its reports: the latest report to that month's
            // end (by the (initiative_id, reported_at) index), 0 before the first.
            migrationBuilder.Sql("""
                UPDATE initiatives i SET progress_by_month = ARRAY(
                    SELECT coalesce((
                        SELECT r.progress_after FROM progress_reports r
                        WHERE r.initiative_id = i.id AND r.reported_on < (make_date(i.year, g, 1) + interval '1 month')::date
                        ORDER BY r.reported_at DESC LIMIT 1), 0)
                    FROM generate_series(1, 12) g ORDER BY g)
                WHERE i.last_reported_at IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_initiatives_initiatives_parent_id",
                table: "initiatives");

            migrationBuilder.DropTable(
                name: "investment_months");

            migrationBuilder.DropTable(
                name: "key_projects");

            migrationBuilder.DropIndex(
                name: "ix_initiatives_parent_id",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "investment",
                table: "progress_reports");

            migrationBuilder.DropColumn(
                name: "parent_id",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "progress_by_month",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "weight",
                table: "initiatives");
        }
    }
}
