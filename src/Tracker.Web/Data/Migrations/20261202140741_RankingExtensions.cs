using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RankingExtensions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "extensions",
                table: "department_counts",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // The triggers sum each item's extensions into its department's year too; existing rows are recounted.
            migrationBuilder.Sql(KeptRollupSql.Functions(extensions: true));
            migrationBuilder.Sql("SELECT rebuild_item_counts();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(KeptRollupSql.Functions(extensions: false));
            migrationBuilder.DropColumn(
                name: "extensions",
                table: "department_counts");
        }
    }
}
