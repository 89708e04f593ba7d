using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

public sealed class LivelihoodCycleTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task One_county_runs_the_whole_cycle_from_proposals_to_a_tied_vote_to_items_inspections_and_evaluation()
    {
        var place = await app.NewPlaceAsync();
        var county = place.CountyId;
        var supervisor = await app.SupervisorOf(county);
        var anonymous = app.CreateClient();
        var deputies = new List<(TrackerUser User, HttpClient Client)>();
        for (var n = 0; n < 5; n++)
        {
            var user = await app.NewUserAsync([Roles.Deputy], jurisdictionId: county);
            deputies.Add((user, await SignInAsync(user)));
        }

        // 1. Proposals: two from the public about the same thing, one from a deputy, one rejected.
        async Task<ProposalReceipt> Propose(HttpClient client, string url, string title) =>
            await app.ReadAsync<ProposalReceipt>(await Ok(client.PostAsJsonAsync(url, new ProposalInput(county, 2026, title, "说明"), TrackerApp.Json)));
        var p1 = await Propose(anonymous, "/api/public/proposals", "老旧小区加装电梯");
        var p2 = await Propose(anonymous, "/api/public/proposals", "给老小区装电梯");
        var p3 = await Propose(deputies[0].Client, "/api/proposals", "新建公办幼儿园");
        var p4 = await Propose(anonymous, "/api/public/proposals", "修建机场");
        var proposals = (await supervisor.GetFromJsonAsync<Paged<ProposalDto>>($"/api/proposals?jurisdictionId={county}&year=2026", TrackerApp.Json))!.Items;
        long Id(string title) => proposals.Single(p => p.Title == title).Id;
        Assert.Equal(ProposerKind.Deputy, proposals.Single(p => p.Title == "新建公办幼儿园").ProposerKind);

        await Ok(supervisor.PostAsJsonAsync($"/api/proposals/{Id("修建机场")}/reject", new Rejection("不属于县级民生实事范围"), TrackerApp.Json));
        async Task<long> Candidate(string title, params long[] from) => (await app.ReadAsync<CandidateDto>(await Ok(supervisor.PostAsJsonAsync("/api/candidates",
            new CandidateInput(county, 2026, title, "", 1_000_000m, place.CountyDepartmentId, from), TrackerApp.Json)))).Id;
        var c1 = await Candidate("老旧小区加装电梯", Id("老旧小区加装电梯"), Id("给老小区装电梯"));   // duplicates merged
        var c2 = await Candidate("新建公办幼儿园", Id("新建公办幼儿园"));
        var c3 = await Candidate("口袋公园");
        var c4 = await Candidate("农贸市场改造");
        var c5 = await Candidate("公厕改造");
        // A candidate is carried out by a department of its own jurisdiction, not a neighbour's.
        Assert.Equal(HttpStatusCode.BadRequest, (await supervisor.PostAsJsonAsync("/api/candidates",
            new CandidateInput(county, 2026, "邻县承办", "", 1m, (await app.NewPlaceAsync()).CountyDepartmentId, []), TrackerApp.Json)).StatusCode);

        Assert.Equal(5, (await deputies[0].Client.GetFromJsonAsync<List<CandidateDto>>($"/api/candidates?jurisdictionId={county}&year=2026", TrackerApp.Json))!.Count);
        var neighbour = await app.SupervisorOf((await app.NewPlaceAsync()).CountyId);
        Assert.Empty((await neighbour.GetFromJsonAsync<List<CandidateDto>>($"/api/candidates?jurisdictionId={county}&year=2026", TrackerApp.Json))!);
        var followed = await anonymous.GetFromJsonAsync<ProposalStatusDto>($"/api/public/proposals/{p4.ReceiptCode}", TrackerApp.Json);
        Assert.Equal((ProposalStatus.Rejected, "不属于县级民生实事范围"), (followed!.Status, followed.RejectionReason));
        Assert.Equal("老旧小区加装电梯", (await anonymous.GetFromJsonAsync<ProposalStatusDto>($"/api/public/proposals/{p2.ReceiptCode}", TrackerApp.Json))!.CandidateTitle);

        // 2. The vote: 2 items to choose out of 5, passing with more than half of the 5 deputies (3 votes).
        var now = app.Clock.GetUtcNow();
        var session = await app.ReadAsync<SessionDto>(await Ok(supervisor.PostAsJsonAsync("/api/sessions", new SessionInput(
            county, 2026, "县人大第一次会议", now, now.AddHours(1), 2, BallotMode.ForAgainstAbstain, PassRule.MajorityOfDeputies, [c1, c2, c3, c4, c5]), TrackerApp.Json)));
        Assert.Equal(5, session.Deputies);
        const VoteChoice F = VoteChoice.For, A = VoteChoice.Against, X = VoteChoice.Abstain;
        VoteChoice?[][] votes =
        [
            [F, F, F, F, X],
            [F, F, F, F, A],
            [F, F, F, A, A],
            [F, F, A, X, A],
            [F, A, F, null, null],
        ];
        long[] candidates = [c1, c2, c3, c4, c5];
        for (var d = 0; d < 5; d++)
        {
            var choices = votes[d].Select((v, i) => (v, i)).Where(x => x.v is not null).Select(x => new ChoiceInput(candidates[x.i], x.v!.Value)).ToArray();
            await Ok(deputies[d].Client.PostAsJsonAsync($"/api/sessions/{session.Id}/ballots", new BallotInput(choices), TrackerApp.Json));
        }

        // Counting waits for the window to close.
        Assert.Equal(HttpStatusCode.Conflict, (await supervisor.GetAsync($"/api/sessions/{session.Id}/result")).StatusCode);
        app.Clock.Advance(TimeSpan.FromHours(2));
        var result = (await supervisor.GetFromJsonAsync<VoteResult>($"/api/sessions/{session.Id}/result", TrackerApp.Json))!;
        Assert.Equal((5, 5, 3), (result.Deputies, result.BallotsCast, result.VotesNeeded));
        Assert.Equal([c1, c2, c3, c4, c5], result.Candidates.Select(c => c.CandidateId));
        Assert.Equal([5, 4, 4, 2, 0], result.Candidates.Select(c => c.For));
        Assert.Equal([1, 2, 2, 4, 5], result.Candidates.Select(c => c.Rank));
        Assert.Equal([c1], result.Chosen);
        Assert.Equal([c2, c3], result.TiedAtCutoff);        // reported, not silently broken
        Assert.Equal((1, 2), (result.Candidates[3].Against, result.Candidates[3].Abstain));

        // 3. Adoption: the congress breaks the tie for the kindergarten; the chosen candidates become items.
        var adopted = await app.ReadAsync<AdoptionResult>(await Ok(supervisor.PostAsJsonAsync($"/api/sessions/{session.Id}/adopt", new Adoption([c2]), TrackerApp.Json)));
        Assert.Equal(2, adopted.InitiativeIds.Count);
        Assert.Equal([c3], adopted.StillTied);
        // Adopted once: naming the other tied candidate afterwards is refused, and makes no item.
        var items = await app.CountAsync<Initiative>();
        Assert.Equal(HttpStatusCode.Conflict, (await supervisor.PostAsJsonAsync($"/api/sessions/{session.Id}/adopt", new Adoption([c3]), TrackerApp.Json)).StatusCode);
        Assert.Equal(items, await app.CountAsync<Initiative>());
        var elevator = await supervisor.GetFromJsonAsync<InitiativeDetail>($"/api/initiatives/{adopted.InitiativeIds[0]}", TrackerApp.Json);
        Assert.Equal((InitiativeKind.Livelihood, "老旧小区加装电梯", place.CountyDepartmentId), (elevator!.Kind, elevator.Title, elevator.LeadDepartment.Id));
        // A new item waits for its plan before it is published (publishing fixes the plan); then a supervisor publishes it.
        Assert.False(elevator.IsPublished);
        Assert.True((await supervisor.PostAsJsonAsync($"/api/initiatives/{elevator.Id}/publication", new Publication(true), TrackerApp.Json)).IsSuccessStatusCode);
        var listed = Assert.Single((await supervisor.GetFromJsonAsync<List<SessionDto>>($"/api/sessions?jurisdictionId={county}&year=2026", TrackerApp.Json))!);
        Assert.Equal((session.Id, 5, true), (listed.Id, listed.BallotsCast, listed.Adopted));

        // 4. Supervision: a group of two deputies inspects the elevator item and asks for an answer in 3 days.
        var group = await app.ReadAsync<GroupDto>(await Ok(supervisor.PostAsJsonAsync("/api/groups",
            new GroupInput(county, "第一代表小组", [deputies[0].User.Id, deputies[1].User.Id], [elevator.Id]), TrackerApp.Json)));
        Assert.Equal(HttpStatusCode.Forbidden, (await deputies[4].Client.PostAsJsonAsync($"/api/initiatives/{elevator.Id}/inspections",
            new InspectionInput(InspectionKind.SiteVisit, new(2026, 6, 15), "不在小组", null), TrackerApp.Json)).StatusCode);
        var visit = new InspectionInput(InspectionKind.SiteVisit, new(2026, 6, 15), "3个小区已进场，1个小区居民意见未统一",
            [new FollowUpInput("请说明居民协调方案", new(2026, 6, 18))]);
        var photo = new ByteArrayContent([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46]);
        photo.Headers.ContentType = new("image/jpeg");
        var form = new MultipartFormDataContent
        {
            { new StringContent(System.Text.Json.JsonSerializer.Serialize(visit, TrackerApp.Json), System.Text.Encoding.UTF8, "application/json"), "inspection" },
            { photo, "files", "现场.jpg" },
        };
        var inspection = await app.ReadAsync<InspectionDto>(await Ok(deputies[0].Client.PostAsync($"/api/initiatives/{elevator.Id}/inspections", form)));
        var followUp = Assert.Single(inspection.FollowUps);
        var shot = Assert.Single(inspection.Photos);
        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync(shot.Url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.SupervisorOf((await app.NewPlaceAsync()).CountyId)).GetAsync(shot.Url)).StatusCode);

        var home = (await deputies[0].Client.GetFromJsonAsync<List<HomeItem>>("/api/deputies/me", TrackerApp.Json))!;
        Assert.Equal([(elevator.Id, true, true), (adopted.InitiativeIds[1], true, false)], home.Select(h => (h.Id, h.VotedFor, h.Supervised)).OrderBy(h => h.Item1));
        Assert.Single(home.Single(h => h.Id == elevator.Id).OpenFollowUps);
        Assert.Equal(home.Select(h => h.Id), (await deputies[0].Client.GetFromJsonAsync<List<HomeItem>>("/api/deputies/me?year=2026", TrackerApp.Json))!.Select(h => h.Id));
        Assert.Empty((await deputies[0].Client.GetFromJsonAsync<List<HomeItem>>("/api/deputies/me?year=2025", TrackerApp.Json))!);

        app.Clock.Advance(TimeSpan.FromDays(5));
        var overdue = (await supervisor.GetFromJsonAsync<Paged<FollowUpDto>>("/api/follow-ups?overdue=true", TrackerApp.Json))!.Items;
        Assert.Equal([followUp.Id], overdue.Select(f => f.Id));
        var board = (await supervisor.GetFromJsonAsync<Paged<Tracker.Web.Features.Supervision.BoardItem>>($"/api/board?jurisdictionId={county}", TrackerApp.Json))!.Items;
        Assert.Equal(1, board.Single(b => b.Id == elevator.Id).OverdueFollowUps);   // with the overdue items
        var official = await app.OfficialOf(place.CountyDepartmentId);
        await Ok(official.PostAsJsonAsync($"/api/follow-ups/{followUp.Id}/answer", new FollowUpAnswer("已召开居民议事会，7月初开工"), TrackerApp.Json));
        Assert.Empty((await supervisor.GetFromJsonAsync<Paged<FollowUpDto>>("/api/follow-ups?overdue=true", TrackerApp.Json))!.Items);

        // 5. Year-end evaluation: 2 satisfied, 1 basically, 2 dissatisfied: 40% dissatisfied, flagged for rectification.
        Rating[] ratings = [Rating.Satisfied, Rating.Satisfied, Rating.BasicallySatisfied, Rating.Dissatisfied, Rating.Dissatisfied];
        for (var d = 0; d < 5; d++)
            await Ok(deputies[d].Client.PostAsJsonAsync($"/api/initiatives/{elevator.Id}/evaluation", new EvaluationInput(ratings[d], "评语"), TrackerApp.Json));
        Assert.Equal(HttpStatusCode.Conflict, (await deputies[0].Client.PostAsJsonAsync($"/api/initiatives/{elevator.Id}/evaluation",
            new EvaluationInput(Rating.Satisfied, null), TrackerApp.Json)).StatusCode);
        var summary = (await supervisor.GetFromJsonAsync<EvaluationSummary>($"/api/evaluations/summary?year=2026&jurisdictionId={county}", TrackerApp.Json))!;
        var rated = Assert.Single(summary.Items);
        Assert.Equal((2, 1, 2, 0.4m, true), (rated.Summary.Satisfied, rated.Summary.BasicallySatisfied, rated.Summary.Dissatisfied, rated.Summary.DissatisfiedShare, rated.Summary.NeedsRectification));
        Assert.Equal(place.CountyDepartmentId, Assert.Single(summary.Departments).DepartmentId);
        // The city's summary rolls the county's ratings up under the county.
        var city = (await (await app.SupervisorOf(place.CityId)).GetFromJsonAsync<EvaluationSummary>($"/api/evaluations/summary?year=2026&jurisdictionId={place.CityId}", TrackerApp.Json))!;
        var under = Assert.Single(city.Jurisdictions);
        Assert.Equal((county, 1, 5, true), (under.JurisdictionId, under.Items, under.Summary.Total, under.Summary.NeedsRectification));

        // 6. The county's items roll up to the city.
        var rollup = (await (await app.SupervisorOf(place.CityId)).GetFromJsonAsync<List<RollupRow>>($"/api/livelihood/rollup?jurisdictionId={place.CityId}&year=2026", TrackerApp.Json))!;
        Assert.Equal(2, rollup.Single(r => r.JurisdictionId == county).Items);
        Assert.Equal(0, rollup.Single(r => r.JurisdictionId == place.CityId).Items);
        _ = (p1, p3, group);
    }

    [Fact]
    public async Task Ballots_are_refused_twice_outside_the_window_and_from_another_jurisdiction_and_stay_secret()
    {
        var place = await app.NewPlaceAsync();
        var other = await app.NewPlaceAsync();
        var supervisor = await app.SupervisorOf(place.CountyId);
        var first = await app.NewUserAsync([Roles.Deputy], jurisdictionId: place.CountyId);
        var second = await app.NewUserAsync([Roles.Deputy], jurisdictionId: place.CountyId);
        var outsider = await app.NewUserAsync([Roles.Deputy], jurisdictionId: other.CountyId);
        var cityDeputy = await app.NewUserAsync([Roles.Deputy], jurisdictionId: place.CityId);
        var candidate = (await app.ReadAsync<CandidateDto>(await Ok(supervisor.PostAsJsonAsync("/api/candidates",
            new CandidateInput(place.CountyId, 2026, "便民市场", "", 1m, place.CountyDepartmentId, []), TrackerApp.Json)))).Id;
        var now = app.Clock.GetUtcNow();
        var session = await app.ReadAsync<SessionDto>(await Ok(supervisor.PostAsJsonAsync("/api/sessions", new SessionInput(
            place.CountyId, 2026, "表决", now.AddMinutes(10), now.AddHours(1), 1, BallotMode.ChooseUpTo, PassRule.MajorityOfBallots, [candidate]), TrackerApp.Json)));
        var ballot = new BallotInput([new ChoiceInput(candidate, VoteChoice.For)]);
        async Task<HttpStatusCode> Vote(TrackerUser who) =>
            (await (await SignInAsync(who)).PostAsJsonAsync($"/api/sessions/{session.Id}/ballots", ballot, TrackerApp.Json)).StatusCode;

        Assert.Equal(HttpStatusCode.Conflict, await Vote(first));            // not open yet
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.Created, await Vote(first));
        Assert.Equal(HttpStatusCode.Conflict, await Vote(first));            // a second ballot
        Assert.Equal(HttpStatusCode.NotFound, await Vote(outsider));          // another county's session does not exist for them
        Assert.Equal(HttpStatusCode.Forbidden, await Vote(cityDeputy));       // a deputy of the city congress, not this county's
        Assert.Equal(HttpStatusCode.BadRequest, (await (await SignInAsync(second)).PostAsJsonAsync($"/api/sessions/{session.Id}/ballots",
            new BallotInput([new ChoiceInput(candidate, (VoteChoice)7)]), TrackerApp.Json)).StatusCode);

        // Each deputy reads back only their own ballot; the supervisor has none to read.
        var mine = await (await SignInAsync(first)).GetFromJsonAsync<BallotDto>($"/api/sessions/{session.Id}/ballots/mine", TrackerApp.Json);
        Assert.Equal(VoteChoice.For, Assert.Single(mine!.Choices).Choice);
        Assert.Equal(HttpStatusCode.NotFound, (await (await SignInAsync(second)).GetAsync($"/api/sessions/{session.Id}/ballots/mine")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await supervisor.GetAsync($"/api/sessions/{session.Id}/ballots/mine")).StatusCode);
        var trail = (await (await app.AdminClient()).GetFromJsonAsync<Paged<Tracker.Web.Features.Audit.AuditDto>>("/api/audit?pageSize=200", TrackerApp.Json))!.Items;
        // The trail says a ballot was cast in the session, naming no one and no choice.
        var cast = Assert.Single(trail, e => e.EntityType == "Ballot" && e.After!.Contains($"\"SessionId\": {session.Id}", StringComparison.Ordinal));
        Assert.Equal((null, Tracker.Web.Data.AuditRecorder.SecretActor), (cast.UserId, cast.UserName));
        Assert.DoesNotContain(first.Id, cast.After!, StringComparison.Ordinal);
        Assert.DoesNotContain("Choice", cast.After!, StringComparison.Ordinal);
        Assert.DoesNotContain(trail, e => e.EntityType == "BallotChoice");

        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Conflict, await Vote(second));           // closed
    }

    [Fact]
    public async Task A_candidate_naming_an_existing_renovation_makes_it_a_voted_item_the_deputies_supervise_inspect_rate_and_publish()
    {
        var place = await app.NewPlaceAsync();
        var supervisor = await app.SupervisorOf(place.CountyId);
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var renovation = (await official.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "GZ-VOTE") with { Kind = InitiativeKind.Renovation })).Detail;
        var other = (await official.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "GZ-OTHER") with { Kind = InitiativeKind.Renovation })).Detail;
        var deputyUser = await app.NewUserAsync([Roles.Deputy], jurisdictionId: place.CountyId);
        var deputy = await SignInAsync(deputyUser);
        Assert.Equal(HttpStatusCode.NotFound, (await deputy.GetAsync($"/api/initiatives/{renovation.Id}")).StatusCode);   // not the deputies' item yet
        Assert.False(renovation.IsVoted);

        // A candidate may name an item of its jurisdiction and year led by its department; no other.
        var neighbour = await app.NewPlaceAsync();
        var elsewhere = (await (await app.OfficialOf(neighbour.CountyDepartmentId)).CreateAsync(TestData.NewInitiative(neighbour.CountyId, neighbour.CountyDepartmentId))).Detail;
        var refused = await (await app.AdminClient()).PostAsJsonAsync("/api/candidates",
            new CandidateInput(place.CountyId, 2026, "别处的事项", "", 1m, place.CountyDepartmentId, [], elsewhere.Id), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("initiativeId", await refused.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var candidate = (await app.ReadAsync<CandidateDto>(await Ok(supervisor.PostAsJsonAsync("/api/candidates",
            new CandidateInput(place.CountyId, 2026, "老旧小区改造", "", 650_000_000m, place.CountyDepartmentId, [], renovation.Id), TrackerApp.Json)))).Id;
        Assert.Equal(HttpStatusCode.BadRequest, (await supervisor.PostAsJsonAsync("/api/candidates",
            new CandidateInput(place.CountyId, 2026, "重复", "", 1m, place.CountyDepartmentId, [], renovation.Id), TrackerApp.Json)).StatusCode);

        var now = app.Clock.GetUtcNow();
        var session = await app.ReadAsync<SessionDto>(await Ok(supervisor.PostAsJsonAsync("/api/sessions", new SessionInput(
            place.CountyId, 2026, "票决", now, now.AddHours(1), 1, BallotMode.ChooseUpTo, PassRule.MajorityOfBallots, [candidate]), TrackerApp.Json)));
        await Ok(deputy.PostAsJsonAsync($"/api/sessions/{session.Id}/ballots", new BallotInput([new ChoiceInput(candidate, VoteChoice.For)]), TrackerApp.Json));
        app.Clock.Advance(TimeSpan.FromHours(2));
        var adopted = await app.ReadAsync<AdoptionResult>(await Ok(supervisor.PostAsJsonAsync($"/api/sessions/{session.Id}/adopt", new Adoption(null), TrackerApp.Json)));
        Assert.Equal([renovation.Id], adopted.InitiativeIds);

        var voted = (await deputy.GetFromJsonAsync<InitiativeDetail>($"/api/initiatives/{renovation.Id}", TrackerApp.Json))!;
        Assert.Equal((InitiativeKind.Renovation, true, true), (voted.Kind, voted.IsVoted, voted.IsPublished));
        Assert.Equal(HttpStatusCode.NotFound, (await deputy.GetAsync($"/api/initiatives/{other.Id}")).StatusCode);   // the vote chose one renovation, not the kind

        await Ok(supervisor.PostAsJsonAsync("/api/groups", new GroupInput(place.CountyId, "改造监督组", [deputyUser.Id], [renovation.Id]), TrackerApp.Json));
        Assert.Equal(HttpStatusCode.BadRequest, (await supervisor.PostAsJsonAsync("/api/groups",
            new GroupInput(place.CountyId, "不可", [deputyUser.Id], [other.Id]), TrackerApp.Json)).StatusCode);
        await Ok(deputy.PostAsJsonAsync($"/api/initiatives/{renovation.Id}/inspections",
            new InspectionInput(InspectionKind.SiteVisit, new(2026, 6, 15), "管网已更换", null), TrackerApp.Json));
        await Ok(deputy.PostAsJsonAsync($"/api/initiatives/{renovation.Id}/evaluation", new EvaluationInput(Rating.Satisfied, null), TrackerApp.Json));

        var summary = (await supervisor.GetFromJsonAsync<EvaluationSummary>($"/api/evaluations/summary?year=2026&jurisdictionId={place.CountyId}", TrackerApp.Json))!;
        Assert.Equal(1, summary.Items.Single(i => i.InitiativeId == renovation.Id).Summary.Satisfied);
        var rollup = (await deputy.GetFromJsonAsync<List<RollupRow>>($"/api/livelihood/rollup?jurisdictionId={place.CityId}&year=2026", TrackerApp.Json))!;
        Assert.Equal(1, rollup.Single(r => r.JurisdictionId == place.CountyId).Items);
        var published = await app.CreateClient().GetStringAsync($"/api/public/initiatives/{renovation.Id}");
        Assert.Contains("GZ-VOTE", published, StringComparison.Ordinal);
    }

    private async Task<HttpClient> SignInAsync(TrackerUser user)
    {
        var client = app.CreateClient();
        var login = await app.LoginAsync(user.Email!, TrackerApp.Password);
        using var body = System.Text.Json.JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new("Bearer", body.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    private static async Task<HttpResponseMessage> Ok(Task<HttpResponseMessage> request)
    {
        var response = await request;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}

/// <summary>Two anonymous proposals a minute from one address, so the third is refused.</summary>
public sealed class StrictProposalsApp : TrackerApp
{
    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("Tracker:Livelihood:PublicProposalsPerMinute", "2");
}

public sealed class PublicProposalTests(StrictProposalsApp app) : IClassFixture<StrictProposalsApp>
{
    [Fact]
    public async Task Anonymous_proposals_are_validated_and_rate_limited()
    {
        var place = await app.NewPlaceAsync();
        var client = app.CreateClient();

        var invalid = await client.PostAsJsonAsync("/api/public/proposals", new ProposalInput(place.CountyId, 2026, "", null), TrackerApp.Json);
        var codes = new List<HttpStatusCode>();
        for (var n = 0; n < 3; n++)
            codes.Add((await client.PostAsJsonAsync("/api/public/proposals", new ProposalInput(place.CountyId, 2026, $"建议 {n}", null), TrackerApp.Json)).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.TooManyRequests], codes.Distinct());
        Assert.Equal(HttpStatusCode.TooManyRequests, codes[^1]);
    }

}

/// <summary>The public proposal page under the same limit as the API (its own app, so its own count).</summary>
public sealed class PublicProposalPageTests(StrictProposalsApp app) : IClassFixture<StrictProposalsApp>
{
    [Fact]
    public async Task The_public_proposal_page_counts_its_sending_but_not_its_reading_against_the_same_limit()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var reads = new List<HttpStatusCode>();
        for (var n = 0; n < 4; n++)
            reads.Add((await client.GetAsync("/public/propose")).StatusCode);
        var sends = new List<HttpStatusCode>();
        for (var n = 0; n < 3; n++)
            sends.Add((await client.PostAsync("/public/propose", new FormUrlEncodedContent([new("Title", "批量提交")]))).StatusCode);

        Assert.All(reads, r => Assert.Equal(HttpStatusCode.OK, r));
        Assert.Equal(HttpStatusCode.TooManyRequests, sends[^1]);
        await using var db = app.Db();
        Assert.False(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Proposals, p => p.Title == "批量提交"));
    }
}
