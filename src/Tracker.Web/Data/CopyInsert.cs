using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Tracker.Web.Features.Audit;

namespace Tracker.Web.Data;

/// <summary>
/// New rows by PostgreSQL's binary COPY, for the thousands of rows of an import, where EF's one INSERT … RETURNING per
/// entity is most of the time. Tables, columns and value conversions come from the EF model, so the model stays the one
/// description of a table; audited types get their "Created" entries as <see cref="TrackerDbContext.SaveChangesAsync(bool, CancellationToken)"/>
/// writes them, also by COPY. Runs in the caller's transaction; the entities are not tracked.
/// </summary>
internal static class CopyInsert
{
    /// <summary>Inserts the entities; with <paramref name="assignKeys"/>, their long keys are first drawn from the table's identity.</summary>
    public static async Task RunAsync<T>(TrackerDbContext db, IReadOnlyList<T> entities, bool assignKeys, IAuditActor actor, DateTimeOffset now, CancellationToken ct)
        where T : class
    {
        if (entities.Count == 0)
            return;
        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (assignKeys)
                await AssignKeysAsync(db, type, table, entities, ct);
            await CopyAsync(db, type, table, entities, withKeys: assignKeys, ct);
            var audit = AuditRecorder.Created(db, entities, actor, now);
            if (audit.Count > 0)
            {
                var auditType = db.Model.FindEntityType(typeof(AuditEntry))!;
                await CopyAsync(db, auditType, StoreObjectIdentifier.Table(auditType.GetTableName()!, auditType.GetSchema()), audit, withKeys: false, ct);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task AssignKeysAsync<T>(TrackerDbContext db, IEntityType type, StoreObjectIdentifier table, IReadOnlyList<T> entities, CancellationToken ct)
    {
        var key = type.FindPrimaryKey()!.Properties.Single(p => p.ValueGenerated == ValueGenerated.OnAdd);
        await using var command = new NpgsqlCommand(
            "SELECT nextval(pg_get_serial_sequence(@table, @column)) FROM generate_series(1, @count)", (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.AddWithValue("table", table.Name);
        command.Parameters.AddWithValue("column", key.GetColumnName(table)!);
        command.Parameters.AddWithValue("count", entities.Count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var setter = key.PropertyInfo!;
        foreach (var entity in entities)
        {
            await reader.ReadAsync(ct);
            setter.SetValue(entity, reader.GetInt64(0));
        }
    }

    private static async Task CopyAsync<T>(TrackerDbContext db, IEntityType type, StoreObjectIdentifier table, IReadOnlyList<T> entities, bool withKeys, CancellationToken ct)
        where T : class
    {
        // Not the row version (xmin), nor a generated key unless it was drawn above.
        var properties = type.GetProperties()
            .Where(p => p.ValueGenerated != ValueGenerated.OnAddOrUpdate && (withKeys || !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd)))
            .Select(p => (Getter: p.GetGetter(), Mapping: p.GetRelationalTypeMapping(), Column: p.GetColumnName(table)!))
            .ToList();
        var columns = string.Join(", ", properties.Select(p => $"\"{p.Column}\""));
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var writer = await connection.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({columns}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var entity in entities)
        {
            await writer.StartRowAsync(ct);
            foreach (var (getter, mapping, _) in properties)
            {
                var value = getter.GetClrValue(entity);
                if (value is not null && mapping.Converter is { } converter)
                    value = converter.ConvertToProvider(value);
                if (value is null)
                    await writer.WriteNullAsync(ct);
                else
                    await writer.WriteAsync(value, mapping.StoreTypeNameBase, ct);
            }
        }
        await writer.CompleteAsync(ct);
    }
}
