using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class InspectionPhotos : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "photo_ids",
                table: "inspections");

            migrationBuilder.AlterColumn<long>(
                name: "report_id",
                table: "attachments",
                type: "bigint",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AddColumn<long>(
                name: "inspection_id",
                table: "attachments",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_attachments_inspection_id",
                table: "attachments",
                column: "inspection_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_attachments_one_owner",
                table: "attachments",
                sql: "(report_id IS NULL) <> (inspection_id IS NULL)");

            migrationBuilder.AddForeignKey(
                name: "fk_attachments_inspections_inspection_id",
                table: "attachments",
                column: "inspection_id",
                principalTable: "inspections",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_attachments_inspections_inspection_id",
                table: "attachments");

            migrationBuilder.DropIndex(
                name: "ix_attachments_inspection_id",
                table: "attachments");

            migrationBuilder.DropCheckConstraint(
                name: "ck_attachments_one_owner",
                table: "attachments");

            migrationBuilder.DropColumn(
                name: "inspection_id",
                table: "attachments");

            migrationBuilder.AddColumn<List<Guid>>(
                name: "photo_ids",
                table: "inspections",
                type: "uuid[]",
                nullable: false);

            migrationBuilder.AlterColumn<long>(
                name: "report_id",
                table: "attachments",
                type: "bigint",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldNullable: true);
        }
    }
}
