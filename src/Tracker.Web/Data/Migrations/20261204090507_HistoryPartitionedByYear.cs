using System;
using System.Text;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracker.Web.Data.Migrations
{
    /// <summary>
    /// Progress reports, their values, the audit log and reminders become tables partitioned by year (PARTITION BY
    /// RANGE, decision 0020). EF Core does not model partitioning, so each table is rebuilt here by hand: set aside,
    /// created again partitioned with a partition per year present (plus next year's), its rows moved, its keys,
    /// indexes, foreign keys and append-only triggers recreated. The keys gain the partition column, as PostgreSQL
    /// requires; the dispatch items and investment months lose their foreign key to the reports (it would need the
    /// report's day in them too). <c>tracker_ensure_year_partitions(year)</c> creates a year's partitions, here and
    /// from the daily job (<see cref="YearPartitions"/>).
    /// </summary>
    public partial class HistoryPartitionedByYear : Migration
    {
        private sealed record History(
            string Table, string PartitionKey, string PrimaryKey, string PlainPrimaryKey, bool AppendOnly, params string[] Indexes);

        private static readonly History[] Tables =
        [
            new("progress_reports", "reported_on", "id, reported_on", "id", true,
                "CREATE INDEX ix_progress_reports_initiative_id_reported_at ON progress_reports (initiative_id, reported_at DESC)",
                "ALTER TABLE progress_reports ADD CONSTRAINT fk_progress_reports_initiatives_initiative_id FOREIGN KEY (initiative_id) REFERENCES initiatives (id) ON DELETE RESTRICT"),
            new("report_values", "reported_on", "report_id, reported_on, target_id", "report_id, target_id", true,
                "CREATE INDEX ix_report_values_target_id ON report_values (target_id)",
                "ALTER TABLE report_values ADD CONSTRAINT fk_report_values_targets_target_id FOREIGN KEY (target_id) REFERENCES targets (id) ON DELETE RESTRICT"),
            new("audit_log", "at", "id, at", "id", true,
                "CREATE INDEX ix_audit_log_at ON audit_log (at)",
                "CREATE INDEX ix_audit_log_entity_type_entity_id_at ON audit_log (entity_type, entity_id, at)",
                "CREATE INDEX ix_audit_log_initiative_id_at ON audit_log (initiative_id, at)",
                "CREATE INDEX ix_audit_log_user_id_at ON audit_log (user_id, at)"),
            new("reminders", "period", "id, period", "id", false,
                "CREATE UNIQUE INDEX ix_reminders_initiative_id_reason_level_period ON reminders (initiative_id, reason, level, period)",
                "CREATE INDEX ix_reminders_open ON reminders (initiative_id, reason) WHERE status = 'Open'",
                "CREATE INDEX ix_reminders_period_status ON reminders (period, status)",
                "ALTER TABLE reminders ADD CONSTRAINT fk_reminders_initiatives_initiative_id FOREIGN KEY (initiative_id) REFERENCES initiatives (id) ON DELETE RESTRICT"),
        ];

        /// <summary>
        /// Creates the four tables' partitions of a year when missing, each partition of an append-only table with its
        /// own TRUNCATE trigger: row triggers are cloned from the partitioned table, statement triggers are not, and a
        /// partition can be truncated by name. Safe to run again and from two sessions at once (the advisory lock, held to
        /// the end of the transaction, makes the second wait and then find them). Returns how many partitions it created.
        /// Audit partitions run on UTC years: the table's key is an instant, and the office's zone is a setting.
        /// </summary>
        private const string EnsureYearPartitions = """
            CREATE FUNCTION tracker_ensure_year_partitions(year int) RETURNS int LANGUAGE plpgsql AS $$
            DECLARE
                parent text;
                part text;
                created int := 0;
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('tracker_ensure_year_partitions'));
                FOREACH parent IN ARRAY ARRAY['progress_reports', 'report_values', 'audit_log', 'reminders'] LOOP
                    part := parent || '_' || year;
                    IF to_regclass(part) IS NULL THEN
                        IF parent = 'audit_log' THEN
                            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', part, parent,
                                make_timestamptz(year, 1, 1, 0, 0, 0, 'UTC'), make_timestamptz(year + 1, 1, 1, 0, 0, 0, 'UTC'));
                        ELSE
                            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', part, parent,
                                make_date(year, 1, 1), make_date(year + 1, 1, 1));
                        END IF;
                        created := created + 1;
                    END IF;
                    IF parent <> 'reminders' AND NOT EXISTS (
                        SELECT 1 FROM pg_trigger WHERE tgrelid = part::regclass AND tgname = part || '_no_truncate') THEN
                        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION tracker_append_only()',
                            part || '_no_truncate', part);
                    END IF;
                END LOOP;
                RETURN created;
            END $$;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_attachments_progress_reports_report_id",
                table: "attachments");

            migrationBuilder.DropForeignKey(
                name: "fk_dispatch_items_progress_reports_report_id",
                table: "dispatch_items");

            migrationBuilder.DropForeignKey(
                name: "fk_investment_months_progress_reports_report_id",
                table: "investment_months");

            migrationBuilder.DropForeignKey(
                name: "fk_report_values_progress_reports_report_id",
                table: "report_values");

            migrationBuilder.DropIndex(
                name: "ix_attachments_report_id",
                table: "attachments");

            migrationBuilder.AddColumn<DateOnly>(
                name: "reported_on",
                table: "attachments",
                type: "date",
                nullable: true);

            migrationBuilder.Sql("UPDATE attachments a SET reported_on = r.reported_on FROM progress_reports r WHERE r.id = a.report_id;");

            migrationBuilder.CreateIndex(
                name: "ix_attachments_report_id_reported_on",
                table: "attachments",
                columns: new[] { "report_id", "reported_on" });

            migrationBuilder.AddCheckConstraint(
                name: "ck_attachments_report_day",
                table: "attachments",
                sql: "(report_id IS NULL) = (reported_on IS NULL)");

            var sql = new StringBuilder();
            foreach (var t in Tables)
                SetAside(sql, t.Table, "unpartitioned");
            foreach (var t in Tables)
                sql.AppendLine($"""
                    CREATE TABLE {t.Table} (LIKE {t.Table}_unpartitioned INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS
                        {(t.Table == "report_values" ? ", reported_on date NOT NULL" : "")}) PARTITION BY RANGE ({t.PartitionKey});
                    """);
            sql.AppendLine(EnsureYearPartitions);
            // The years present, and at least last year (a seed run in January writes December's reports) to next year.
            sql.AppendLine("""
                DO $$
                DECLARE
                    this_year int := extract(year FROM current_date)::int;
                    first_year int;
                    last_year int;
                BEGIN
                    SELECT least(this_year - 1, min(y)), greatest(this_year, max(y)) + 1 INTO first_year, last_year FROM (
                        SELECT extract(year FROM reported_on)::int FROM (SELECT min(reported_on) AS reported_on FROM progress_reports_unpartitioned
                            UNION ALL SELECT max(reported_on) FROM progress_reports_unpartitioned) r
                        UNION ALL SELECT extract(year FROM at AT TIME ZONE 'UTC')::int FROM (SELECT min(at) AS at FROM audit_log_unpartitioned
                            UNION ALL SELECT max(at) FROM audit_log_unpartitioned) a
                        UNION ALL SELECT extract(year FROM period)::int FROM (SELECT min(period) AS period FROM reminders_unpartitioned
                            UNION ALL SELECT max(period) FROM reminders_unpartitioned) m) AS present(y);
                    PERFORM tracker_ensure_year_partitions(y) FROM generate_series(first_year, last_year) AS y;
                END $$;
                """);
            sql.AppendLine("""
                INSERT INTO progress_reports SELECT * FROM progress_reports_unpartitioned;
                INSERT INTO report_values SELECT v.*, r.reported_on FROM report_values_unpartitioned v JOIN progress_reports_unpartitioned r ON r.id = v.report_id;
                INSERT INTO audit_log SELECT * FROM audit_log_unpartitioned;
                INSERT INTO reminders SELECT * FROM reminders_unpartitioned;
                """);
            foreach (var t in Tables)
                Rebuild(sql, t, t.PrimaryKey, "unpartitioned");
            migrationBuilder.Sql(sql.ToString());

            migrationBuilder.AddForeignKey(
                name: "fk_attachments_progress_reports_report_id_reported_on",
                table: "attachments",
                columns: new[] { "report_id", "reported_on" },
                principalTable: "progress_reports",
                principalColumns: new[] { "id", "reported_on" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_report_values_progress_reports_report_id_reported_on",
                table: "report_values",
                columns: new[] { "report_id", "reported_on" },
                principalTable: "progress_reports",
                principalColumns: new[] { "id", "reported_on" },
                onDelete: ReferentialAction.Restrict);
        }

        /// <summary>Renames a table and its identity's sequence out of the way of the table that replaces it.</summary>
        private static void SetAside(StringBuilder sql, string table, string suffix) => sql.AppendLine($"""
            ALTER TABLE {table} RENAME TO {table}_{suffix};
            ALTER SEQUENCE IF EXISTS {table}_id_seq RENAME TO {table}_{suffix}_id_seq;
            """);

        /// <summary>
        /// After the rows moved: the identity carries on from the old table's, the old table goes (with its triggers and
        /// the names of its indexes), and the keys, indexes and triggers are made on the new one — after the copy, so each
        /// index is built once rather than row by row.
        /// </summary>
        private static void Rebuild(StringBuilder sql, History t, string primaryKey, string suffix)
        {
            if (t.Table != "report_values")
                sql.AppendLine($"SELECT setval(pg_get_serial_sequence('{t.Table}', 'id'), last_value, is_called) FROM {t.Table}_{suffix}_id_seq;");
            sql.AppendLine($"DROP TABLE {t.Table}_{suffix};");
            sql.AppendLine($"ALTER TABLE {t.Table} ADD CONSTRAINT pk_{t.Table} PRIMARY KEY ({primaryKey});");
            foreach (var index in t.Indexes)
                sql.AppendLine(index + ";");
            if (t.AppendOnly)
                sql.AppendLine($"""
                    CREATE TRIGGER {t.Table}_append_only BEFORE UPDATE OR DELETE ON {t.Table}
                        FOR EACH ROW EXECUTE FUNCTION tracker_append_only();
                    CREATE TRIGGER {t.Table}_no_truncate BEFORE TRUNCATE ON {t.Table}
                        FOR EACH STATEMENT EXECUTE FUNCTION tracker_append_only();
                    """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_attachments_progress_reports_report_id_reported_on",
                table: "attachments");

            migrationBuilder.DropForeignKey(
                name: "fk_report_values_progress_reports_report_id_reported_on",
                table: "report_values");

            var sql = new StringBuilder();
            foreach (var t in Tables)
                SetAside(sql, t.Table, "partitioned");
            foreach (var t in Tables)
                sql.AppendLine($"""
                    CREATE TABLE {t.Table} (LIKE {t.Table}_partitioned INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS);
                    INSERT INTO {t.Table} SELECT * FROM {t.Table}_partitioned;
                    """);
            foreach (var t in Tables)
                Rebuild(sql, t, t.PlainPrimaryKey, "partitioned");
            sql.AppendLine("ALTER TABLE report_values DROP COLUMN reported_on;");
            sql.AppendLine("DROP FUNCTION tracker_ensure_year_partitions(int);");
            migrationBuilder.Sql(sql.ToString());

            migrationBuilder.DropIndex(
                name: "ix_attachments_report_id_reported_on",
                table: "attachments");

            migrationBuilder.DropCheckConstraint(
                name: "ck_attachments_report_day",
                table: "attachments");

            migrationBuilder.DropColumn(
                name: "reported_on",
                table: "attachments");

            migrationBuilder.CreateIndex(
                name: "ix_attachments_report_id",
                table: "attachments",
                column: "report_id");

            migrationBuilder.AddForeignKey(
                name: "fk_attachments_progress_reports_report_id",
                table: "attachments",
                column: "report_id",
                principalTable: "progress_reports",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_dispatch_items_progress_reports_report_id",
                table: "dispatch_items",
                column: "report_id",
                principalTable: "progress_reports",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_investment_months_progress_reports_report_id",
                table: "investment_months",
                column: "report_id",
                principalTable: "progress_reports",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_report_values_progress_reports_report_id",
                table: "report_values",
                column: "report_id",
                principalTable: "progress_reports",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
