using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;

namespace Tracker.Web.Features.Seed;

public sealed record SeedResult(int Jurisdictions, int Departments, int Initiatives, int Reports);

/// <summary>
/// Loads seed/ into the database. Idempotent: rows are matched by their codes and only missing ones are
/// added, so loading twice (or from two instances at once) changes nothing the second time.
/// </summary>
public sealed class Seeder(TrackerDbContext db, OfficeClock clock, ILogger<Seeder> logger, UserManager<TrackerUser> users, Dispatch.DispatchOpening dispatch)
{
    private const long AdvisoryLockKey = 0x7472_6163_6b65_72; // "tracker"

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public async Task<SeedResult> SeedAsync(string folder, CancellationToken ct)
    {
        var jurisdictions = await ReadAsync<SeedJurisdiction>(folder, "jurisdictions.json", ct);
        var departments = await ReadAsync<SeedDepartment>(folder, "departments.json", ct);
        var programmes = await ReadProgrammesAsync(folder, ct);
        // The programmes' own items follow initiatives.json's, parents before their parts.
        List<SeedInitiative> initiatives = [.. await ReadAsync<SeedInitiative>(folder, "initiatives.json", ct), .. programmes.Items];
        var calendar = await ReadAsync<CalendarDay>(folder, "holidays.json", ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct);

        var jurisdictionIds = await SeedJurisdictionsAsync(jurisdictions, ct);
        await SeedBulletinSettingsAsync(jurisdictions, jurisdictionIds, ct);
        var departmentIds = await SeedDepartmentsAsync(departments, jurisdictionIds, ct);
        var (added, reports, itemIds) = await SeedInitiativesAsync(initiatives, jurisdictionIds, departmentIds, ct);
        await SeedProgrammesAsync(programmes.Programmes, itemIds, jurisdictionIds, departmentIds, ct);
        var days = calendar.Select(d => d.Day).ToList();
        var known = await db.CalendarDays.Where(d => days.Contains(d.Day)).Select(d => d.Day).ToListAsync(ct);
        db.CalendarDays.AddRange(calendar.Where(d => !known.Contains(d.Day)));
        await db.SaveChangesAsync(ct);
        // The deputies' vote that chose this year's livelihood items (livelihood-vote.json), in the same transaction.
        var vote = await new VoteSeeder(db, users, clock).SeedAsync(folder, jurisdictionIds, departmentIds, ct);
        // The ledgers (台账) of seeded rectification items and the jurisdictions' categories (ledgers.json).
        var ledgerRows = await new LedgerSeeder(db, clock).SeedAsync(folder, jurisdictionIds, departmentIds, ct);
        // The weekly dispatch rounds, opened over the items just seeded.
        var deliveries = await SeedDispatchAsync(jurisdictions, jurisdictionIds, ct);

        await transaction.CommitAsync(ct);
        dispatch.Queue(deliveries);
        var result = new SeedResult(jurisdictionIds.Count, departmentIds.Count, added, reports);
        logger.LogInformation("Seed loaded from {Folder}: {Result}, vote {Vote}, {LedgerRows} ledger rows", folder, result, vote, ledgerRows);
        return result;
    }

    private async Task<Dictionary<string, int>> SeedJurisdictionsAsync(IReadOnlyList<SeedJurisdiction> seed, CancellationToken ct)
    {
        var codes = seed.Select(s => s.Code).ToList();
        var existing = await db.Jurisdictions.Where(j => codes.Contains(j.Code)).ToDictionaryAsync(j => j.Code, ct);
        foreach (var s in seed.Where(s => !existing.ContainsKey(s.Code)))
        {
            var parent = s.Parent is null ? null : existing[s.Parent];
            var jurisdiction = new Jurisdiction { Code = s.Code, Name = s.Name, Level = s.Level, ParentId = parent?.Id };
            db.Jurisdictions.Add(jurisdiction);
            await db.SaveChangesAsync(ct);
            jurisdiction.Path = Jurisdiction.PathOf(parent?.Path, jurisdiction.Id);
            await db.SaveChangesAsync(ct);
            existing[s.Code] = jurisdiction;
        }
        return existing.ToDictionary(e => e.Key, e => e.Value.Id);
    }

