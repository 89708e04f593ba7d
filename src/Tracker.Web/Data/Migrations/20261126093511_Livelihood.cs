using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Livelihood : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "candidates",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    jurisdiction_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    estimated_cost = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    department_id = table.Column<int>(type: "integer", nullable: false),
                    initiative_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_candidates", x => x.id);
                    table.ForeignKey(
                        name: "fk_candidates_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_candidates_initiatives_initiative_id",
                        column: x => x.initiative_id,
                        principalTable: "initiatives",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_candidates_jurisdictions_jurisdiction_id",
                        column: x => x.jurisdiction_id,
                        principalTable: "jurisdictions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "congress_sessions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    jurisdiction_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    opens_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closes_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    items_to_choose = table.Column<int>(type: "integer", nullable: false),
                    mode = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    pass_rule = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    deputies = table.Column<int>(type: "integer", nullable: false),
                    candidate_ids = table.Column<List<long>>(type: "bigint[]", nullable: false),
                    adopted = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_congress_sessions", x => x.id);
                    table.ForeignKey(
                        name: "fk_congress_sessions_jurisdictions_jurisdiction_id",
                        column: x => x.jurisdiction_id,
                        principalTable: "jurisdictions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "deputy_groups",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    jurisdiction_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    member_user_ids = table.Column<List<string>>(type: "text[]", nullable: false),
                    initiative_ids = table.Column<List<long>>(type: "bigint[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_deputy_groups", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "evaluations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    initiative_id = table.Column<long>(type: "bigint", nullable: false),
                    deputy_user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    rating = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_evaluations", x => x.id);
                    table.ForeignKey(
                        name: "fk_evaluations_initiatives_initiative_id",
                        column: x => x.initiative_id,
                        principalTable: "initiatives",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "inspections",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    initiative_id = table.Column<long>(type: "bigint", nullable: false),
                    group_id = table.Column<long>(type: "bigint", nullable: true),
                    deputy_user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    on = table.Column<DateOnly>(type: "date", nullable: false),
                    findings = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    photo_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inspections", x => x.id);
                    table.ForeignKey(
                        name: "fk_inspections_initiatives_initiative_id",
                        column: x => x.initiative_id,
                        principalTable: "initiatives",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "proposals",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    jurisdiction_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    proposer_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    proposer_user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    receipt_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    candidate_id = table.Column<long>(type: "bigint", nullable: true),
                    rejection_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_proposals", x => x.id);
                    table.ForeignKey(
                        name: "fk_proposals_candidates_candidate_id",
                        column: x => x.candidate_id,
                        principalTable: "candidates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_proposals_jurisdictions_jurisdiction_id",
                        column: x => x.jurisdiction_id,
                        principalTable: "jurisdictions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ballots",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    session_id = table.Column<long>(type: "bigint", nullable: false),
                    deputy_user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    cast_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ballots", x => x.id);
                    table.ForeignKey(
                        name: "fk_ballots_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "congress_sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "follow_ups",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    inspection_id = table.Column<long>(type: "bigint", nullable: false),
                    initiative_id = table.Column<long>(type: "bigint", nullable: false),
                    department_id = table.Column<int>(type: "integer", nullable: false),
                    request = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    due_on = table.Column<DateOnly>(type: "date", nullable: false),
                    answer = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    answered_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    answered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_follow_ups", x => x.id);
                    table.ForeignKey(
                        name: "fk_follow_ups_inspections_inspection_id",
                        column: x => x.inspection_id,
                        principalTable: "inspections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ballot_choices",
                columns: table => new
                {
                    ballot_id = table.Column<long>(type: "bigint", nullable: false),
                    candidate_id = table.Column<long>(type: "bigint", nullable: false),
                    choice = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ballot_choices", x => new { x.ballot_id, x.candidate_id });
                    table.ForeignKey(
                        name: "fk_ballot_choices_ballots_ballot_id",
                        column: x => x.ballot_id,
                        principalTable: "ballots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_ballot_choices_candidates_candidate_id",
                        column: x => x.candidate_id,
                        principalTable: "candidates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ballot_choices_candidate_id",
                table: "ballot_choices",
                column: "candidate_id");

            migrationBuilder.CreateIndex(
                name: "ix_ballots_session_id_deputy_user_id",
                table: "ballots",
                columns: new[] { "session_id", "deputy_user_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_candidates_department_id",
                table: "candidates",
                column: "department_id");

            migrationBuilder.CreateIndex(
                name: "ix_candidates_initiative_id",
                table: "candidates",
                column: "initiative_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_candidates_jurisdiction_id_year",
                table: "candidates",
                columns: new[] { "jurisdiction_id", "year" });

            migrationBuilder.CreateIndex(
                name: "ix_congress_sessions_jurisdiction_id_year",
                table: "congress_sessions",
                columns: new[] { "jurisdiction_id", "year" });

            migrationBuilder.CreateIndex(
                name: "ix_deputy_groups_initiative_ids",
                table: "deputy_groups",
                column: "initiative_ids")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_deputy_groups_jurisdiction_id",
                table: "deputy_groups",
                column: "jurisdiction_id");

            migrationBuilder.CreateIndex(
                name: "ix_deputy_groups_member_user_ids",
                table: "deputy_groups",
                column: "member_user_ids")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_evaluations_initiative_id_deputy_user_id",
                table: "evaluations",
                columns: new[] { "initiative_id", "deputy_user_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_evaluations_year",
                table: "evaluations",
                column: "year");

            migrationBuilder.CreateIndex(
                name: "ix_follow_ups_initiative_id_due_on",
                table: "follow_ups",
                columns: new[] { "initiative_id", "due_on" });

            migrationBuilder.CreateIndex(
                name: "ix_follow_ups_inspection_id",
                table: "follow_ups",
                column: "inspection_id");

            migrationBuilder.CreateIndex(
                name: "ix_follow_ups_open",
                table: "follow_ups",
                columns: new[] { "department_id", "due_on" },
                filter: "answer IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_inspections_initiative_id_on",
                table: "inspections",
                columns: new[] { "initiative_id", "on" });

            migrationBuilder.CreateIndex(
                name: "ix_proposals_candidate_id",
                table: "proposals",
                column: "candidate_id");

            migrationBuilder.CreateIndex(
                name: "ix_proposals_jurisdiction_id_year_status",
                table: "proposals",
                columns: new[] { "jurisdiction_id", "year", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_proposals_receipt_code",
                table: "proposals",
                column: "receipt_code",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ballot_choices");

            migrationBuilder.DropTable(
                name: "deputy_groups");

            migrationBuilder.DropTable(
                name: "evaluations");

            migrationBuilder.DropTable(
                name: "follow_ups");

            migrationBuilder.DropTable(
                name: "proposals");

            migrationBuilder.DropTable(
                name: "ballots");

            migrationBuilder.DropTable(
                name: "inspections");

            migrationBuilder.DropTable(
                name: "candidates");

            migrationBuilder.DropTable(
                name: "congress_sessions");
        }
    }
}
