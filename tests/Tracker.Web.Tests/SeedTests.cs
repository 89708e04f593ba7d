using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Domain;
using Tracker.Web.Features.Directory;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Livelihood;
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
        // The weekly rounds of 唐山高新区 (its 7 key projects under way or planned and 77 of its 80 重点项目, 3 being finished) and
        // 廊坊开发区 (its 5 创城 tasks under way), due on Friday 17:00.
        await using var db = app.Db();
        var rounds = await db.DispatchRounds.OrderBy(r => r.Title)
            .Select(r => new { r.Title, r.Status, r.Weekly, r.DueAt, Items = db.DispatchItems.Count(d => d.RoundId == r.Id) }).ToListAsync();
        Assert.Equal([("创城任务周调度", 5), ("重点项目周调度", 84)], rounds.Select(r => (r.Title, r.Items)));
        Assert.All(rounds, r => Assert.Equal((DispatchStatus.Open, true, new DateTimeOffset(2026, 6, 19, 9, 0, 0, TimeSpan.Zero)), (r.Status, r.Weekly, r.DueAt)));
    }

    [Fact]
    public async Task Every_seeded_item_has_the_colour_the_seed_expects_in_the_list_and_in_its_filter()
    {
        var client = await app.AdminClient();
        var expected = Expected();
        var listed = (await AllPagesAsync(client, "")).ToDictionary(i => i.Code, i => i.Health.Colour);

        Assert.Equal(expected.Count, listed.Count);
        Assert.All(expected, e => Assert.True(e.Value == listed[e.Key], $"{e.Key}: expected {e.Value}, listed {listed[e.Key]}"));
        foreach (var colour in Enum.GetValues<HealthColour>())
        {
            // The SQL filter runs the same rule as the in-memory evaluation.
            var filtered = await AllPagesAsync(client, $"&colour={colour}");
            Assert.Equal(
                expected.Where(e => e.Value == colour).Select(e => e.Key).Order(),
                filtered.Select(i => i.Code).Order());
        }
    }

    private static async Task<List<InitiativeSummary>> AllPagesAsync(HttpClient client, string filter)
    {
        var items = new List<InitiativeSummary>();
        for (var page = 1; ; page++)
        {
            var result = await client.GetFromJsonAsync<Paged<InitiativeSummary>>($"/api/initiatives?pageSize=100&page={page}{filter}", TrackerApp.Json);
            items.AddRange(result!.Items);
            if (!result.HasMore)
                return items;
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

    [Fact]
    public async Task The_seeded_vote_chooses_exactly_the_candidates_that_became_the_HS_livelihood_items()
    {
        var seed = Vote();
        var year = Year();
        await using var db = app.Db();
        var hs = await db.Jurisdictions.SingleAsync(j => j.Code == "HS");
        var session = await db.Sessions.SingleAsync(s => s.JurisdictionId == hs.Id && s.Year == year && s.Name == seed.Session.Name);
        var ballots = await db.Ballots.AsNoTracking().Include(b => b.Choices).Where(b => b.SessionId == session.Id).ToListAsync();
        var result = Tally.Count(session, ballots);

        var items = await db.Initiatives.Where(i => i.JurisdictionId == hs.Id && i.Year == year && i.Code.StartsWith("HS-MS-"))
            .ToDictionaryAsync(i => i.Id);
        var candidates = await db.Candidates.Where(c => session.CandidateIds.Contains(c.Id)).ToListAsync();
        var linked = candidates.Where(c => c.InitiativeId is not null).ToList();

        // Every HS-MS item of initiatives.json was chosen by the vote, and nothing else.
        Assert.Equal(SeededCodes("HS", "HS-MS-"), items.Values.Select(i => i.Code).Order());
        Assert.Equal(items.Keys.Order(), linked.Select(c => c.InitiativeId!.Value).Order());
        Assert.Equal(linked.Select(c => c.Id).Order(), result.Chosen.Order());
        Assert.Empty(result.TiedAtCutoff);
        Assert.All(linked, c => Assert.Equal(items[c.InitiativeId!.Value].LeadDepartmentId, c.DepartmentId));
        Assert.All(result.Candidates.Where(c => c.Chosen), c => Assert.True(c.For > 12, $"candidate {c.CandidateId}: {c.For} for"));

        var extras = candidates.Where(c => c.InitiativeId is null).Select(c => c.Id).ToList();
        Assert.InRange(extras.Count, 4, 6);
        Assert.DoesNotContain(result.Chosen, extras.Contains);
        // Some extras had a majority but ranked below the last place: the vote is a contest (差额票决).
        Assert.Contains(result.Candidates, c => c.Passes && !c.Chosen);

        Assert.True(session.Adopted);
        Assert.Equal(items.Count, session.ItemsToChoose);
        Assert.Equal((BallotMode.ForAgainstAbstain, PassRule.MajorityOfDeputies), (session.Mode, session.PassRule));
        Assert.Equal((25, 25, 13), (result.Deputies, result.BallotsCast, result.VotesNeeded));
        Assert.True(session.IsClosed(app.Clock.GetUtcNow()));
        Assert.All(ballots, b => Assert.True(session.IsOpen(b.CastAt)));

        // Each candidate got exactly the counts the file gives.
        var byTitle = candidates.ToDictionary(c => c.Title, c => c.Id);
        var counted = result.Candidates.ToDictionary(c => c.CandidateId);
        Assert.All(seed.Candidates, s => Assert.Equal(
            (s.For, s.Against, 25 - s.For - s.Against), (counted[byTitle[s.Title]].For, counted[byTitle[s.Title]].Against, counted[byTitle[s.Title]].Abstain)));
    }

    [Fact]
    public async Task The_vote_chose_the_228_old_community_renovations_a_renovation_that_the_citys_deputies_now_supervise()
    {
        await using var db = app.Db();
        var hs = await db.Jurisdictions.SingleAsync(j => j.Code == "HS");
        var chosen = await db.Initiatives.Where(i => i.JurisdictionId == hs.Id && i.Code.StartsWith("HS-MS-")).ToListAsync();
        Assert.All(chosen, i => Assert.True(i.IsVoted && i.IsPublished, i.Code));
        var renovation = chosen.Single(i => i.Code == "HS-MS-02");
        Assert.Equal(InitiativeKind.Renovation, renovation.Kind);
        // Items of other kinds that no vote chose stay outside the deputies' reach.
        Assert.False(await db.Initiatives.AnyAsync(i => i.IsVoted && !i.Code.StartsWith("HS-MS-")));

        var deputy = await app.DeputyOf(hs.Id);
        Assert.Equal("HS-MS-02", (await deputy.GetFromJsonAsync<InitiativeDetail>($"/api/initiatives/{renovation.Id}", TrackerApp.Json))!.Code);
        var keyProject = await db.Initiatives.FirstAsync(i => i.JurisdictionId == hs.Id && i.Kind == InitiativeKind.KeyProject);
        Assert.Equal(HttpStatusCode.NotFound, (await deputy.GetAsync($"/api/initiatives/{keyProject.Id}")).StatusCode);
        Assert.Contains("HS-MS-02", await app.CreateClient().GetStringAsync($"/api/public/initiatives/{renovation.Id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_seeded_ledgers_add_up_to_the_reports_totals()
    {
        await using var db = app.Db();
        async Task<(int Rows, int OnTheSpot, int Closed, int Overdue)> Ledger(string code)
        {
            var rows = await db.LedgerRows.Where(r => db.Initiatives.Any(i => i.Id == r.InitiativeId && i.Code == code)).ToListAsync();
            return (rows.Count, rows.Count(r => r.Mode == RectificationMode.OnTheSpot), rows.Count(r => r.Status == LedgerRowStatus.Closed),
                rows.Count(r => r.IsOverdue(DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime))));
        }
        // 65 hazards: 34 fixed on the spot, 31 by a deadline of which 9 done (the latest report); none overdue yet.
        Assert.Equal((65, 34, 43, 0), await Ledger("PDGX-ZG-03"));
        // 86 problems of the morning patrols, 30 left (the latest report).
        Assert.Equal((86, 0, 56, 0), await Ledger("LFKF-ZG-01"));
        Assert.Contains("危化品", await db.LedgerCategories.Where(c => db.Jurisdictions.Any(j => j.Id == c.JurisdictionId && j.Code == "PDS-GXQ")).Select(c => c.Name).ToListAsync());
    }

    [Fact]
    public async Task The_seeded_deputies_are_the_congress_of_HS_and_cannot_sign_in()
    {
        var seed = Vote();
        await using var db = app.Db();
        var hs = await db.Jurisdictions.SingleAsync(j => j.Code == "HS");
        var emails = seed.Deputies.Select(d => d.Email.ToUpperInvariant()).ToList();
        var deputies = await VotingApi.DeputiesOf(db, hs.Id).Where(u => emails.Contains(u.NormalizedEmail!)).ToListAsync();

        Assert.Equal(25, deputies.Count);
        Assert.All(deputies, d => Assert.True(d.PasswordHash is null && d.EmailConfirmed, d.Email));
        var session = await db.Sessions.SingleAsync(s => s.JurisdictionId == hs.Id && s.Year == Year() && s.Name == seed.Session.Name);
        Assert.Equal(
            deputies.Select(d => d.Id).Order(),
            await db.Ballots.Where(b => b.SessionId == session.Id).Select(b => b.DeputyUserId).OrderBy(id => id).ToListAsync());

        var login = await app.LoginAsync(seed.Deputies[0].Email, TrackerApp.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task Seeded_proposals_are_screened_into_the_candidates_or_rejected_and_can_be_followed_by_receipt()
    {
        var seed = Vote();
        var year = Year();
        await using var db = app.Db();
        var hs = await db.Jurisdictions.SingleAsync(j => j.Code == "HS");
        var receipts = seed.Proposals.Select(p => VoteSeeder.ReceiptOf("HS", year, p.Title)).ToList();
        var proposals = await db.Proposals.Where(p => receipts.Contains(p.ReceiptCode)).ToListAsync();
        var candidates = await db.Candidates.Where(c => c.JurisdictionId == hs.Id && c.Year == year).ToDictionaryAsync(c => c.Id);
        var deputies = await VotingApi.DeputiesOf(db, hs.Id).Select(u => u.Id).ToListAsync();

        Assert.Equal(seed.Proposals.Length, proposals.Count);
        Assert.Equal(proposals.Count, receipts.Distinct().Count());
        Assert.All(receipts, r => Assert.Matches("^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{10}$", r));
        Assert.Equal(Enum.GetValues<ProposerKind>().Order(), proposals.Select(p => p.ProposerKind).Distinct().Order());
        Assert.All(proposals.Where(p => p.ProposerKind == ProposerKind.Deputy), p => Assert.Contains(p.ProposerUserId, deputies));

        foreach (var s in seed.Proposals)
        {
            var proposal = proposals.Single(p => p.Title == s.Title);
            if (s.Candidate is null)
                Assert.Equal((ProposalStatus.Rejected, null, s.RejectionReason), (proposal.Status, proposal.CandidateId, proposal.RejectionReason));
            else
                Assert.Equal((ProposalStatus.Candidate, s.Candidate), (proposal.Status, candidates[proposal.CandidateId!.Value].Title));
        }
        Assert.Contains(proposals, p => p.Status == ProposalStatus.Rejected && !string.IsNullOrWhiteSpace(p.RejectionReason));
        // Every candidate came from at least one proposal, and duplicates were merged.
        var perCandidate = proposals.Where(p => p.CandidateId is not null).GroupBy(p => p.CandidateId!.Value).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(candidates.Keys.Order(), perCandidate.Keys.Order());
        Assert.Contains(perCandidate.Values, n => n >= 2);

        // The proposer follows it anonymously by the receipt.
        var merged = proposals.First(p => p.CandidateId is not null);
        var followed = await app.CreateClient().GetFromJsonAsync<ProposalStatusDto>($"/api/public/proposals/{merged.ReceiptCode}", TrackerApp.Json);
        Assert.Equal(candidates[merged.CandidateId!.Value].Title, followed!.CandidateTitle);
    }

    private async Task<Dictionary<string, int>> Counts()
    {
        await using var db = app.Db();
        return new()
        {
            ["jurisdictions"] = await db.Jurisdictions.CountAsync(),
            ["departments"] = await db.Departments.CountAsync(),
            ["initiatives"] = await db.Initiatives.CountAsync(),
            ["targets"] = await db.Targets.CountAsync(),
            ["milestones"] = await db.Milestones.CountAsync(),
            ["reports"] = await db.ProgressReports.CountAsync(),
            ["dispatch rounds"] = await db.DispatchRounds.CountAsync(),
            ["dispatch items"] = await db.DispatchItems.CountAsync(),
            ["inbox"] = await db.Inbox.CountAsync(),
            ["users"] = await db.Users.CountAsync(),
            ["user roles"] = await db.UserRoles.CountAsync(),
            ["proposals"] = await db.Proposals.CountAsync(),
            ["candidates"] = await db.Candidates.CountAsync(),
            ["linked candidates"] = await db.Candidates.CountAsync(c => c.InitiativeId != null),
            ["sessions"] = await db.Sessions.CountAsync(),
            ["ballots"] = await db.Ballots.CountAsync(),
            ["ballot choices"] = await db.BallotChoices.CountAsync(),
            ["audit entries"] = await db.AuditLog.CountAsync(),
        };
    }

    private static SeedVote Vote() => VoteSeeder.ReadAsync(SeedFolder(), CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The seeding year: the app's clock, in office time.</summary>
    private int Year() => app.Services.GetRequiredService<OfficeClock>().Today.Year;

    private static List<string> SeededCodes(string jurisdiction, string prefix)
    {
        using var stream = File.OpenRead(Path.Combine(SeedFolder(), "initiatives.json"));
        return [.. JsonSerializer.Deserialize<List<SeedInitiative>>(stream, TrackerApp.Json)!
            .Where(s => s.Jurisdiction == jurisdiction && s.Code.StartsWith(prefix, StringComparison.Ordinal)).Select(s => s.Code).Order()];
    }

    private static string SeedFolder() => Path.Combine(AppContext.BaseDirectory, "seed");

    private static Dictionary<string, HealthColour> Expected()
    {
        using var stream = File.OpenRead(Path.Combine(SeedFolder(), "initiatives.json"));
        using var programmes = File.OpenRead(Path.Combine(SeedFolder(), SeedProgrammes.FileName));
        List<SeedInitiative> seed = [.. JsonSerializer.Deserialize<List<SeedInitiative>>(stream, TrackerApp.Json)!,
            .. JsonSerializer.Deserialize<SeedProgrammes>(programmes, TrackerApp.Json)!.Items];
        // Codes are unique per jurisdiction; the seed keeps them unique overall so the tests can key on them.
        return seed.ToDictionary(s => s.Code, s => s.ExpectedColour!.Value);
    }
}
