using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

/// <summary>The deputies' pages: home, ballot, inspection and evaluation, on the seeded 衡水市 (HS).</summary>
[Trait("Category", "Browser")]
public sealed class DeputyPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task A_deputy_sees_the_item_their_group_supervises_with_targets_and_chart_and_no_other_item()
    {
        var (deputy, itemId) = await DeputyInGroupAsync("HS-MS-01");
        var page = await app.SignInAsync(deputy);

        await Expect(page).ToHaveURLAsync(new Regex("/deputy$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "代表监督", Level = 1 })).ToBeVisibleAsync();
        var card = page.Locator("article[data-item='HS-MS-01']");
        await Expect(card.GetByRole(AriaRole.Link, new() { Name = "特困老人居家适老化改造" })).ToHaveAttributeAsync("href", $"/items/{itemId}");
        await Expect(card.Locator("[data-why=supervised]")).ToHaveTextAsync("我所在代表小组监督");
        await Expect(card.Locator("[data-why=voted]")).ToHaveCountAsync(0);
        await Expect(card.Locator("[data-colour]")).ToHaveAttributeAsync("data-colour", "Green");
        await Expect(card.GetByRole(AriaRole.Progressbar, new() { Name = "改造户数" })).ToBeVisibleAsync();
        await Expect(card.Locator("svg.chart circle.point")).Not.ToHaveCountAsync(0);
        await Expect(card.GetByRole(AriaRole.Link, new() { Name = "记录视察" })).ToHaveAttributeAsync("href", $"/deputy/items/{itemId}/inspect");
        await Expect(card.GetByRole(AriaRole.Link, new() { Name = "满意度测评" })).ToHaveAttributeAsync("href", $"/deputy/items/{itemId}/evaluate");
        // Neither voted for nor supervised: another of the city's livelihood items stays off the page.
        await Expect(page.Locator("article[data-item='HS-MS-03']")).ToHaveCountAsync(0);
        await Expect(page.Locator("article[data-item]")).ToHaveCountAsync(1);
        await page.SaveAsync("deputy-01-home");

        var phone = await app.SignInAsync(deputy, phone: true);
        await Expect(phone.Locator("article[data-item='HS-MS-01'] svg.chart")).ToBeVisibleAsync();
        var overflow = await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "The home page scrolls sideways on a 390px phone.");
        await phone.SaveAsync("deputy-02-home-phone");

        await page.GotoAsync("/deputy?culture=en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Deputy oversight", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("article[data-item='HS-MS-01'] [data-why=supervised]")).ToHaveTextAsync("Supervised by my deputy group");
        await page.SaveAsync("deputy-12-home-english");
    }

    [Fact]
    public async Task A_deputy_votes_once_and_sees_only_their_own_choices()
    {
        var hs = await JurisdictionAsync("HS");
        var supervisor = await app.SupervisorOf(hs);
        var department = await DepartmentAsync("HS-MZJ");
        var tag = Guid.NewGuid().ToString("N")[..6];
        var candidates = new List<long>();
        foreach (var title in new[] { $"社区食堂{tag}", $"口袋公园{tag}", $"公交候车亭{tag}" })
            candidates.Add((await ReadOk<CandidateDto>(supervisor.PostAsJsonAsync("/api/candidates",
                new CandidateInput(hs, 2026, title, "惠及周边居民", 2_000_000m, department, []), TrackerApp.Json))).Id);
        var now = app.Clock.GetUtcNow();
        var session = await ReadOk<SessionDto>(supervisor.PostAsJsonAsync("/api/sessions", new SessionInput(
            hs, 2026, $"票决会议{tag}", now.AddHours(-1), now.AddHours(3), 2, BallotMode.ForAgainstAbstain, PassRule.MajorityOfBallots, [.. candidates]),
            TrackerApp.Json));
        var deputy = await app.PersonAsync(Roles.Deputy, jurisdictionCode: "HS");
        var page = await app.SignInAsync(deputy);

        var open = page.Locator($"[data-session='{session.Id}']");
        await Expect(open.Locator("[data-voted=false]")).ToHaveTextAsync("未投票");
        await open.GetByRole(AriaRole.Link, new() { Name = "去投票" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/deputy/sessions/{session.Id}$"));
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = $"社区食堂{tag}" })).ToContainTextAsync("承办单位：衡水市民政局");
        await page.SaveAsync("deputy-03-ballot");

        // One candidate left without a choice: refused, and the choices made are kept.
        await page.GetByRole(AriaRole.Group, new() { Name = $"社区食堂{tag}" }).GetByLabel("赞成").CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = $"口袋公园{tag}" }).GetByLabel("反对").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "投出选票" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"公交候车亭{tag}：请选择赞成、反对或弃权。");
        await Expect(page.GetByRole(AriaRole.Alert).Locator("li")).ToHaveCountAsync(1);
        await Expect(page.Locator($"[data-candidate='{candidates[2]}'] .error")).ToHaveTextAsync("请选择赞成、反对或弃权。");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = $"社区食堂{tag}" }).GetByLabel("赞成")).ToBeCheckedAsync();
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = $"口袋公园{tag}" }).GetByLabel("反对")).ToBeCheckedAsync();
        await page.SaveAsync("deputy-04-ballot-missing-choice");
        await using (var db = app.Db())
            Assert.False(await db.Ballots.AnyAsync(b => b.SessionId == session.Id && b.DeputyUserId == deputy.Id));

        await page.GetByRole(AriaRole.Group, new() { Name = $"公交候车亭{tag}" }).GetByLabel("弃权").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "投出选票" }).ClickAsync();
        var mine = page.Locator("[data-test=my-ballot]");
        await Expect(mine.Locator("[data-voted=true]")).ToHaveTextAsync("已投票");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("您的选票已投出。");
        await Expect(mine.Locator($"tr[data-candidate='{candidates[0]}']")).ToContainTextAsync("赞成");
        await Expect(mine.Locator($"tr[data-candidate='{candidates[1]}']")).ToContainTextAsync("反对");
        await Expect(mine.Locator($"tr[data-candidate='{candidates[2]}']")).ToContainTextAsync("弃权");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "投出选票" })).ToHaveCountAsync(0);
        await page.SaveAsync("deputy-05-ballot-cast");

        await page.GotoAsync("/deputy");
        await Expect(page.Locator($"[data-session='{session.Id}'] [data-voted=true]")).ToHaveTextAsync("已投票");

        await using (var db = app.Db())
        {
            var ballot = await db.Ballots.Include(b => b.Choices).SingleAsync(b => b.SessionId == session.Id && b.DeputyUserId == deputy.Id);
            Assert.Equal([VoteChoice.For, VoteChoice.Against, VoteChoice.Abstain], ballot.Choices.OrderBy(c => candidates.IndexOf(c.CandidateId)).Select(c => c.Choice));
        }
    }

    [Fact]
    public async Task Choosing_more_candidates_than_the_session_allows_is_refused_and_the_marks_are_kept()
    {
        var hs = await JurisdictionAsync("HS");
        var supervisor = await app.SupervisorOf(hs);
        var department = await DepartmentAsync("HS-MZJ");
        var tag = Guid.NewGuid().ToString("N")[..6];
        var candidates = new List<long>();
        foreach (var title in new[] { $"便民菜场{tag}", $"老年食堂{tag}", $"社区书屋{tag}" })
            candidates.Add((await ReadOk<CandidateDto>(supervisor.PostAsJsonAsync("/api/candidates",
                new CandidateInput(hs, 2026, title, "", 500_000m, department, []), TrackerApp.Json))).Id);
        var now = app.Clock.GetUtcNow();
        var session = await ReadOk<SessionDto>(supervisor.PostAsJsonAsync("/api/sessions", new SessionInput(
            hs, 2026, $"择优票决{tag}", now.AddHours(-1), now.AddHours(3), 1, BallotMode.ChooseUpTo, PassRule.MajorityOfBallots, [.. candidates]),
            TrackerApp.Json));
        var deputy = await app.PersonAsync(Roles.Deputy, jurisdictionCode: "HS");
        var page = await app.SignInAsync(deputy, phone: true);
        await page.GotoAsync($"/deputy/sessions/{session.Id}");

        await page.GetByRole(AriaRole.Group, new() { Name = $"便民菜场{tag}" }).GetByLabel("选择此项").CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = $"老年食堂{tag}" }).GetByLabel("选择此项").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "投出选票" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("最多只能选择 1 项");
        await Expect(page.GetByRole(AriaRole.Alert).Locator("li")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = $"老年食堂{tag}" }).GetByLabel("选择此项")).ToBeCheckedAsync();
        await page.SaveAsync("deputy-13-ballot-too-many-phone");
        await using (var db = app.Db())
            Assert.False(await db.Ballots.AnyAsync(b => b.SessionId == session.Id));

        await page.GetByRole(AriaRole.Group, new() { Name = $"便民菜场{tag}" }).GetByLabel("选择此项").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "投出选票" }).ClickAsync();
        await Expect(page.Locator($"[data-test=my-ballot] tr[data-candidate='{candidates[1]}'] [data-choice]")).ToHaveAttributeAsync("data-choice", "For");
        await Expect(page.Locator($"[data-test=my-ballot] tr[data-candidate='{candidates[0]}'] [data-choice]")).ToHaveAttributeAsync("data-choice", "Against");
        await page.SaveAsync("deputy-14-ballot-chosen-phone");
    }

    [Fact]
    public async Task A_deputy_records_an_inspection_with_a_photo_and_a_follow_up_that_then_waits_for_an_answer()
    {
        var (deputy, itemId) = await DeputyInGroupAsync("HS-MS-01");
        var request = $"请书面说明剩余4户产权问题的协调方案（{Guid.NewGuid().ToString("N")[..6]}）";
        var page = await app.SignInAsync(deputy);
        await page.Locator("article[data-item='HS-MS-01']").GetByRole(AriaRole.Link, new() { Name = "记录视察" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/deputy/items/{itemId}/inspect$"));

        await page.GetByLabel("视察方式").SelectOptionAsync(new SelectOptionValue { Label = "实地视察" });
        await page.GetByLabel("视察发现").FillAsync("抽查8户，扶手和防滑地面质量良好；2户老人反映坡道偏陡。");
        // The request is written on the second row and its date forgotten: the error lands beside that row.
        await page.GetByLabel("第 2 项要求").FillAsync(request);
        await page.GetByRole(AriaRole.Button, new() { Name = "保存视察记录" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Locator("li")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-row='1'] .field-validation-error")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-row='0'] .field-validation-error")).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("第 2 项要求")).ToHaveValueAsync(request);
        await Expect(page.GetByLabel("视察发现")).ToHaveValueAsync(new Regex("抽查8户"));
        await page.SaveAsync("deputy-06-inspection-error");

        await page.GetByLabel("第 2 项答复期限").FillAsync("2026-06-25");
        await page.GetByLabel("现场照片").SetInputFilesAsync(new FilePayload { Name = "现场.png", MimeType = "image/png", Buffer = Seeded.Png() });
        await page.SaveAsync("deputy-07-inspection-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存视察记录" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/deputy$"));
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("视察记录已保存。");
        var followUp = page.Locator("article[data-item='HS-MS-01'] .follow-ups li", new() { HasText = request });
        await Expect(followUp).ToContainTextAsync("限 2026-06-25 前答复");
        await Expect(followUp.Locator("[data-flag=overdue]")).ToHaveCountAsync(0);
        await page.SaveAsync("deputy-08-home-with-follow-up");

        await using var db = app.Db();
        var inspection = await db.Inspections.Include(i => i.Photos).SingleAsync(i => i.InitiativeId == itemId && i.DeputyUserId == deputy.Id);
        Assert.Equal((InspectionKind.SiteVisit, new DateOnly(2026, 6, 15)), (inspection.Kind, inspection.On));
        Assert.Equal("image/png", Assert.Single(inspection.Photos).ContentType);
        var row = await db.FollowUps.SingleAsync(f => f.InspectionId == inspection.Id);
        Assert.Equal((request, new DateOnly(2026, 6, 25), (string?)null), (row.Request, row.DueOn, row.Answer));
    }

    [Fact]
    public async Task A_deputy_outside_the_items_groups_gets_a_refusal_page_for_its_inspection_form()
    {
        var deputy = await app.PersonAsync(Roles.Deputy, jurisdictionCode: "HS");
        var itemId = await ItemAsync("HS-MS-03");
        var page = await app.SignInAsync(deputy);
        var response = await page.GotoAsync($"/deputy/items/{itemId}/inspect");
        Assert.Equal(403, response!.Status);
        await using var db = app.Db();
        Assert.False(await db.Inspections.AnyAsync(i => i.DeputyUserId == deputy.Id));
    }

    [Fact]
    public async Task A_deputy_rates_an_item_once_and_a_second_rating_is_refused()
    {
        var (deputy, itemId) = await DeputyInGroupAsync("HS-MS-01");
        var page = await app.SignInAsync(deputy);
        await page.Locator("article[data-item='HS-MS-01']").GetByRole(AriaRole.Link, new() { Name = "满意度测评" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/deputy/items/{itemId}/evaluate$"));
        await page.SaveAsync("deputy-09-evaluate");

        await page.GetByRole(AriaRole.Button, new() { Name = "提交测评" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Locator("li")).ToHaveCountAsync(1);
        await Expect(page.Locator("fieldset .field-validation-error")).ToBeVisibleAsync();
        await page.GetByLabel("满意", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("意见和建议（选填）").FillAsync("改造细致，老人满意。");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交测评" }).ClickAsync();
        var summary = page.Locator("[data-test=rating-summary]");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("您的测评已提交，谢谢。");
        await Expect(summary.Locator("tr[data-rating=Satisfied] td.num")).Not.ToHaveTextAsync("0");
        await page.SaveAsync("deputy-10-evaluated");

        await page.GotoAsync($"/deputy/items/{itemId}/evaluate");
        await page.GetByLabel("不满意").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "提交测评" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("您已测评过该事项");
        await Expect(page.GetByLabel("不满意")).ToBeCheckedAsync();
        await page.SaveAsync("deputy-11-evaluate-again");

        await using var db = app.Db();
        var evaluation = await db.Evaluations.SingleAsync(e => e.InitiativeId == itemId && e.DeputyUserId == deputy.Id);
        Assert.Equal(Rating.Satisfied, evaluation.Rating);
    }

    /// <summary>A new deputy of HS with a password, in a new group of HS supervising the seeded item <paramref name="code"/>.</summary>
    private async Task<(TrackerUser Deputy, long ItemId)> DeputyInGroupAsync(string code)
    {
        var hs = await JurisdictionAsync("HS");
        var itemId = await ItemAsync(code);
        var deputy = await app.PersonAsync(Roles.Deputy, jurisdictionCode: "HS");
        var supervisor = await app.SupervisorOf(hs);
        await ReadOk<GroupDto>(supervisor.PostAsJsonAsync("/api/groups",
            new GroupInput(hs, $"代表小组 {Guid.NewGuid().ToString("N")[..6]}", [deputy.Id], [itemId]), TrackerApp.Json));
        return (deputy, itemId);
    }

    private async Task<int> JurisdictionAsync(string code)
    {
        await using var db = app.Db();
        return await db.Jurisdictions.Where(j => j.Code == code).Select(j => j.Id).SingleAsync();
    }

    private async Task<int> DepartmentAsync(string code)
    {
        await using var db = app.Db();
        return await db.Departments.Where(d => d.Code == code).Select(d => d.Id).SingleAsync();
    }

    private async Task<long> ItemAsync(string code)
    {
        await using var db = app.Db();
        return await db.Initiatives.Where(i => i.Code == code).Select(i => i.Id).SingleAsync();
    }

    private async Task<T> ReadOk<T>(Task<HttpResponseMessage> request)
    {
        var response = await request;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
        return await app.ReadAsync<T>(response);
    }
}
