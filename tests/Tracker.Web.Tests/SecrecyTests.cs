using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>
/// Issue 13: no one but the deputy learns how a deputy voted or rated. Two deputies vote differently and rate an item
/// differently; then every read operation of the OpenAPI document (with the valid values the fuzz world knows) and the whole
/// audit trail are read as a supervisor and as an admin, and no answer holds a deputy's identity and a choice or rating
/// in the same object (or below it). The trail records that a ballot or rating was cast, naming no one.
/// </summary>
public sealed class SecrecyTests(FuzzWorld fuzz) : IClassFixture<FuzzWorld>
{
    /// <summary>Keys that carry a choice or a rating, in any answer.</summary>
    private static readonly HashSet<string> SecretKeys = new(StringComparer.OrdinalIgnoreCase) { "choice", "choices", "rating", "ratings", "comment" };

    [Fact]
    public async Task No_endpoint_and_no_audit_entry_read_by_a_supervisor_or_an_admin_links_a_deputy_to_a_ballot_choice_or_a_rating()
    {
        var world = fuzz.World;
        var first = fuzz.Client("deputy");
        var secondUser = await world.NewUserAsync([Roles.Deputy], jurisdictionId: world.A.CityId);
        var second = world.CreateClient();
        second.DefaultRequestHeaders.Authorization = new("Bearer",
            JsonNode.Parse(await (await world.LoginAsync(secondUser.Email!, TrackerApp.Password)).Content.ReadAsStringAsync())!["accessToken"]!.GetValue<string>());
        var deputies = new List<string>();
        foreach (var deputy in new[] { first, second })
        {
            var me = JsonNode.Parse(await deputy.GetStringAsync("/api/auth/me"))!;
            deputies.AddRange(new[] { "id", "email", "displayName", "userName" }.Select(k => me[k]?.GetValue<string>()).OfType<string>().Where(v => v.Length > 0));
        }

        // Each deputy votes and rates, differently.
        await Ok(first.PostAsJsonAsync($"/api/sessions/{fuzz.CitySessionId}/ballots",
            new BallotInput([new ChoiceInput(fuzz.CityCandidateId, VoteChoice.For)]), TrackerApp.Json));
        await Ok(second.PostAsJsonAsync($"/api/sessions/{fuzz.CitySessionId}/ballots",
            new BallotInput([new ChoiceInput(fuzz.CityCandidateId, VoteChoice.Against)]), TrackerApp.Json));
        await Ok(first.PostAsJsonAsync($"/api/initiatives/{fuzz.ItemId}/evaluation", new EvaluationInput(Rating.Dissatisfied, "道路仍有积水"), TrackerApp.Json));
        await Ok(second.PostAsJsonAsync($"/api/initiatives/{fuzz.ItemId}/evaluation", new EvaluationInput(Rating.Satisfied, "满意"), TrackerApp.Json));

        var document = JsonNode.Parse(await fuzz.Client("anonymous").GetStringAsync("/openapi/v1.json"))!;
        var reads = new OpenApiFuzzer(document, fuzz, seed: 1).Generate()
            .Where(c => c.Kind == FuzzCase.Baseline && c.IsRead).Select(c => c.Url.Replace(OpenApiFuzzer.Unique, "1", StringComparison.Ordinal)).Distinct().ToList();
        Assert.Contains(reads, u => u.StartsWith("/api/audit", StringComparison.Ordinal));
        Assert.Contains(reads, u => u.StartsWith("/api/evaluations", StringComparison.Ordinal));

        var leaks = new List<string>();
        var answered = 0;
        foreach (var who in new[] { "supervisor", "admin" })
        {
            var client = fuzz.Client(who);
            foreach (var url in reads.Append("/api/audit?pageSize=200"))
            {
                using var response = await client.GetAsync(url);
                if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType?.Contains("json") != true)
                    continue;
                answered++;
                Walk(JsonNode.Parse(await response.Content.ReadAsStringAsync()), $"{who} GET {url}", deputies, leaks);
            }
            // Every page of the trail.
            for (var page = 1; ; page++)
            {
                var trail = JsonNode.Parse(await client.GetStringAsync($"/api/audit?pageSize=200&page={page}"))!;
                Walk(trail, $"{who} audit page {page}", deputies, leaks);
                foreach (var entry in trail["items"]!.AsArray())
                    if (entry!["entityType"]!.GetValue<string>() is "Ballot" or "Evaluation")
                    {
                        Assert.Null(entry["userId"]?.GetValue<string>());
                        Assert.DoesNotContain("Rating", entry["after"]?.GetValue<string>() ?? "", StringComparison.Ordinal);
                    }
                if (!trail["hasMore"]!.GetValue<bool>())
                    break;
            }
        }

        Assert.True(answered > 40, $"Only {answered} reads answered.");
        Assert.True(leaks.Count == 0, "A deputy and a choice or rating in one answer:\n" + string.Join("\n", leaks.Take(20)));
        // The trail still says that the ballots and ratings were cast.
        var audit = JsonNode.Parse(await fuzz.Client("admin").GetStringAsync("/api/audit?entityType=Evaluation&pageSize=200"))!["items"]!.AsArray();
        Assert.Equal(2, audit.Count(e => e!["initiativeId"]?.GetValue<long>() == fuzz.ItemId));
        var ballots = JsonNode.Parse(await fuzz.Client("admin").GetStringAsync("/api/audit?entityType=Ballot&pageSize=200"))!["items"]!.AsArray();
        Assert.Equal(2, ballots.Count(e => e!["after"]!.GetValue<string>().Contains($"\"SessionId\": {fuzz.CitySessionId}", StringComparison.Ordinal)));
    }

    private static async Task<HttpResponseMessage> Ok(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    /// <summary>Records every object (JSON text inside strings included) that names a deputy and holds a secret key in it or below.</summary>
    private static void Walk(JsonNode? node, string where, List<string> deputies, List<string> leaks)
    {
        switch (node)
        {
            case JsonObject obj:
                var names = obj.Select(p => p.Value).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>()
                    .Where(s => deputies.Any(d => s.Contains(d, StringComparison.OrdinalIgnoreCase))).ToList();
                if (names.Count > 0 && HoldsSecret(obj))
                    leaks.Add($"{where}: {obj.ToJsonString()[..Math.Min(300, obj.ToJsonString().Length)]}");
                foreach (var (_, value) in obj)
                    Walk(Nested(value), where, deputies, leaks);
                break;
            case JsonArray array:
                foreach (var item in array)
                    Walk(Nested(item), where, deputies, leaks);
                break;
        }
    }

    private static bool HoldsSecret(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Any(p => SecretKeys.Contains(p.Key) || HoldsSecret(Nested(p.Value))),
        JsonArray array => array.Any(i => HoldsSecret(Nested(i))),
        _ => false,
    };

    /// <summary>A string holding a JSON object (an audit entry's before and after) read as one.</summary>
    private static JsonNode? Nested(JsonNode? node)
    {
        if (node is JsonValue value && value.TryGetValue<string>(out var text) && text.StartsWith('{'))
        {
            try { return JsonNode.Parse(text); }
            catch (JsonException) { return node; }
        }
        return node;
    }
}
