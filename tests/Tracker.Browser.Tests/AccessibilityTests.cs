using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

/// <summary>
/// Issue 17: every page of the service, as the role that uses it, checked by axe-core for the WCAG 2.1 A and AA rules:
/// nothing axe marks serious or critical. The list of pages is held to the service's own page routes, so a new page
/// that is not added here fails the test.
/// </summary>
[Trait("Category", "Browser")]
public sealed class AccessibilityTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static readonly AxeRunOptions Wcag21 = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        ResultTypes = [ResultType.Violations],
    };

    // Routes that show nothing of their own: they act and redirect.
    private static readonly string[] Redirects = ["account/logout", "culture"];

    [Fact]
    public async Task Every_page_passes_axe_core_for_WCAG_2_1_A_and_AA_with_nothing_serious_or_critical()
    {
        var hs = await app.JurisdictionIdAsync("HS");
        var checkedRoutes = new HashSet<string>();
        var found = new List<string>();
        async Task CheckAsync(IPage page, string route, string url)
        {
            var response = await page.GotoAsync(url);
            Assert.True(response!.Ok, $"{url}: {response.Status}");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var result = await page.RunAxe(Wcag21);
            found.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v =>
                $"{url} — {v.Id} ({v.Impact}): {v.Help}\n    {string.Join("\n    ", v.Nodes.Take(5).Select(n => $"{n.Target}: {n.Html}"))}"));
            checkedRoutes.Add(route);
        }

        // The public, not signed in, on a phone.
        var visitor = await app.NewPageAsync(phone: true);
        // First, that the check sees what it is for: an image with no text and an unnamed button are critical.
        await visitor.GotoAsync("/account/login");
        await visitor.EvaluateAsync("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/favicon.ico\"><button></button>')");
        var planted = await visitor.RunAxe(Wcag21);
        Assert.Superset(new HashSet<string> { "image-alt", "button-name" }, planted.Violations.Where(v => v.Impact == "critical").Select(v => v.Id).ToHashSet());

        await CheckAsync(visitor, "account/login", "/account/login");
        await CheckAsync(visitor, "public", $"/public?jurisdictionId={hs}");
        await CheckAsync(visitor, "public/items/{id:long}", $"/public/items/{await PublishedItemAsync()}");
        await CheckAsync(visitor, "error/{code:int}", "/error/404");
        await CheckAsync(visitor, "public/propose", $"/public/propose?jurisdictionId={hs}");
        await CheckAsync(visitor, "public/receipt", "/public/receipt?code=NOSUCHCODE");

        // An official of the department that keeps a seeded ledger.
        var (ledgerItem, ledgerRow, department) = await LedgerAsync();
        var official = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: department));
        await CheckAsync(official, "", "/");
        await CheckAsync(official, "official", "/official");
        await CheckAsync(official, "items/{id:long}", $"/items/{ledgerItem}");
        await CheckAsync(official, "items/{id:long}/report", $"/items/{ledgerItem}/report");
        await CheckAsync(official, "items/{id:long}/change", $"/items/{ledgerItem}/change");
        await CheckAsync(official, "items/import", "/items/import");
        await CheckAsync(official, "items/new", "/items/new");
        await CheckAsync(official, "items/{id:long}/edit", $"/items/{ledgerItem}/edit");
        await CheckAsync(official, "inbox", "/inbox");
        await CheckAsync(official, "ledger", "/ledger");
        await CheckAsync(official, "items/{id:long}/ledger", $"/items/{ledgerItem}/ledger");
        await CheckAsync(official, "items/{id:long}/ledger/import", $"/items/{ledgerItem}/ledger/import");
        await CheckAsync(official, "ledger/{rowId:long}", $"/ledger/{ledgerRow}");
        await CheckAsync(official, "items/{id:long}/history", $"/items/{ledgerItem}/history");

        // The city's supervisor: the board and everything reached from it, and a bulletin issued on its page.
        var supervisor = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS"));
        await CheckAsync(supervisor, "supervisor", "/supervisor");
        await CheckAsync(supervisor, "supervisor/negative-list", "/supervisor/negative-list");
        await CheckAsync(supervisor, "supervisor/ranking", "/supervisor/ranking");
        await CheckAsync(supervisor, "supervisor/notices/new", $"/supervisor/notices/new?initiativeId={await app.ItemIdAsync("HS-MS-07")}");
        await CheckAsync(supervisor, "supervisor/notices", "/supervisor/notices");
        await CheckAsync(supervisor, "supervisor/changes", "/supervisor/changes");
        await CheckAsync(supervisor, "supervisor/dispatch", "/supervisor/dispatch");
        await CheckAsync(supervisor, "supervisor/dashboard", "/supervisor/dashboard");
        await CheckAsync(supervisor, "programmes/{id:int}", $"/programmes/{await FirstAsync(db => db.Programmes.Where(p => p.JurisdictionId == hs).Select(p => (long)p.Id))}");
        await CheckAsync(supervisor, "supervisor/bulletins", "/supervisor/bulletins");
        await supervisor.GetByLabel("标题").FillAsync("关于民生实事进度的专项通报");
        await supervisor.GetByLabel("正文").FillAsync("各责任单位：\n现将进展通报如下。");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "印发", Exact = true }).ClickAsync();
        await Expect(supervisor).ToHaveURLAsync(new Regex(@"/bulletins/\d+$"));
        var bulletin = long.Parse(supervisor.Url.Split('/')[^1]);
        await CheckAsync(supervisor, "bulletins/{id:long}", $"/bulletins/{bulletin}");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "公开排名和负面清单" }).ClickAsync();
        await Expect(supervisor.Locator("[data-test=published]")).ToBeVisibleAsync();
        await CheckAsync(visitor, "public/bulletins/{id:long}", $"/public/bulletins/{bulletin}");

        // A seeded dispatch round, as its jurisdiction's supervisor reads it.
        var (round, roundJurisdiction) = await RoundAsync();
        var dispatcher = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: roundJurisdiction));
        await CheckAsync(dispatcher, "dispatch/{id:long}", $"/dispatch/{round}");

        // A deputy of the city: the home page, an open ballot, an item to inspect and to rate.
        var session = await OpenSessionAsync(hs);
        var member = await app.PersonAsync(Roles.Deputy, jurisdictionCode: "HS");
        var voted = await app.ItemIdAsync("HS-MS-01");
        (await (await app.SupervisorOf(hs)).PostAsJsonAsync("/api/groups", new GroupInput(hs, "代表小组（无障碍检查）", [member.Id], [voted]), TrackerApp.Json))
            .EnsureSuccessStatusCode();
        var deputy = await app.SignInAsync(member);
        await CheckAsync(deputy, "deputy", "/deputy");
        await CheckAsync(deputy, "deputy/sessions/{id:long}", $"/deputy/sessions/{session}");
        await CheckAsync(deputy, "deputy/items/{id:long}/inspect", $"/deputy/items/{voted}/inspect");
        await CheckAsync(deputy, "deputy/items/{id:long}/evaluate", $"/deputy/items/{voted}/evaluate");

        // Congress staff: the queue, the sessions (one open, and the seeded one counted and adopted), groups and evaluation.
        await CheckAsync(supervisor, "supervisor/proposals", $"/supervisor/proposals?JurisdictionId={hs}");
        await CheckAsync(supervisor, "supervisor/sessions", $"/supervisor/sessions?JurisdictionId={hs}");
        await CheckAsync(supervisor, "supervisor/sessions/{id:long}", $"/supervisor/sessions/{session}");
        await CheckAsync(supervisor, "supervisor/sessions/{id:long}", $"/supervisor/sessions/{await FirstAsync(db => db.Sessions.Where(s => s.Adopted).OrderBy(s => s.Id).Select(s => s.Id))}");
        await CheckAsync(supervisor, "supervisor/groups", $"/supervisor/groups?JurisdictionId={hs}");
        await CheckAsync(supervisor, "supervisor/evaluation", $"/supervisor/evaluation?JurisdictionId={hs}");

        // An admin: the users, one user's page with a reset link shown, the directory and the calendar; the link's page.
        var admin = await app.SignInAsync(await app.PersonAsync(Roles.Admin));
        var someone = await app.PersonAsync(Roles.Deputy, jurisdictionCode: "HS");
        await CheckAsync(admin, "admin/users", "/admin/users");
        await CheckAsync(admin, "admin/users/new", "/admin/users/new");
        await CheckAsync(admin, "admin/users/{id:guid}", $"/admin/users/{someone.Id}");
        await CheckAsync(admin, "admin/directory", "/admin/directory?q=HS");
        await CheckAsync(admin, "admin/calendar", "/admin/calendar");
        await CheckAsync(admin, "supervisor/deliveries", "/supervisor/deliveries");
        var link = await (await app.AdminClient()).PostAsync($"/api/admin/users/{someone.Id}/reset-link", null);
        var path = (await app.ReadAsync<Tracker.Web.Features.Admin.ResetLink>(link.EnsureSuccessStatusCode())).Path;
        await CheckAsync(visitor, "account/reset", path);

        Assert.True(found.Count == 0, $"{found.Count} serious or critical violations:\n{string.Join("\n", found)}");
        var pages = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ActionDescriptor>() is PageActionDescriptor)
            .Select(e => e.RoutePattern.RawText!.Trim('/')).Except(Redirects).ToHashSet();
        Assert.Empty(pages.Except(checkedRoutes));
    }

    private async Task<long> PublishedItemAsync() =>
        await FirstAsync(db => db.Initiatives.Where(i => i.IsPublished).OrderBy(i => i.Code).Select(i => i.Id));

    private async Task<(long Item, long Row, string Department)> LedgerAsync()
    {
        await using var db = app.Db();
        var row = await db.LedgerRows.OrderBy(r => r.Id).Select(r => new { r.Id, r.InitiativeId }).FirstAsync();
        var department = await db.Initiatives.Where(i => i.Id == row.InitiativeId).Select(i => i.LeadDepartment!.Code).SingleAsync();
        return (row.InitiativeId, row.Id, department);
    }

    private async Task<(long Round, string Jurisdiction)> RoundAsync()
    {
        await using var db = app.Db();
        var round = await db.DispatchRounds.OrderBy(r => r.Id).Select(r => new { r.Id, r.JurisdictionId }).FirstAsync();
        return (round.Id, await db.Jurisdictions.Where(j => j.Id == round.JurisdictionId).Select(j => j.Code).SingleAsync());
    }

    private async Task<long> FirstAsync(Func<Tracker.Web.Data.TrackerDbContext, IQueryable<long>> query)
    {
        await using var db = app.Db();
        return await query(db).FirstAsync();
    }

    /// <summary>A voting session open now over three new candidates, set up through the API as staff do.</summary>
    private async Task<long> OpenSessionAsync(int jurisdiction)
    {
        var supervisor = await app.SupervisorOf(jurisdiction);
        var department = await app.DepartmentIdAsync("HS-MZJ");
        var candidates = new List<long>();
        foreach (var title in new[] { "社区食堂（无障碍检查）", "口袋公园（无障碍检查）" })
        {
            var created = await supervisor.PostAsJsonAsync("/api/candidates", new CandidateInput(jurisdiction, 2026, title, "惠及周边居民", 2_000_000m, department, []), TrackerApp.Json);
            candidates.Add((await app.ReadAsync<CandidateDto>(created.EnsureSuccessStatusCode())).Id);
        }
        var now = app.Clock.GetUtcNow();
        var session = await supervisor.PostAsJsonAsync("/api/sessions", new SessionInput(jurisdiction, 2026, "票决会议（无障碍检查）", now.AddHours(-1), now.AddHours(3), 1,
            BallotMode.ForAgainstAbstain, PassRule.MajorityOfBallots, [.. candidates]), TrackerApp.Json);
        return (await app.ReadAsync<SessionDto>(session.EnsureSuccessStatusCode())).Id;
    }
}
