using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class BulletinDelivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_inbox_messages_period_recipient_email",
                table: "inbox_messages");

            migrationBuilder.AddColumn<long>(
                name: "bulletin_id",
                table: "inbox_messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "work_group_robots",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    jurisdiction_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    secret = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_work_group_robots", x => x.id);
                    table.ForeignKey(
                        name: "fk_work_group_robots_jurisdictions_jurisdiction_id",
                        column: x => x.jurisdiction_id,
                        principalTable: "jurisdictions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "robot_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    bulletin_id = table.Column<long>(type: "bigint", nullable: false),
                    robot_id = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_robot_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "fk_robot_deliveries_bulletins_bulletin_id",
                        column: x => x.bulletin_id,
                        principalTable: "bulletins",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_robot_deliveries_work_group_robots_robot_id",
                        column: x => x.robot_id,
                        principalTable: "work_group_robots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "robot_attempts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    robot_delivery_id = table.Column<long>(type: "bigint", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    succeeded = table.Column<bool>(type: "boolean", nullable: false),
                    error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_robot_attempts", x => x.id);
                    table.ForeignKey(
                        name: "fk_robot_attempts_robot_deliveries_robot_delivery_id",
                        column: x => x.robot_delivery_id,
                        principalTable: "robot_deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_inbox_messages_bulletin_id_recipient_email",
                table: "inbox_messages",
                columns: new[] { "bulletin_id", "recipient_email" },
                unique: true,
                filter: "bulletin_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_messages_period_recipient_email",
                table: "inbox_messages",
                columns: new[] { "period", "recipient_email" },
                unique: true,
                filter: "bulletin_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_robot_attempts_robot_delivery_id",
                table: "robot_attempts",
                column: "robot_delivery_id");

            migrationBuilder.CreateIndex(
                name: "ix_robot_deliveries_bulletin_id_robot_id",
                table: "robot_deliveries",
                columns: new[] { "bulletin_id", "robot_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_robot_deliveries_robot_id",
                table: "robot_deliveries",
                column: "robot_id");

            migrationBuilder.CreateIndex(
                name: "ix_work_group_robots_jurisdiction_id",
                table: "work_group_robots",
                column: "jurisdiction_id");

            migrationBuilder.AddForeignKey(
                name: "fk_inbox_messages_bulletins_bulletin_id",
                table: "inbox_messages",
                column: "bulletin_id",
                principalTable: "bulletins",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_inbox_messages_bulletins_bulletin_id",
                table: "inbox_messages");

            migrationBuilder.DropTable(
                name: "robot_attempts");

            migrationBuilder.DropTable(
                name: "robot_deliveries");

            migrationBuilder.DropTable(
                name: "work_group_robots");

            migrationBuilder.DropIndex(
                name: "ix_inbox_messages_bulletin_id_recipient_email",
                table: "inbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_inbox_messages_period_recipient_email",
                table: "inbox_messages");

            migrationBuilder.DropColumn(
                name: "bulletin_id",
                table: "inbox_messages");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_messages_period_recipient_email",
                table: "inbox_messages",
                columns: new[] { "period", "recipient_email" },
                unique: true);
        }
    }
}
