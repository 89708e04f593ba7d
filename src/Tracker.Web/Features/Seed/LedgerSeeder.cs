using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;

namespace Tracker.Web.Features.Seed;

// The shape of seed/ledgers.json; seed/README.md documents it.

public sealed record SeedLedgers(Dictionary<string, string[]> Categories, SeedLedger[] Ledgers);

public sealed record SeedLedger(string Initiative, string Verifier, SeedLedgerRow[] Rows);

/// <summary>A row; days are offsets from the day of the load, as in initiatives.json; Status with Rectified/Closed the days it was.</summary>
public sealed record SeedLedgerRow(
    string Number, string Finding, string Place, string Category, LedgerSeverity Severity, string Source, int FoundOn, string Department,
    string ResponsiblePerson, string? FoundBy, string Measures, RectificationMode Mode, int? Deadline, LedgerRowStatus Status, int? Rectified, int? Closed);

/// <summary>
/// Loads seed/ledgers.json: the jurisdictions' category lists and the ledgers of seeded items, each row taken through
/// its steps to the status the file gives. Idempotent: categories by (jurisdiction, name), rows by (item, number).
/// </summary>
public sealed class LedgerSeeder(TrackerDbContext db, OfficeClock clock)
{
    public const string FileName = "ledgers.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public async Task<int> SeedAsync(string folder, IReadOnlyDictionary<string, int> jurisdictionIds, IReadOnlyDictionary<string, int> departmentIds, CancellationToken ct)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            return 0;
        await using var stream = File.OpenRead(path);
        var seed = await JsonSerializer.DeserializeAsync<SeedLedgers>(stream, Json, ct) ?? throw new InvalidDataException($"{FileName} is empty.");

        foreach (var (code, names) in seed.Categories)
        {
            var jurisdiction = jurisdictionIds.TryGetValue(code, out var id) ? id : throw new InvalidDataException($"{FileName}: no jurisdiction {code}.");
            var known = await db.LedgerCategories.Where(c => c.JurisdictionId == jurisdiction).Select(c => c.Name).ToListAsync(ct);
            db.LedgerCategories.AddRange(names.Select((n, i) => (n, i)).Where(x => !known.Contains(x.n))
                .Select(x => new LedgerCategory { JurisdictionId = jurisdiction, Name = x.n, Position = x.i }));
        }

        var today = clock.Today;
        var zone = clock.Zone;
        DateTimeOffset At(int day, int hour)
        {
            var local = today.AddDays(day).ToDateTime(new TimeOnly(hour, 0));
            return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        }
        var added = 0;
        foreach (var ledger in seed.Ledgers)
        {
            var item = await db.Initiatives.Where(i => i.Code == ledger.Initiative).Select(i => new { i.Id, i.ResponsiblePerson.Name }).SingleOrDefaultAsync(ct)
                ?? throw new InvalidDataException($"{FileName}: no seeded item {ledger.Initiative}.");
            var numbers = await db.LedgerRows.Where(r => r.InitiativeId == item.Id).Select(r => r.Number).ToListAsync(ct);
            foreach (var s in ledger.Rows.Where(r => !numbers.Contains(r.Number)))
            {
                var row = new LedgerRow
                {
                    InitiativeId = item.Id,
                    Number = s.Number,
                    Finding = s.Finding,
                    Place = s.Place,
                    Category = s.Category,
                    Severity = s.Severity,
                    Source = s.Source,
                    FoundOn = today.AddDays(s.FoundOn),
                    DepartmentId = departmentIds[s.Department],
                    ResponsiblePerson = s.ResponsiblePerson,
                    FoundByDepartmentId = s.FoundBy is null ? null : departmentIds[s.FoundBy],
                    Measures = s.Measures,
                    Mode = s.Mode,
                    Deadline = s.Deadline is { } d ? today.AddDays(d) : null,
                };
                row.Record(item.Name, At(s.FoundOn, 9));
                if (s.Status == LedgerRowStatus.Rectifying)
                    row.Step(LedgerStepAction.Started, s.ResponsiblePerson, "", today.AddDays(s.FoundOn), At(s.FoundOn, 15));
                if (s.Status is LedgerRowStatus.Rectified or LedgerRowStatus.Closed)
                    row.Step(LedgerStepAction.Rectified, s.ResponsiblePerson, s.Measures, today.AddDays(s.Rectified!.Value), At(s.Rectified.Value, 16));
                if (s.Status == LedgerRowStatus.Closed)
                    row.Step(LedgerStepAction.Verified, ledger.Verifier, "复查合格，予以销号。", today.AddDays(s.Closed!.Value), At(s.Closed.Value, 10));
                db.LedgerRows.Add(row);
                added++;
            }
        }
        await db.SaveChangesAsync(ct);
        return added;
    }
}