    /// <summary>Switches on the recurring bulletins a seeded jurisdiction issues, once: a setting changed since is left as it is.</summary>
    private async Task SeedBulletinSettingsAsync(IReadOnlyList<SeedJurisdiction> seed, Dictionary<string, int> jurisdictionIds, CancellationToken ct)
    {
        var wanted = seed.Where(s => s.Bulletins is { Length: > 0 }).ToDictionary(s => jurisdictionIds[s.Code], s => s.Bulletins!);
        var ids = wanted.Keys.ToList();
        var existing = await db.BulletinSettings.Where(b => ids.Contains(b.JurisdictionId)).Select(b => b.JurisdictionId).ToListAsync(ct);
        foreach (var (id, kinds) in wanted.Where(w => !existing.Contains(w.Key)))
            db.BulletinSettings.Add(new Bulletins.BulletinSetting
            {
                JurisdictionId = id,
                Daily = kinds.Contains(BulletinKind.Daily),
                Weekly = kinds.Contains(BulletinKind.Weekly),
                Monthly = kinds.Contains(BulletinKind.Monthly),
            });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Starts a jurisdiction's weekly round once (a jurisdiction with any round is left alone): open from now, due on the
    /// coming due day at the due time (next week's when that is today and already past).
    /// </summary>
    private async Task<List<long>> SeedDispatchAsync(IReadOnlyList<SeedJurisdiction> seed, Dictionary<string, int> jurisdictionIds, CancellationToken ct)
    {
        var deliveries = new List<long>();
        foreach (var s in seed.Where(s => s.Dispatch is not null))
        {
            var id = jurisdictionIds[s.Code];
            if (await db.DispatchRounds.AnyAsync(r => r.JurisdictionId == id, ct))
                continue;
            var d = s.Dispatch!;
            var now = clock.Now;
            var day = clock.Today.AddDays(((int)d.DueDay - (int)clock.Today.DayOfWeek + 7) % 7);
            var due = clock.StartOf(day).Add(d.DueTime.ToTimeSpan());
            if (due <= now)
                due = due.AddDays(7);
            var round = new Dispatch.DispatchRound
            {
                JurisdictionId = id,
                Title = d.Title,
                Instructions = d.Instructions,
                Kind = d.Kind,
                Weekly = true,
                OpensAt = now,
                DueAt = due,
                Status = DispatchStatus.Scheduled,
                CreatedBy = "seed",
                CreatedAt = now,
            };
            db.DispatchRounds.Add(round);
            await db.SaveChangesAsync(ct);
            deliveries.AddRange(await dispatch.OpenAsync(round, ct));
        }
        return deliveries;
    }

    private async Task<Dictionary<string, int>> SeedDepartmentsAsync(
        IReadOnlyList<SeedDepartment> seed, Dictionary<string, int> jurisdictionIds, CancellationToken ct)
    {
        var codes = seed.Select(s => s.Code).ToList();
        var existing = await db.Departments.Where(d => codes.Contains(d.Code)).ToDictionaryAsync(d => d.Code, ct);
        foreach (var s in seed.Where(s => !existing.ContainsKey(s.Code)))
        {
            var department = new Department
            {
                Code = s.Code,
                Name = s.Name,
                JurisdictionId = jurisdictionIds[s.Jurisdiction],
                HeadName = s.Head?.Name,
                HeadEmail = s.Head?.Email,
            };
            db.Departments.Add(department);
            existing[s.Code] = department;
        }
        await db.SaveChangesAsync(ct);
        return existing.ToDictionary(e => e.Key, e => e.Value.Id);
    }

    /// <summary>Adds the items not loaded yet this year; returns every seeded item's id by code (codes are unique in the seed).</summary>
    private async Task<(int Added, int Reports, Dictionary<string, long> Ids)> SeedInitiativesAsync(
        IReadOnlyList<SeedInitiative> seed, Dictionary<string, int> jurisdictionIds, Dictionary<string, int> departmentIds, CancellationToken ct)
    {
        var now = clock.Now;
        var today = clock.Today;
        var year = today.Year;
        var codes = seed.Select(s => s.Code).ToList();
        var present = await db.Initiatives.Where(i => i.Year == year && codes.Contains(i.Code))
            .Select(i => new { i.JurisdictionId, i.Code, i.Id })
            .ToDictionaryAsync(i => (i.JurisdictionId, i.Code), i => i.Id, ct);
        var ids = seed.Where(s => present.ContainsKey((jurisdictionIds[s.Jurisdiction], s.Code)))
            .ToDictionary(s => s.Code, s => present[(jurisdictionIds[s.Jurisdiction], s.Code)]);
        int added = 0, reports = 0;

        foreach (var s in seed.Where(s => !ids.ContainsKey(s.Code)))
        {
            var initiative = new Initiative
            {
                Code = s.Code,
                Title = s.Title,
                Description = s.Description ?? "",
                Year = year,
                Kind = s.Kind,
                JurisdictionId = jurisdictionIds[s.Jurisdiction],
                LeadDepartmentId = departmentIds[s.LeadDepartment],
                CoDepartments = [.. (s.CoDepartments ?? []).Select(c => new InitiativeCoDepartment { DepartmentId = departmentIds[c] })],
                LeaderInCharge = s.LeaderInCharge.ToContact(),
                ResponsiblePerson = s.ResponsiblePerson.ToContact(),
                Budget = s.Budget,
                PlannedStart = today.AddDays(s.PlannedStart),
                Deadline = today.AddDays(s.Deadline),
                ReportingInterval = s.ReportingInterval,
                Status = s.Status == InitiativeStatus.Planned ? InitiativeStatus.Planned : InitiativeStatus.InProgress,
                Phase = Phases.First(s.Kind),
                Targets = [.. s.Targets.Select(t => new Target
                {
                    Metric = t.Metric, Unit = t.Unit, Baseline = t.Baseline, TargetValue = t.Target, Weight = t.Weight ?? 1,
                })],
                Milestones = [.. (s.Milestones ?? []).Select(m => new Milestone
                {
                    Name = m.Name, PlannedOn = today.AddDays(m.Planned), AchievedOn = m.Achieved is { } a ? today.AddDays(a) : null,
                })],
                CreatedAt = now.AddDays(Math.Min(s.PlannedStart, 0)),
                UpdatedAt = now,
                ParentId = s.Parent is null ? null : ids[s.Parent],
                Weight = s.Weight ?? 1,
                KeyProject = s.KeyProject is not { } k ? null : new KeyProjectFacts
                {
                    Level = k.Level,
                    Construction = k.Construction,
                    Industry = k.Industry,
                    StrategicEmerging = k.StrategicEmerging,
                    OwnerEnterprise = k.OwnerEnterprise,
                    TotalInvestment = k.TotalInvestment,
                    PlannedInvestment = k.PlannedInvestment,
                    PlannedProduction = k.PlannedProduction is { } p ? today.AddDays(p) : null,
                },
            };
            initiative.Refresh();
            // The voted livelihood items are public from the start.
            initiative.Publish(s.Kind == InitiativeKind.Livelihood);
            db.Initiatives.Add(initiative);
            await db.SaveChangesAsync(ct);
            ids[s.Code] = initiative.Id;

            var invested = new List<ProgressReport>();
            foreach (var r in (s.Reports ?? []).OrderByDescending(r => r.DaysAgo))
            {
                var report = new ProgressReport
                {
                    InitiativeId = initiative.Id,
                    ReportedBy = r.By,
                    ReportedAt = now.AddDays(-r.DaysAgo),
                    Phase = r.Phase,
                    Narrative = r.Narrative,
                    Problems = r.Problems,
                    NextSteps = r.NextSteps,
                    Values = [.. r.Values.Select(v => new ReportValue
                    {
                        TargetId = initiative.Targets.Single(t => t.Metric == v.Key).Id, Value = v.Value,
                    })],
                    Investment = r.Investment,
                };
                initiative.ApplyReport(report, today.AddDays(-r.DaysAgo));
                db.ProgressReports.Add(report);
                if (r.Investment is not null)
                    invested.Add(report);
                reports++;
            }
            // A month's investment as a report gives it, by the same rule as a posted report (oldest first, so a later one corrects).
            if (invested.Count > 0)
                await db.SaveChangesAsync(ct);
            foreach (var report in invested)
                await Programmes.KeptInvestment.RecordAsync(db, initiative, report.Id, Investment.MonthOf(report.ReportedOn), report.Investment!.Value, ct);

            initiative.Phase = s.Phase;
            if (s.Status is InitiativeStatus.Completed or InitiativeStatus.Suspended or InitiativeStatus.Cancelled)
                initiative.ChangeStatus(s.Status, initiative.LastReportedOn ?? today);
            await db.SaveChangesAsync(ct);
            added++;
        }
        return (added, reports, ids);
    }

    /// <summary>The seeding year's programmes, each once (by jurisdiction, year and code) with its members.</summary>
    private async Task SeedProgrammesAsync(IReadOnlyList<SeedProgramme> seed, Dictionary<string, long> itemIds,
        Dictionary<string, int> jurisdictionIds, Dictionary<string, int> departmentIds, CancellationToken ct)
    {
        var year = clock.Today.Year;
        var known = (await db.Programmes.Where(p => p.Year == year).Select(p => new { p.JurisdictionId, p.Code }).ToListAsync(ct))
            .Select(p => (p.JurisdictionId, p.Code)).ToHashSet();
        foreach (var s in seed.Where(s => !known.Contains((jurisdictionIds[s.Jurisdiction], s.Code))))
        {
            var programme = new Programmes.Programme
            {
                JurisdictionId = jurisdictionIds[s.Jurisdiction],
                Year = year,
                Code = s.Code,
                Name = $"{year}年{s.Name}",
                Description = s.Description,
                OwnerDepartmentId = s.Owner is null ? null : departmentIds[s.Owner],
                CreatedBy = "seed",
                CreatedAt = clock.Now,
            };
            db.Programmes.Add(programme);
            await db.SaveChangesAsync(ct);
            db.ProgrammeItems.AddRange(s.Members.Select(m => new Programmes.ProgrammeItem
            {
                ProgrammeId = programme.Id,
                InitiativeId = itemIds[m],
            }));
        }
        await db.SaveChangesAsync(ct);
    }

    private async Task<SeedProgrammes> ReadProgrammesAsync(string folder, CancellationToken ct)
    {
        var path = Path.Combine(folder, SeedProgrammes.FileName);
        if (!File.Exists(path))
            return new([], []);
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<SeedProgrammes>(stream, Json, ct) ?? throw new InvalidDataException($"{SeedProgrammes.FileName} is empty.");
    }

    private static async Task<IReadOnlyList<T>> ReadAsync<T>(string folder, string file, CancellationToken ct)
    {
        await using var stream = File.OpenRead(Path.Combine(folder, file));
        return await JsonSerializer.DeserializeAsync<List<T>>(stream, Json, ct)
            ?? throw new InvalidDataException($"{file} is empty.");
    }
}
