using Npgsql;
using Tracker.Domain;

namespace Tracker.ProvinceBench;

public static class Sessions
{
    /// <summary>The demo users signed in, and the items the requests point at, read from the loaded data.</summary>
    public static async Task<Session> SignInAsync(ServiceProcess service, string cs, LoadedData data, CancellationToken ct)
    {
        const string official = "official@demo.tracker", supervisor = "supervisor@demo.tracker", deputy = "deputy@demo.tracker", admin = "admin@demo.tracker";
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync(ct);
        // The official's item with the most reports, for the item's API and page.
        await using var best = new NpgsqlCommand(
            $"SELECT initiative_id FROM progress_reports WHERE initiative_id BETWEEN {data.FirstOfficialItem} AND {data.LastOfficialItem} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
            connection);
        var itemId = (long)(await best.ExecuteScalarAsync(ct) ?? data.FirstOfficialItem);
        var reportable = new List<(long, string)>();
        await using (var active = new NpgsqlCommand(
            $"SELECT id, kind FROM initiatives WHERE lead_department_id = {data.OfficialDepartmentId} AND status IN ('Planned', 'InProgress') ORDER BY id", connection))
        await using (var reader = await active.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                reportable.Add((reader.GetInt64(0), reader.GetString(1) == nameof(InitiativeKind.Rectification) ? nameof(Phase.Rectifying) : nameof(Phase.Started)));
        return new Session(
            await service.TokenAsync(supervisor, ct), await service.TokenAsync(official, ct), await service.TokenAsync(admin, ct),
            await service.CookieAsync(supervisor, ct), await service.CookieAsync(official, ct), await service.CookieAsync(deputy, ct), await service.CookieAsync(admin, ct),
            itemId, data.CountyId, data.CityId, reportable);
    }
}
