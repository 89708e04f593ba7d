using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <summary>
    /// The service's queries are short and index-served; PostgreSQL's JIT, which starts once a plan's estimated cost
    /// passes <c>jit_above_cost</c>, spends hundreds of milliseconds compiling them (1.4 s on the board at 1M items).
    /// Off for the service's role, as a setting of the server: it was a startup option of every connection
    /// (<c>Options=-c jit=off</c>), which a connection pooler such as pgbouncer refuses (decision 0019). A setting of the
    /// role, not of the database, so that a copy of the database (CREATE DATABASE … TEMPLATE, as the tests make) has it
    /// too; an ordinary role may set its own defaults, so this needs no superuser and no ownership of the database.
    /// </summary>
    public partial class JitOffForTheServicesRole : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("ALTER ROLE CURRENT_USER SET jit = off;");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("ALTER ROLE CURRENT_USER RESET jit;");
    }
}
