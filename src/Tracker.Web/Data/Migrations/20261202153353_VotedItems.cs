using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class VotedItems : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_initiatives_published_deadline_id",
                table: "initiatives");

            migrationBuilder.AddColumn<bool>(
                name: "is_voted",
                table: "initiatives",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_published_deadline_id",
                table: "initiatives",
                columns: new[] { "deadline", "id" },
                filter: "is_published");

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_voted_year_path",
                table: "initiatives",
                columns: new[] { "year", "jurisdiction_path" },
                filter: "is_voted AND kind <> 'Livelihood'")
                .Annotation("Npgsql:IndexOperators", new[] { "int4_ops", "text_pattern_ops" });

            // Until now only the vote (or the seed's record of it) named an item on a candidate: those items were chosen by it.
            migrationBuilder.Sql("UPDATE initiatives i SET is_voted = true WHERE EXISTS (SELECT 1 FROM candidates c WHERE c.initiative_id = i.id);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_initiatives_published_deadline_id",
                table: "initiatives");

            migrationBuilder.DropIndex(
                name: "ix_initiatives_voted_year_path",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "is_voted",
                table: "initiatives");

            migrationBuilder.CreateIndex(
                name: "ix_initiatives_published_deadline_id",
                table: "initiatives",
                columns: new[] { "deadline", "id" },
                filter: "is_published AND kind = 'Livelihood'");
        }
    }
}
