using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Web.Features.Access;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

/// <summary>Issue 16: a supervisor of 唐山高新区 opens the seeded 80 key projects from the zone's overview, reads the start rate and the investment curve, and drills into a red project.</summary>
[Trait("Category", "Browser")]
public sealed class ProgrammePagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task A_supervisor_opens_the_80_key_projects_reads_the_start_rate_and_the_investment_curve_and_drills_into_a_red_one()
    {
        var page = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "TS-GXQ"));
        await page.GotoAsync("/supervisor");
        await page.GetByRole(AriaRole.Link, new() { Name = "总体情况", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/supervisor/dashboard"));
        await page.Locator("[data-test=programmes]").GetByRole(AriaRole.Link, new() { Name = "2026年80个重点项目" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/programmes/\d+$"));
        await Expect(page.Locator("[data-figure=items]")).ToHaveTextAsync("80");
        await Expect(page.Locator("[data-figure=start-rate]")).ToHaveTextAsync("100%");
        // The seed's figures: 58亿 of this year's 120亿 done by mid-June.
        await Expect(page.Locator("[data-figure=planned-investment]")).ToHaveTextAsync("120");
        await Expect(page.Locator("[data-figure=completed-investment]")).ToHaveTextAsync("58");
        await Expect(page.Locator("[data-test=investment-curve]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-test=progress-trend] svg")).ToBeVisibleAsync();
        await page.SaveAsync("programme-01-80-key-projects");

        // The reddest first: the four badly lagging projects head the list.
        var first = page.Locator("[data-test=programme-items] tbody tr").First;
        await Expect(first).ToHaveAttributeAsync("data-code", "TSGX-ZD-07");
        await Expect(first.Locator("[data-colour=Red]")).ToBeVisibleAsync();
        var title = await first.Locator("a").First.InnerTextAsync();
        await first.Locator("a").First.ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/items/\d+$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Expect(page.Locator("header [data-colour=Red]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-test=investment]")).ToContainTextAsync("计划");
        await page.SaveAsync("programme-02-red-project");
    }

    [Fact]
    public async Task The_overview_and_a_programme_read_in_English()
    {
        var page = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "TS-GXQ"));
        await page.GotoAsync("/supervisor/dashboard?culture=en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Programmes" })).ToBeVisibleAsync();
        var programme = await page.Locator("[data-test=programmes] a").First.GetAttributeAsync("href");
        await page.GotoAsync($"{programme}?culture=en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-test=figures]")).ToContainTextAsync("Start rate");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Investment in 2026 (cumulative)" })).ToBeVisibleAsync();
        await page.SaveAsync("programme-03-english");
    }
}
