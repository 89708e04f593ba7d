using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Web.Features.Access;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

/// <summary>
/// Issue 17: a livelihood year on pages only, in 衡水市 (HS) — the public proposes, congress staff screen, a session is
/// set up, three deputies vote in their own browsers, the result is adopted with a tie-break, the lead department gives
/// the item its plan and a supervisor publishes it, a group inspects, the official reports, deputies rate, and the
/// evaluation flags the item. A screenshot of each step goes to artifacts/screenshots/year-*.
/// </summary>
[Trait("Category", "Browser")]
public sealed partial class LivelihoodYearTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task A_whole_year_from_the_publics_proposals_to_the_deputies_ratings_runs_on_pages()
    {
        var hs = await app.JurisdictionIdAsync("HS");
        var tag = Guid.NewGuid().ToString("N")[..4];
        string Title(string name) => $"{name}{tag}";

        // 1. The public proposes, on phones: two residents ask for much the same thing.
        var receipts = new Dictionary<string, string>();
        foreach (var (name, text) in new[]
        {
            ("社区老年助餐点", "老人做饭难，希望社区有助餐点。"), ("老年食堂", "建议在老旧小区集中的街道办老年食堂。"),
            ("口袋公园", "城区缺少休闲空间，建议利用边角地建口袋公园。"), ("小区充电桩", "电动自行车充电难，楼道充电有隐患。"),
            ("更换路灯灯泡", "我家楼下路灯坏了。"),
        })
            receipts[name] = await ProposeAsync(hs, Title(name), text, receipts.Count == 0 ? "year-01-public-proposes-phone" : null);

        // 2. Congress staff screen the queue: a reason for the one rejected, duplicates merged into a candidate.
        var staff = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS"));
        await staff.GetByRole(AriaRole.Link, new() { Name = "民生实事", Exact = true }).ClickAsync();
        await Expect(staff).ToHaveURLAsync(new Regex("/supervisor/proposals$"));
        await Expect(staff.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("衡水市 2026 年民生实事建议征集");
        var submitted = int.Parse(Digits().Match(await staff.Locator("[data-total=Submitted]").InnerTextAsync()).Value);
        Assert.True(submitted >= 5, $"{submitted} proposals waiting");
        await staff.SaveAsync("year-02-staff-queue");

        var lamp = Proposal(staff, Title("更换路灯灯泡"));
        await lamp.GetByText("不予采纳", new() { Exact = true }).First.ClickAsync();
        await lamp.GetByRole(AriaRole.Button, new() { Name = "不予采纳" }).ClickAsync();
        await Expect(Proposal(staff, Title("更换路灯灯泡")).Locator("[data-valmsg-for='Rejection.Reason']")).Not.ToBeEmptyAsync();
        await staff.SaveAsync("year-03-staff-reject-needs-reason");
        await Proposal(staff, Title("更换路灯灯泡")).GetByLabel("理由（提议人可见）").FillAsync("属日常维修，已转城管部门办理。");
        await Proposal(staff, Title("更换路灯灯泡")).GetByRole(AriaRole.Button, new() { Name = "不予采纳" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Status)).ToHaveTextAsync("已不予采纳，提议人可凭回执码查看理由。");
        await Expect(Proposal(staff, Title("更换路灯灯泡"))).ToHaveCountAsync(0);

        // Two alike merged; the cost left out first — refused beside the field, the ticks kept.
        await Proposal(staff, Title("社区老年助餐点")).GetByLabel("纳入下方的候选项目").CheckAsync();
        await Proposal(staff, Title("老年食堂")).GetByLabel("纳入下方的候选项目").CheckAsync();
        await staff.GetByLabel("候选项目名称").FillAsync(Title("社区老年助餐服务"));
        await staff.GetByLabel("承办单位").SelectOptionAsync(new SelectOptionValue { Value = (await app.DepartmentIdAsync("HS-MZJ")).ToString() });
        await staff.GetByRole(AriaRole.Button, new() { Name = "形成候选项目" }).ClickAsync();
        await Expect(staff.Locator("[data-valmsg-for='Candidate.EstimatedCost']")).ToHaveTextAsync("'估算投资' 不能为空。");
        await Expect(staff.GetByLabel("估算投资（万元）")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Proposal(staff, Title("老年食堂")).GetByLabel("纳入下方的候选项目")).ToBeCheckedAsync();
        await staff.SaveAsync("year-04-staff-candidate-refused");
        await staff.GetByLabel("估算投资（万元）").FillAsync("300");
        await staff.GetByRole(AriaRole.Button, new() { Name = "形成候选项目" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Status)).ToHaveTextAsync($"已形成候选项目：{Title("社区老年助餐服务")}");
        await CandidateAsync(staff, Title("口袋公园"), Title("口袋公园"), "500", "HS-CGJ");
        await CandidateAsync(staff, Title("小区充电桩"), Title("小区充电桩"), "200", "HS-ZJJ");
        var candidates = staff.Locator("tr[data-candidate]");
        await Expect(candidates.Filter(new() { HasText = Title("社区老年助餐服务") }).Locator("td").Last).ToHaveTextAsync("2");
        await staff.SaveAsync("year-05-staff-candidates");

        var resident = await app.NewPageAsync(phone: true);
        await resident.GotoAsync($"/public/receipt?code={receipts["老年食堂"]}");
        await Expect(resident.Locator("[data-test=proposal]")).ToContainTextAsync($"已纳入候选项目：{Title("社区老年助餐服务")}");
        await resident.GotoAsync($"/public/receipt?code={receipts["更换路灯灯泡"]}");
        await Expect(resident.Locator("[data-test=proposal]")).ToContainTextAsync("属日常维修，已转城管部门办理。");
        await resident.SaveAsync("year-06-public-reads-the-fate-phone");

        // 3. The session: a window that closes before it opens is refused; then two items to choose from three.
        var deputies = new[]
        {
            await app.PersonAsync(Roles.Deputy, jurisdictionCode: "HS"), await app.PersonAsync(Roles.Deputy, jurisdictionCode: "HS"),
            await app.PersonAsync(Roles.Deputy, jurisdictionCode: "HS"),
        };
        await staff.GetByRole(AriaRole.Link, new() { Name = "用这些候选项目安排票决" }).ClickAsync();
        var now = app.Clock.GetUtcNow();
        var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime;
        await staff.GetByLabel("会议名称").FillAsync(Title("民生实事项目票决"));
        await staff.GetByLabel("投票开始").FillAsync(local.AddHours(-1).ToString("yyyy-MM-ddTHH:mm"));
        await staff.GetByLabel("投票截止").FillAsync(local.AddHours(-2).ToString("yyyy-MM-ddTHH:mm"));
        await staff.GetByLabel("应选项数", new() { Exact = true }).FillAsync("2");
        await staff.GetByLabel("赞成票超过所投票数的半数").CheckAsync();
        foreach (var name in new[] { "社区老年助餐服务", "口袋公园", "小区充电桩" })
            await staff.GetByRole(AriaRole.Group, new() { Name = "候选项目" }).GetByText(Title(name)).ClickAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "安排票决" }).ClickAsync();
        await Expect(staff.Locator("[data-valmsg-for='Input.ClosesAt']")).Not.ToBeEmptyAsync();
        await Expect(staff.GetByLabel(Title("口袋公园"))).ToBeCheckedAsync();
        await staff.SaveAsync("year-07-session-refused");
        await staff.GetByLabel("投票截止").FillAsync(local.AddHours(1).ToString("yyyy-MM-ddTHH:mm"));
        await staff.GetByRole(AriaRole.Button, new() { Name = "安排票决" }).ClickAsync();
        // (The browser keeps the form page's #new-session across the redirect.)
        await Expect(staff).ToHaveURLAsync(new Regex(@"/supervisor/sessions/\d+(#new-session)?$"));
        var sessionUrl = new Uri(staff.Url).AbsolutePath;
        await Expect(staff.Locator("[data-test=ballots-cast]")).ToHaveTextAsync(new Regex("^已投票 0 人"));
        await staff.SaveAsync("year-08-session-set-up");

        // 4. Three deputies vote, each in their own browser; staff watch the count, never the choices.
        var choices = new[]
        {
            new[] { "赞成", "赞成", "反对" },
            new[] { "赞成", "反对", "赞成" },
            new[] { "赞成", "赞成", "赞成" },
        };
        var voters = new List<IPage>();
        for (var d = 0; d < deputies.Length; d++)
        {
            var ballot = await app.SignInAsync(deputies[d], phone: d == 1);
            voters.Add(ballot);
            await ballot.GetByRole(AriaRole.Link, new() { Name = "去投票" }).First.ClickAsync();
            var names = new[] { "社区老年助餐服务", "口袋公园", "小区充电桩" };
            for (var c = 0; c < names.Length; c++)
                await ballot.GetByRole(AriaRole.Group, new() { Name = Title(names[c]) }).GetByLabel(choices[d][c]).CheckAsync();
            await ballot.GetByRole(AriaRole.Button, new() { Name = "投出选票" }).ClickAsync();
            await Expect(ballot.GetByRole(AriaRole.Status)).ToHaveTextAsync("您的选票已投出。");
            await ballot.SaveAsync($"year-09-deputy-{d + 1}-voted{(d == 1 ? "-phone" : "")}");
            await staff.ReloadAsync();
            await Expect(staff.Locator("[data-test=ballots-cast]")).ToHaveTextAsync(new Regex($"^已投票 {d + 1} 人"));
        }
        await Expect(staff.Locator("tr[data-candidate]")).ToHaveCountAsync(0);
        await staff.SaveAsync("year-10-live-count");

        // 5. Voting closes: 口袋公园 and 充电桩 tie for the second place; naming both is refused, naming one adopts.
        app.Clock.Advance(TimeSpan.FromHours(2));
        await staff.GotoAsync(sessionUrl);
        var tally = staff.Locator("tr[data-candidate]");
        await Expect(tally.Filter(new() { HasText = Title("社区老年助餐服务") })).ToHaveAttributeAsync("data-outcome", "chosen");
        await Expect(tally.Filter(new() { HasText = Title("口袋公园") })).ToHaveAttributeAsync("data-outcome", "tied");
        await Expect(tally.Filter(new() { HasText = Title("小区充电桩") })).ToHaveAttributeAsync("data-outcome", "tied");
        await staff.SaveAsync("year-11-tally-with-a-tie");
        await staff.GetByLabel(Title("口袋公园")).CheckAsync();
        await staff.GetByLabel(Title("小区充电桩")).CheckAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "确定结果" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Alert)).Not.ToBeEmptyAsync();
        var sessionName = Title("民生实事项目票决");
        await using (var db = app.Db())
            Assert.False(await db.Sessions.Where(s => s.Name == sessionName).Select(s => s.Adopted).SingleAsync());
        await staff.SaveAsync("year-12-tie-break-refused");
        await staff.GetByLabel(Title("小区充电桩")).UncheckAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "确定结果" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Status)).ToContainTextAsync("票决结果已确定");
        await Expect(tally.Filter(new() { HasText = Title("口袋公园") }).GetByRole(AriaRole.Link, new() { Name = "查看事项" })).ToBeVisibleAsync();
        await Expect(tally.Filter(new() { HasText = Title("小区充电桩") }).GetByRole(AriaRole.Link, new() { Name = "查看事项" })).ToHaveCountAsync(0);
        await staff.SaveAsync("year-13-adopted");
        long itemId;
        var itemTitle = Title("社区老年助餐服务");
        await using (var db = app.Db())
            itemId = await db.Initiatives.Where(i => i.Title == itemTitle).Select(i => i.Id).SingleAsync();

        // 6. The lead department gives the new item its plan; the supervisor then publishes it.
        var official = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: "HS-MZJ"));
        await official.GotoAsync($"/items/{itemId}/edit");
        await official.GetByLabel("包联领导（必填）").FillAsync("张副市长");
        await official.GetByLabel("责任人（必填）").FillAsync("王科长");
        await official.Locator("#Input_Targets_0__Metric").FillAsync("建成助餐点");
        await official.Locator("#Input_Targets_0__Unit").FillAsync("个");
        await official.Locator("#Input_Targets_0__Target").FillAsync("10");
        await official.GetByRole(AriaRole.Button, new() { Name = "保存修改" }).ClickAsync();
        await Expect(official).ToHaveURLAsync(new Regex($"/items/{itemId}$"));
        await official.SaveAsync("year-14-official-plans-the-item");
        await staff.GotoAsync($"/items/{itemId}");
        await staff.GetByRole(AriaRole.Button, new() { Name = "向社会公开" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Status)).ToHaveTextAsync("已向社会公开。");
        await staff.SaveAsync("year-15-published");

        // 7. A group of two of the deputies is formed for it (none ticked first: refused), and inspects.
        await staff.GotoAsync($"/supervisor/groups?JurisdictionId={hs}");
        await staff.GetByLabel("小组名称").FillAsync(Title("助餐监督组"));
        await staff.Locator($"input[name='Input.InitiativeIds'][value='{itemId}']").CheckAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "成立小组" }).ClickAsync();
        await Expect(staff.Locator("[data-valmsg-for='Input.MemberUserIds']")).Not.ToBeEmptyAsync();
        await Expect(staff.Locator($"input[name='Input.InitiativeIds'][value='{itemId}']")).ToBeCheckedAsync();
        foreach (var member in deputies.Take(2))
            await staff.Locator($"input[name='Input.MemberUserIds'][value='{member.Id}']").CheckAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "成立小组" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Status)).ToHaveTextAsync($"代表小组“{Title("助餐监督组")}”已成立。");
        await Expect(staff.Locator("article[data-group]", new() { HasText = Title("助餐监督组") })).ToContainTextAsync(Title("社区老年助餐服务"));
        await staff.SaveAsync("year-16-group-formed");

        var inspector = voters[0];
        await inspector.GotoAsync($"/deputy/items/{itemId}/inspect");
        await inspector.GetByLabel("视察方式").SelectOptionAsync(new SelectOptionValue { Label = "实地视察" });
        await inspector.GetByLabel("视察发现").FillAsync("已建成4个助餐点，菜品少，部分老人嫌价格偏高。");
        await inspector.GetByRole(AriaRole.Button, new() { Name = "保存视察记录" }).ClickAsync();
        await Expect(inspector.GetByRole(AriaRole.Status)).ToHaveTextAsync("视察记录已保存。");
        await inspector.SaveAsync("year-17-group-inspects");

        // 8. The official reports progress.
        await official.GotoAsync($"/items/{itemId}/report");
        await official.GetByLabel("建成助餐点（个）").FillAsync("6");
        await official.GetByLabel("进展情况（必填）").FillAsync("已建成6个助餐点，另4个在装修。");
        await official.GetByRole(AriaRole.Button, new() { Name = "提交报送" }).ClickAsync();
        await Expect(official.GetByRole(AriaRole.Status)).ToHaveTextAsync("进度已报送，谢谢。");
        await official.SaveAsync("year-18-official-reports");

        // 9. The deputies rate it: two of three dissatisfied, over the 30% the office allows.
        var ratings = new[] { "满意", "不满意", "不满意" };
        for (var d = 0; d < voters.Count; d++)
        {
            await voters[d].GotoAsync($"/deputy/items/{itemId}/evaluate");
            await voters[d].GetByLabel(ratings[d], new() { Exact = true }).CheckAsync();
            await voters[d].GetByRole(AriaRole.Button, new() { Name = "提交测评" }).ClickAsync();
            await Expect(voters[d].GetByRole(AriaRole.Status)).ToHaveTextAsync("您的测评已提交，谢谢。");
        }
        await voters[2].SaveAsync("year-19-deputies-rate");

        // 10. The evaluation summary flags the item for rectification.
        await staff.GotoAsync($"/supervisor/evaluation?JurisdictionId={hs}");
        var row = staff.Locator($"tr[data-item='{itemId}']");
        await Expect(row.Locator("[data-flag=rectify]")).ToHaveTextAsync("需整改");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("2");
        await staff.SaveAsync("year-20-evaluation-flags-the-item");

        // The public reads the voted item with its progress.
        await resident.GotoAsync($"/public/items/{itemId}");
        await Expect(resident.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Title("社区老年助餐服务"));
        await Expect(resident.GetByRole(AriaRole.Progressbar, new() { Name = "建成助餐点" })).ToHaveAttributeAsync("aria-valuenow", "60");
        await resident.SaveAsync("year-21-public-reads-progress-phone");
    }

    [Fact]
    public async Task Staff_pages_keep_out_officials_and_deputies_and_another_countys_supervisor_does_not_see_the_session()
    {
        var hs = await app.JurisdictionIdAsync("HS");
        long session;
        await using (var db = app.Db())
            session = await db.Sessions.Where(s => s.JurisdictionId == hs).Select(s => s.Id).FirstAsync();
        var pages = new[] { "/supervisor/proposals", "/supervisor/sessions", $"/supervisor/sessions/{session}", "/supervisor/groups", "/supervisor/evaluation" };
        var official = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: "HS-MZJ"));
        var deputy = await app.SignInAsync(await app.PersonAsync(Roles.Deputy, jurisdictionCode: "HS"));
        foreach (var url in pages)
        {
            Assert.Equal(403, (await official.GotoAsync(url))!.Status);
            Assert.Equal(403, (await deputy.GotoAsync(url))!.Status);
        }
        var visitor = await app.NewPageAsync();
        await visitor.GotoAsync("/supervisor/proposals");
        await Expect(visitor).ToHaveURLAsync(new Regex("/account/login"));

        string other;
        await using (var db = app.Db())
        {
            // Neither above HS nor under it.
            var path = await db.Jurisdictions.Where(j => j.Id == hs).Select(j => j.Path).SingleAsync();
            other = (await db.Jurisdictions.Select(j => new { j.Code, j.Path }).ToListAsync())
                .First(j => !path.StartsWith(j.Path, StringComparison.Ordinal) && !j.Path.StartsWith(path, StringComparison.Ordinal)).Code;
        }
        var elsewhere = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: other));
        Assert.Equal(404, (await elsewhere.GotoAsync($"/supervisor/sessions/{session}"))!.Status);
        Assert.Equal(403, (await elsewhere.GotoAsync($"/supervisor/proposals?JurisdictionId={hs}"))!.Status);
    }

    private static ILocator Proposal(IPage page, string title) => page.Locator("article[data-proposal]", new() { HasText = title });

    private async Task CandidateAsync(IPage staff, string proposal, string title, string cost, string department)
    {
        await Proposal(staff, proposal).GetByLabel("纳入下方的候选项目").CheckAsync();
        await staff.GetByLabel("候选项目名称").FillAsync(title);
        await staff.GetByLabel("估算投资（万元）").FillAsync(cost);
        await staff.GetByLabel("承办单位").SelectOptionAsync(new SelectOptionValue { Value = (await app.DepartmentIdAsync(department)).ToString() });
        await staff.GetByRole(AriaRole.Button, new() { Name = "形成候选项目" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Status)).ToHaveTextAsync($"已形成候选项目：{title}");
    }

    /// <summary>A resident proposes on the public page and keeps the receipt code.</summary>
    private async Task<string> ProposeAsync(int jurisdiction, string title, string text, string? screenshot)
    {
        var visitor = await app.NewPageAsync(phone: true);
        await visitor.GotoAsync($"/public/propose?jurisdictionId={jurisdiction}");
        await visitor.GetByLabel("建议事项（必填）").FillAsync(title);
        await visitor.GetByLabel("具体内容和理由").FillAsync(text);
        var question = await visitor.Locator("label[for=Answer]").InnerTextAsync();
        var sum = Sum().Match(question);
        await visitor.Locator("#Answer").FillAsync((int.Parse(sum.Groups[1].Value) + int.Parse(sum.Groups[2].Value)).ToString());
        await visitor.GetByRole(AriaRole.Button, new() { Name = "提交建议" }).ClickAsync();
        var code = await visitor.Locator("[data-test=receipt-code]").InnerTextAsync();
        if (screenshot is not null)
            await visitor.SaveAsync(screenshot);
        await visitor.Context.CloseAsync();
        return code;
    }

    [GeneratedRegex(@"(\d+) 加 (\d+)")]
    private static partial Regex Sum();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
