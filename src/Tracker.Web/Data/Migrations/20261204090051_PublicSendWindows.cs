using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <summary>
    /// The public send limit's windows (<c>PublicSendLimit</c>), in PostgreSQL so that every instance counts the same
    /// sends. Unlogged: a count lost in a crash only lets an address send a minute's worth again, and nothing of it needs
    /// writing to the WAL or reaching a replica (a standby cannot read an unlogged table; only the primary counts).
    /// Not in the EF model: one upsert and one delete read and write it.
    /// </summary>
    public partial class PublicSendWindows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
            CREATE UNLOGGED TABLE rate_windows (
                key text NOT NULL,
                window_start timestamptz NOT NULL,
                count integer NOT NULL,
                PRIMARY KEY (key, window_start));
            """);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("DROP TABLE rate_windows;");
    }
}
