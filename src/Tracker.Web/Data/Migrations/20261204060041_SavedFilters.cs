using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SavedFilters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_attempt_at",
                table: "deliveries",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "next_attempt_at",
                table: "deliveries",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "retry_queued_at",
                table: "deliveries",
                type: "timestamp with time zone",
                nullable: true);

            // The log's "last attempt" of the deliveries tried before it was kept on the row. Their next try is not known
            // (Hangfire's schedule holds it): they show as retries spent until the next attempt, and can be retried by hand.
            migrationBuilder.Sql("""
                UPDATE deliveries d SET last_attempt_at = a.at
                FROM (SELECT delivery_id, max(at) AS at FROM delivery_attempts GROUP BY delivery_id) a
                WHERE a.delivery_id = d.id
                """);

            migrationBuilder.CreateTable(
                name: "saved_filters",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    list = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    query = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_saved_filters", x => x.id);
                    table.ForeignKey(
                        name: "fk_saved_filters_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_status_id",
                table: "deliveries",
                columns: new[] { "status", "id" })
                .Annotation("Npgsql:IndexInclude", new[] { "attempts", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ix_saved_filters_user_id_list_name",
                table: "saved_filters",
                columns: new[] { "user_id", "list", "name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "saved_filters");

            migrationBuilder.DropIndex(
                name: "ix_deliveries_status_id",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "last_attempt_at",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "next_attempt_at",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "retry_queued_at",
                table: "deliveries");
        }
    }
}
