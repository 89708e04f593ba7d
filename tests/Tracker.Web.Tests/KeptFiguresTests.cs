using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Plans;
using Tracker.Web.Features.Programmes;
using Tracker.Web.Features.Progress;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>
/// The health kept on each row and the kept counts are a cache of the rules: these tests hold them to the rules'
/// own evaluation after every kind of write and after the day moves on, and to a fresh count after random writes.
/// </summary>
public sealed class KeptFiguresTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task Stored_health_equals_the_rules_evaluation_after_every_kind_of_write_and_after_the_day_changes()
    {
        var place = await app.NewPlaceAsync();
        var random = new Random(12);
        var items = new List<(InitiativeDetail Detail, string ETag)>();
        for (var n = 0; n < 24; n++)
            items.Add(await app.CreateAsync(RandomItem(place, random)));
        await AssertKeptEqualsRulesAsync(place, "after creating");

        var official = await app.OfficialOf(place.CountyDepartmentId);
        foreach (var (item, _) in items.Where((_, n) => n % 2 == 0))
            await ReportAsync(official, item, random);
        await AssertKeptEqualsRulesAsync(place, "after reports");

        foreach (var ((item, _), status) in items.Skip(1).Where((_, n) => n % 3 == 0).Zip([InitiativeStatus.Suspended, InitiativeStatus.Cancelled, InitiativeStatus.InProgress, InitiativeStatus.Suspended]))
            (await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/status", new StatusChange(status), TrackerApp.Json)).EnsureSuccessStatusCode();
        await AssertKeptEqualsRulesAsync(place, "after status changes");

        var supervisor = await app.SupervisorOf(place.CityId);
        foreach (var (item, etag) in items.Where((_, n) => n % 4 == 3))
        {
            var fresh = await official.GetFromJsonAsync<InitiativeDetail>($"/api/initiatives/{item.Id}", TrackerApp.Json);
            if (fresh!.Status != InitiativeStatus.Planned)
            {
                // A started item's plan moves by an approved change request.
                var asked = await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/change-requests",
                    new ChangeRequestInput("调整计划", fresh.PlannedStart.AddDays(-random.Next(1, 20)), fresh.Deadline.AddDays(random.Next(1, 90)), null, null), TrackerApp.Json);
                Assert.True(asked.IsSuccessStatusCode, await asked.Content.ReadAsStringAsync());
                var request = (await asked.Content.ReadFromJsonAsync<ChangeRequestDto>(TrackerApp.Json))!;
                (await supervisor.PostAsJsonAsync($"/api/change-requests/{request.Id}/decision", new ChangeDecision(true, "同意"), TrackerApp.Json)).EnsureSuccessStatusCode();
                continue;
            }
            var put = new HttpRequestMessage(HttpMethod.Put, $"/api/initiatives/{item.Id}")
            {
                Content = JsonContent.Create(RandomItem(place, random) with { Code = item.Code, Targets = [.. fresh!.Targets.Select(t => new TargetInput(t.Id, t.Metric, t.Unit, t.Baseline, t.Target, t.Weight))] }, options: TrackerApp.Json),
            };
            put.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(fresh.ETag));
            var answer = await official.SendAsync(put);
            Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
        }
        await AssertKeptEqualsRulesAsync(place, "after plan edits and approved changes");

        foreach (var days in new[] { 1, 6, 30, 120, 400 })
        {
            app.Clock.Advance(TimeSpan.FromDays(days));
            await RefreshAsync();
            await AssertKeptEqualsRulesAsync(place, $"after the clock moved {days} days");
        }
    }

    [Fact]
    public async Task Kept_counts_equal_a_fresh_count_after_a_random_series_of_writes()
    {
        var place = await app.NewPlaceAsync();
        var random = new Random(7);
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var townOfficial = await app.OfficialOf(place.TownshipDepartmentId);
        var items = new List<InitiativeDetail>();
        for (var step = 0; step < 60; step++)
        {
            switch (items.Count == 0 ? 0 : random.Next(5))
            {
                case 0:
                    var town = random.Next(2) == 0;
                    var input = town ? RandomItem(place, random) with { JurisdictionId = place.TownshipId, LeadDepartmentId = place.TownshipDepartmentId } : RandomItem(place, random);
                    items.Add((await (town ? townOfficial : official).CreateAsync(input)).Detail);
                    break;
                case 1:
                    var item = items[random.Next(items.Count)];
                    await ReportAsync(item.LeadDepartment.Id == place.CountyDepartmentId ? official : townOfficial, item, random);
                    break;
                case 2:
                    var target = items[random.Next(items.Count)];
                    var client = target.LeadDepartment.Id == place.CountyDepartmentId ? official : townOfficial;
                    var next = Enum.GetValues<InitiativeStatus>()[random.Next(5)];
                    await client.PostAsJsonAsync($"/api/initiatives/{target.Id}/status", new StatusChange(next), TrackerApp.Json);
                    break;
                case 3:
                    app.Clock.Advance(TimeSpan.FromDays(random.Next(1, 40)));
                    await RefreshAsync();
                    break;
                default:
                    await using (var db = app.Db())
                    {
                        // A deletion (an admin's clean-up) takes its item out of the counts.
                        var gone = items[random.Next(items.Count)];
                        await db.Initiatives.Where(i => i.Id == gone.Id).ExecuteDeleteAsync();
                        items.Remove(gone);
                    }
                    break;
            }
        }

        await using var check = app.Db();
        var kept = await check.ItemCounts.AsNoTracking().Where(c => c.Items != 0 || c.ProgressSum != 0)
            .Where(c => c.JurisdictionId == place.CountyId || c.JurisdictionId == place.TownshipId)
            .OrderBy(c => c.JurisdictionId).ThenBy(c => c.DepartmentId).ThenBy(c => c.Kind).ThenBy(c => c.Year).ToListAsync();
        var fresh = await check.Initiatives.AsNoTracking()
            .Where(i => i.JurisdictionId == place.CountyId || i.JurisdictionId == place.TownshipId)
            .GroupBy(i => new { i.JurisdictionId, i.LeadDepartmentId, i.Kind, i.Year })
            .Select(g => new
            {
                g.Key.JurisdictionId,
                DepartmentId = g.Key.LeadDepartmentId,
                g.Key.Kind,
                g.Key.Year,
                Items = g.Count(),
                Planned = g.Count(i => i.Status == InitiativeStatus.Planned),
                InProgress = g.Count(i => i.Status == InitiativeStatus.InProgress),
                Completed = g.Count(i => i.Status == InitiativeStatus.Completed),
                Suspended = g.Count(i => i.Status == InitiativeStatus.Suspended),
                Cancelled = g.Count(i => i.Status == InitiativeStatus.Cancelled),
                Red = g.Count(i => i.HealthColour == HealthColour.Red),
                Amber = g.Count(i => i.HealthColour == HealthColour.Amber),
                Green = g.Count(i => i.HealthColour == HealthColour.Green),
                Grey = g.Count(i => i.HealthColour == HealthColour.Grey),
                Overdue = g.Count(i => i.Overdue),
                MilestoneOverdue = g.Count(i => i.MilestoneOverdue),
                Silent = g.Count(i => i.Silent),
                Lagging = g.Count(i => i.Lagging),
                LaggingRed = g.Count(i => i.LaggingRed),
                Due = g.Count(i => i.Due),
                OnTime = g.Count(i => i.CompletedOn != null && i.CompletedOn <= i.Deadline),
                ProgressSum = g.Sum(i => i.Progress),
            })
            .OrderBy(c => c.JurisdictionId).ThenBy(c => c.DepartmentId).ThenBy(c => c.Kind).ThenBy(c => c.Year).ToListAsync();

        Assert.NotEmpty(fresh);
        Assert.Equal(
            fresh.Select(f => $"{f.JurisdictionId}/{f.DepartmentId}/{f.Kind}/{f.Year}: {f.Items} {f.Planned} {f.InProgress} {f.Completed} {f.Suspended} {f.Cancelled} | {f.Red} {f.Amber} {f.Green} {f.Grey} | {f.Overdue} {f.MilestoneOverdue} {f.Silent} {f.Lagging} {f.LaggingRed} | {f.Due} {f.OnTime} {f.ProgressSum:F4}"),
            kept.Select(k => $"{k.JurisdictionId}/{k.DepartmentId}/{k.Kind}/{k.Year}: {k.Items} {k.Planned} {k.InProgress} {k.Completed} {k.Suspended} {k.Cancelled} | {k.Red} {k.Amber} {k.Green} {k.Grey} | {k.Overdue} {k.MilestoneOverdue} {k.Silent} {k.Lagging} {k.LaggingRed} | {k.Due} {k.OnTime} {k.ProgressSum:F4}"));
    }

    [Fact]
    public async Task Kept_rollups_equal_a_fresh_count_and_follow_a_renamed_department()
    {
        var place = await app.NewPlaceAsync();
        var random = new Random(11);
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var townOfficial = await app.OfficialOf(place.TownshipDepartmentId);
        var items = new List<InitiativeDetail>();
        for (var step = 0; step < 40; step++)
        {
            switch (items.Count == 0 ? 0 : random.Next(4))
            {
                case 0:
                    var town = random.Next(2) == 0;
                    var input = town ? RandomItem(place, random) with { JurisdictionId = place.TownshipId, LeadDepartmentId = place.TownshipDepartmentId } : RandomItem(place, random);
                    items.Add((await (town ? townOfficial : official).CreateAsync(input)).Detail);
                    break;
                case 1:
                    var item = items[random.Next(items.Count)];
                    await ReportAsync(item.LeadDepartment.Id == place.CountyDepartmentId ? official : townOfficial, item, random);
                    break;
                case 2:
                    var target = items[random.Next(items.Count)];
                    var client = target.LeadDepartment.Id == place.CountyDepartmentId ? official : townOfficial;
                    await client.PostAsJsonAsync($"/api/initiatives/{target.Id}/status", new StatusChange(Enum.GetValues<InitiativeStatus>()[random.Next(5)]), TrackerApp.Json);
                    break;
                default:
                    app.Clock.Advance(TimeSpan.FromDays(random.Next(1, 40)));
                    await RefreshAsync();
                    break;
            }
        }
        // Approved extensions count in the department's year.
        var supervisor = await app.SupervisorOf(place.CityId);
        var extended = 0;
        foreach (var item in items.Where(i => i.LeadDepartment.Id == place.CountyDepartmentId))
        {
            var current = await official.GetFromJsonAsync<InitiativeDetail>($"/api/initiatives/{item.Id}", TrackerApp.Json);
            if (current!.Status == InitiativeStatus.Planned)
                (await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/status", new StatusChange(InitiativeStatus.InProgress), TrackerApp.Json)).EnsureSuccessStatusCode();
            else if (current.Status is not (InitiativeStatus.InProgress or InitiativeStatus.Suspended))
                continue;
            if (++extended > 3)
                break;
            var asked = await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/change-requests", new ChangeRequestInput("延期", null, current.Deadline.AddDays(30), null, null), TrackerApp.Json);
            var request = (await asked.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<ChangeRequestDto>(TrackerApp.Json))!;
            (await supervisor.PostAsJsonAsync($"/api/change-requests/{request.Id}/decision", new ChangeDecision(true, "同意"), TrackerApp.Json)).EnsureSuccessStatusCode();
        }
        await using (var rename = app.Db())
            await rename.Departments.Where(d => d.Id == place.CountyDepartmentId).ExecuteUpdateAsync(s => s.SetProperty(d => d.Name, "更名后的部门"));

        await using var check = app.Db();
        int[] departments = [place.CountyDepartmentId, place.TownshipDepartmentId];
        int[] jurisdictions = [place.CountyId, place.TownshipId];
        var units = await check.Departments.Where(d => departments.Contains(d.Id))
            .Select(d => new { d.Id, d.Name, d.Jurisdiction!.Path }).ToDictionaryAsync(d => d.Id);
        var fresh = await check.Initiatives.AsNoTracking().Where(i => departments.Contains(i.LeadDepartmentId)).ToListAsync();
        Assert.NotEmpty(fresh);

        var years = await check.DepartmentCounts.AsNoTracking().Where(c => departments.Contains(c.DepartmentId) && c.Items > 0).ToListAsync();
        Assert.Equal(
            fresh.GroupBy(i => (i.LeadDepartmentId, i.Year)).OrderBy(g => g.Key)
                .Select(g => $"{g.Key}: {units[g.Key.LeadDepartmentId].Name} {units[g.Key.LeadDepartmentId].Path} {g.Count()} {g.Count(i => i.Status == InitiativeStatus.Completed)} {g.Count(i => i.Due)} {g.Count(i => i.CompletedOn <= i.Deadline)} {g.Sum(i => i.Progress):F4} {g.Count(i => i.HealthColour == HealthColour.Red)} {g.Count(i => i.Overdue)} {g.Sum(i => i.Extensions)}"),
            years.OrderBy(c => (c.DepartmentId, c.Year))
                .Select(c => $"({c.DepartmentId}, {c.Year}): {c.DepartmentName} {c.Path} {c.Items} {c.Completed} {c.Due} {c.OnTime} {c.ProgressSum:F4} {c.Red} {c.Overdue} {c.Extensions}"));

        static string Flags(IEnumerable<Initiative> g) =>
            $"{g.Count(i => i.HealthColour == HealthColour.Red)} {g.Count(i => i.HealthColour == HealthColour.Amber)} {g.Count(i => i.HealthColour == HealthColour.Green)} {g.Count(i => i.HealthColour == HealthColour.Grey)} {g.Count(i => i.Overdue)} {g.Count(i => i.Lagging)} {g.Count(i => i.Silent)} {g.Count(i => i.MilestoneOverdue)}";
        var byDepartment = await check.DepartmentFlags.AsNoTracking().Where(f => departments.Contains(f.DepartmentId)).OrderBy(f => f.DepartmentId).ToListAsync();
        Assert.Equal(
            fresh.GroupBy(i => i.LeadDepartmentId).OrderBy(g => g.Key).Select(g => $"{g.Key}: {units[g.Key].Name} {units[g.Key].Path} {Flags(g)}"),
            byDepartment.Select(f => $"{f.DepartmentId}: {f.DepartmentName} {f.Path} {f.Red} {f.Amber} {f.Green} {f.Grey} {f.Overdue} {f.Lagging} {f.Silent} {f.MilestoneOverdue}"));
        var byJurisdiction = await check.JurisdictionFlags.AsNoTracking().Where(f => jurisdictions.Contains(f.JurisdictionId)).OrderBy(f => f.JurisdictionId).ToListAsync();
        Assert.Equal(
            fresh.GroupBy(i => i.JurisdictionId).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.First().JurisdictionPath} {Flags(g)}"),
            byJurisdiction.Select(f => $"{f.JurisdictionId}: {f.Path} {f.Red} {f.Amber} {f.Green} {f.Grey} {f.Overdue} {f.Lagging} {f.Silent} {f.MilestoneOverdue}"));
        Assert.Equal("更名后的部门", byDepartment.Single(f => f.DepartmentId == place.CountyDepartmentId).DepartmentName);
        Assert.Contains(years, c => c.Extensions > 0);
    }

    [Fact]
    public async Task Kept_programme_counts_equal_a_fresh_sum_of_the_members_after_a_random_series_of_writes()
    {
        var place = await app.NewPlaceAsync();
        var random = new Random(16);
        var supervisor = await app.SupervisorOf(place.CountyId);
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var townOfficial = await app.OfficialOf(place.TownshipDepartmentId);
        // Of the year the clock is in (the class's other tests move it on), planned around today.
        var today = app.Services.GetRequiredService<OfficeClock>().Today;
        var shift = today.DayNumber - DateOnly.FromDateTime(TrackerApp.Start.UtcDateTime).DayNumber;
        var items = new List<InitiativeDetail>();
        for (var n = 0; n < 14; n++)
        {
            var town = n % 3 == 2;
            var input = RandomItem(place, random);
            input = input with { Year = today.Year, PlannedStart = input.PlannedStart!.Value.AddDays(shift), Deadline = input.Deadline!.Value.AddDays(shift) };
            if (town) input = input with { JurisdictionId = place.TownshipId, LeadDepartmentId = place.TownshipDepartmentId };
            // Half key projects with the year's plan; the others spend nothing.
            if (n % 2 == 0)
                input = input with
                {
                    Kind = InitiativeKind.KeyProject,
                    KeyProject = new KeyProjectInput(KeyProjectLevel.Municipal, ConstructionType.NewStart, "新材料", true, "某企业", 900m, random.Next(100, 500), null),
                };
            items.Add((await (town ? townOfficial : official).CreateAsync(input)).Detail);
        }
        HttpClient Of(InitiativeDetail item) => item.LeadDepartment.Id == place.CountyDepartmentId ? official : townOfficial;
        var all = await supervisor.NewProgrammeAsync(place.CountyId, today.Year, "ALL", [.. items.Select(i => i.Id)]);
        var some = await supervisor.NewProgrammeAsync(place.CountyId, today.Year, "SOME", [.. items.Where((_, n) => n % 3 == 0).Select(i => i.Id)]);

        for (var step = 0; step < 50; step++)
        {
            var item = items[random.Next(items.Count)];
            switch (random.Next(5))
            {
                case 0:
                case 1:
                    var investment = item.KeyProject is null ? (decimal?)null : random.Next(0, 80);
                    await Of(item).PostAsJsonAsync($"/api/initiatives/{item.Id}/reports", new ReportInput(Enum.GetValues<Phase>()[random.Next(4)], "本月进展", null, null,
                        [new ReportValueInput(item.Targets[0].Id, Math.Round(item.Targets[0].Target * (decimal)random.NextDouble(), 2))], null, investment), TrackerApp.Json);
                    break;
                case 2:
                    await Of(item).PostAsJsonAsync($"/api/initiatives/{item.Id}/status", new StatusChange(Enum.GetValues<InitiativeStatus>()[random.Next(5)]), TrackerApp.Json);
                    break;
                case 3:
                    // Out of a programme and, sometimes, back in.
                    (await supervisor.PutAsJsonAsync($"/api/programmes/{some}/items", new ProgrammeItemsInput(null, [item.Id]), TrackerApp.Json)).EnsureSuccessStatusCode();
                    if (random.Next(2) == 0)
                        (await supervisor.PutAsJsonAsync($"/api/programmes/{some}/items", new ProgrammeItemsInput([item.Id], null), TrackerApp.Json)).EnsureSuccessStatusCode();
                    break;
                default:
                    // The days pass: colours change and items come due to start.
                    app.Clock.Advance(TimeSpan.FromDays(random.Next(1, 8)));
                    await RefreshAsync();
                    break;
            }
        }

        await using var db = app.Db();
        var year = today.Year;
        today = app.Services.GetRequiredService<OfficeClock>().Today;
        foreach (var programme in new[] { all, some })
        {
            // What the whole set's readers get from the kept rows is what summing its members gives.
            var members = db.Initiatives.AsNoTracking().Where(i => db.ProgrammeItems.Any(m => m.ProgrammeId == programme && m.InitiativeId == i.Id));
            var summed = await SetFigures.ReadAsync(db, members, null, year, today, CancellationToken.None);
            var kept = await SetFigures.KeptAsync(db, programme, year, today, CancellationToken.None);
            Assert.True(summed.Figures.Items > 0);
            if (programme == all)   // the series moved what the figures count
                Assert.True(summed.Figures.CompletedInvestment > 0 && summed.Figures.Cancelled > 0 && summed.Figures.DueToStart > 0, JsonSerializer.Serialize(summed.Figures));
            Assert.Equal(JsonSerializer.Serialize(summed, Exact), JsonSerializer.Serialize(kept, Exact));
        }
        // The list keeps each member's colour and code for its order.
        var order = await db.ProgrammeItems.Where(m => m.ProgrammeId == all)
            .Join(db.Initiatives, m => m.InitiativeId, i => i.Id, (m, i) => new { m.ColourRank, m.Code, i.HealthColour, ItemCode = i.Code }).ToListAsync();
        Assert.All(order, o => Assert.Equal((o.HealthColour switch { HealthColour.Red => 0, HealthColour.Amber => 1, _ => 2 }, o.ItemCode), ((int)o.ColourRank, o.Code)));
        Assert.Contains(order, o => o.ColourRank < 2);

        // And the kept rows, amounts and months included, are those a rebuild from scratch writes.
        var before = await KeptRowsAsync(db, all, some);
        await db.Database.ExecuteSqlRawAsync("SELECT rebuild_programme_counts()");
        Assert.Equal(await KeptRowsAsync(db, all, some), before);
        Assert.Contains(before, r => r.Contains("True") && r.Contains("False"));
    }

    // Amounts compared by value: 0.0 and 0.00 are the same sum.
    private static readonly JsonSerializerOptions Exact = new() { Converters = { new ByValue() } };

    private sealed class ByValue : System.Text.Json.Serialization.JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options) => reader.GetDecimal();
        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value / 1.000000000000000000000000000000000m);
    }

    private static async Task<List<string>> KeptRowsAsync(TrackerDbContext db, params int[] programmes) =>
        [.. (await db.ProgrammeCounts.AsNoTracking().Where(c => programmes.Contains(c.ProgrammeId) && c.Items > 0).ToListAsync())
            .Select(c => $"{c.ProgrammeId} {c.Status} {c.Phase} {c.HealthColour} {c.Reported} {c.StartDue} {c.FirstMonth}-{c.LastMonth}: {c.Items} {c.ProgressSum:F4} {c.Planned:F2} {c.Completed:F2} [{string.Join(" ", c.Invested)}] [{string.Join(" ", c.ProgressAt)}]")
            .Order()];

    private async Task RefreshAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<KeptHealth>().EnsureTodayAsync(CancellationToken.None);
    }

    private async Task AssertKeptEqualsRulesAsync(Place place, string when)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var clock = scope.ServiceProvider.GetRequiredService<OfficeClock>();
        var context = new HealthContext(clock.Today, scope.ServiceProvider.GetRequiredService<HealthPolicy>());
        await using var db = app.Db();
        var items = await db.Initiatives.AsNoTracking().Include(i => i.Targets).Include(i => i.Milestones)
            .Where(i => i.JurisdictionId == place.CountyId || i.JurisdictionId == place.TownshipId).ToListAsync();
        Assert.NotEmpty(items);
        foreach (var item in items)
        {
            var rules = HealthRules.Evaluate(item, context);
            var expected = rules with { ExpectedProgress = HealthRules.Round(rules.ExpectedProgress) };
            Assert.True(item.HealthOn == context.Today, $"{when}: {item.Code} kept health of {item.HealthOn}, not {context.Today}");
            Assert.Equal((expected, HealthRules.Due.Compile()(item, context)), (item.KeptHealth(context.Today), item.Due));
        }
    }

    private static async Task ReportAsync(HttpClient official, InitiativeDetail item, Random random)
    {
        var report = new ReportInput(null, "本周进展", null, null,
            [.. item.Targets.Select(t => new ReportValueInput(t.Id, Math.Round(t.Target * (decimal)random.NextDouble(), 2)))], null);
        await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/reports", report, TrackerApp.Json);
    }

    private static InitiativeInput RandomItem(Place place, Random random)
    {
        var today = DateOnly.FromDateTime(TrackerApp.Start.UtcDateTime);
        var start = today.AddDays(random.Next(-200, 30));
        return TestData.NewInitiative(place.CountyId, place.CountyDepartmentId) with
        {
            Kind = Enum.GetValues<InitiativeKind>()[random.Next(Enum.GetValues<InitiativeKind>().Length)],
            PlannedStart = start,
            Deadline = start.AddDays(random.Next(10, 300)),
            ReportingInterval = Enum.GetValues<ReportingInterval>()[random.Next(3)],
            Targets = [new TargetInput(null, "完成量", "个", 0, random.Next(10, 500), 1)],
            Milestones = [new MilestoneInput(null, "阶段", start.AddDays(random.Next(5, 60)), null)],
        };
    }
}
