using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Progress;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>A city with a county and a township below it, a department in each, made fresh for one test.</summary>
public sealed record Place(int CityId, int CountyId, int TownshipId, int CityDepartmentId, int CountyDepartmentId, int TownshipDepartmentId);

public static class TestData
{
    public static async Task<Place> NewPlaceAsync(this TrackerApp app)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await using var db = app.Db();
        async Task<Jurisdiction> Add(string name, JurisdictionLevel level, Jurisdiction? parent)
        {
            var j = new Jurisdiction { Code = $"{name}-{tag}", Name = $"{name} {tag}", Level = level, ParentId = parent?.Id };
            db.Jurisdictions.Add(j);
            await db.SaveChangesAsync();
            j.Path = Jurisdiction.PathOf(parent?.Path, j.Id);
            await db.SaveChangesAsync();
            return j;
        }
        var city = await Add("city", JurisdictionLevel.City, null);
        var county = await Add("county", JurisdictionLevel.County, city);
        var township = await Add("township", JurisdictionLevel.Township, county);
        var departments = new[] { city, county, township }
            .Select(j => new Department { Code = $"dept-{j.Code}", Name = $"住建局 {j.Name}", JurisdictionId = j.Id }).ToArray();
        db.Departments.AddRange(departments);
        await db.SaveChangesAsync();
        return new Place(city.Id, county.Id, township.Id, departments[0].Id, departments[1].Id, departments[2].Id);
    }

    public static InitiativeInput NewInitiative(int jurisdictionId, int departmentId, string? code = null) => new(
        Code: code ?? $"MS-{Guid.NewGuid().ToString("N")[..6]}",
        Title: "老旧小区改造",
        Description: "Renovate old residential communities.",
        Year: 2026,
        Kind: InitiativeKind.Livelihood,
        JurisdictionId: jurisdictionId,
        LeadDepartmentId: departmentId,
        CoDepartmentIds: [],
        LeaderInCharge: new ContactDto("王副市长", "副市长", "0318-0000001", "leader@example.gov.cn"),
        ResponsiblePerson: new ContactDto("李科长", "科长", "13800000001", "li@example.gov.cn"),
        Budget: 12_000_000m,
        // The test clock starts on 2026-06-15: the straight line stands at 50% today.
        PlannedStart: new DateOnly(2026, 3, 1),
        Deadline: new DateOnly(2026, 9, 28),
        ReportingInterval: ReportingInterval.Weekly,
        Phase: null,
        Targets: [new TargetInput(null, "改造小区", "个", 0, 228, 1)],
        Milestones: [new MilestoneInput(null, "完成设计", new DateOnly(2026, 4, 1), new DateOnly(2026, 3, 30))]);

    /// <summary>Creates the item as an official of its lead department.</summary>
    public static async Task<(InitiativeDetail Detail, string ETag)> CreateAsync(this TrackerApp app, InitiativeInput input) =>
        await (await app.OfficialOf(input.LeadDepartmentId!.Value)).CreateAsync(input);

    public static async Task<(InitiativeDetail Detail, string ETag)> CreateAsync(this HttpClient client, InitiativeInput input)
    {
        var response = await client.PostAsJsonAsync("/api/initiatives", input, TrackerApp.Json);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Create failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var detail = (await response.Content.ReadFromJsonAsync<InitiativeDetail>(TrackerApp.Json))!;
        return (detail, response.Headers.ETag!.Tag);
    }

    /// <summary>Two overdue items of one department, with their own responsible people: three people to tell.</summary>
    public static async Task<string[]> OverdueItemsAsync(this TrackerApp app)
    {
        var place = await app.NewPlaceAsync();
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var emails = new List<string>();
        foreach (var who in new[] { "a", "b" })
        {
            var email = $"{who}-{Guid.NewGuid():N}@example.gov.cn";
            emails.Add(email);
            var item = (await official.CreateAsync(NewInitiative(place.CountyId, place.CountyDepartmentId) with
            {
                PlannedStart = new(2026, 1, 1),
                Deadline = new(2026, 6, 10),  // 5 days overdue: level 1, so the leader in charge is not told yet
                ReportingInterval = ReportingInterval.Monthly,
                ResponsiblePerson = new("责任人", null, null, email),
            })).Detail;
            (await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/reports",
                new ReportInput(Phase.Started, "进展", null, null, [new ReportValueInput(item.Targets[0].Id, 228)], null), TrackerApp.Json)).EnsureSuccessStatusCode();
        }
        await using var db = app.Db();
        emails.Add((await db.Users.Where(u => u.DepartmentId == place.CountyDepartmentId).Select(u => u.Email!).SingleAsync()).ToLowerInvariant());
        return [.. emails.Order()];
    }
}
