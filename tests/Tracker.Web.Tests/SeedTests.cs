using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Domain;
using Tracker.Web.Features.Directory;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Seed;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

public sealed class SeedTests(SeededTrackerApp app) : IClassFixture<SeededTrackerApp>
{
    [Fact]
    public async Task Loading_the_seed_twice_changes_nothing()
    {
        _ = app.Services; // the host seeds on start
        var before = await Counts();

        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<Seeder>().SeedAsync(SeedFolder(), CancellationToken.None);

        Assert.Equal(0, result.Initiatives);
        Assert.Equal(0, result.Reports);
        Assert.Equal(before, await Counts());
    }

    [Fact]
    public async Task Every_seeded_item_has_the_colour_the_seed_expects_in_the_list_and_in_its_filter()
    {
        var client = await app.AdminClient();
        var expected = Expected();
        var listed = new Dictionary<string, HealthColour>();
        for (var page = 1; ; page++)
        {
            var result = await client.GetFromJsonAsync<Paged<InitiativeSummary>>($"/api/initiatives?pageSize=100&page={page}", TrackerApp.Json);
            foreach (var item in result!.Items)
                listed[item.Code] = item.Health.Colour;
            if (!result.HasMore)
                break;
        }

        Assert.Equal(expected.Count, listed.Count);
        Assert.All(expected, e => Assert.True(e.Value == listed[e.Key], $"{e.Key}: expected {e.Value}, listed {listed[e.Key]}"));
        foreach (var colour in Enum.GetValues<HealthColour>())
        {
            // The SQL filter runs the same rule as the in-memory evaluation.
            var filtered = await client.GetFromJsonAsync<Paged<InitiativeSummary>>($"/api/initiatives?pageSize=100&colour={colour}", TrackerApp.Json);
            Assert.Equal(
                expected.Where(e => e.Value == colour).Select(e => e.Key).Order(),
                filtered!.Items.Select(i => i.Code).Order());
        }
    }

    [Fact]
    public async Task The_seed_covers_every_kind_and_colour_and_the_jurisdiction_tree()
    {
        var expected = Expected();
        Assert.True(expected.Count >= 30, $"only {expected.Count} seeded initiatives");
        Assert.All(Enum.GetValues<HealthColour>(), c => Assert.Contains(c, expected.Values));

        await using var db = app.Db();
        var kinds = await db.Initiatives.Select(i => i.Kind).Distinct().ToListAsync();
        Assert.Equal(Enum.GetValues<InitiativeKind>().Order(), kinds.Order());

        var tree = await app.CreateClient().GetFromJsonAsync<List<JurisdictionNode>>("/api/jurisdictions", TrackerApp.Json);
        static int Depth(JurisdictionNode n) => 1 + (n.Children.Count == 0 ? 0 : n.Children.Max(Depth));
        Assert.True(tree!.Max(Depth) >= 3);
    }

    private async Task<(int, int, int, int, int, int)> Counts()
    {
        await using var db = app.Db();
        return (await db.Jurisdictions.CountAsync(), await db.Departments.CountAsync(), await db.Initiatives.CountAsync(),
            await db.Targets.CountAsync(), await db.Milestones.CountAsync(), await db.ProgressReports.CountAsync());
    }

    private static string SeedFolder() => Path.Combine(AppContext.BaseDirectory, "seed");

    private static Dictionary<string, HealthColour> Expected()
    {
        using var stream = File.OpenRead(Path.Combine(SeedFolder(), "initiatives.json"));
        var seed = JsonSerializer.Deserialize<List<SeedInitiative>>(stream, TrackerApp.Json)!;
        // Codes are unique per jurisdiction; the seed keeps them unique overall so the tests can key on them.
        return seed.ToDictionary(s => s.Code, s => s.ExpectedColour!.Value);
    }
}
