using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <summary>
    /// One row each instance stamps on the primary and reads back from the replica (<c>ReplicaHeartbeat</c>): how far
    /// the replica has replayed, so that pages read from it can say how old they are and reads leave a replica that
    /// has fallen behind. Logged, so that it replicates. Not in the EF model: one upsert and one read use it.
    /// </summary>
    public partial class ReplicaHeartbeat : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("CREATE TABLE replica_heartbeat (id integer PRIMARY KEY, at timestamptz NOT NULL);");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("DROP TABLE replica_heartbeat;");
    }
}
