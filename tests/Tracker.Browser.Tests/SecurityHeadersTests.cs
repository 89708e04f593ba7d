using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Web.Features.Access;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

/// <summary>
/// The Content Security Policies as Chromium applies them: the pages, the API reference (Scalar) and the job dashboard
/// (Hangfire) render in full and the browser reports no violation.
/// </summary>
[Trait("Category", "Browser")]
public sealed class SecurityHeadersTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task The_pages_break_no_rule_of_their_policy_and_progress_bars_are_drawn_without_inline_style()
    {
        var supervisor = await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS");
        var page = await app.SignInAsync(supervisor);
        var violations = Watch(page);

        foreach (var path in new[] { "/public", "/supervisor", "/supervisor/ranking", "/supervisor/notices", "/inbox", "/account/login" })
        {
            var response = await page.GotoAsync(path);
            Assert.True(response!.Ok, $"{path}: {response.Status}");
        }
        await page.GotoAsync("/public");
        var bar = page.GetByRole(AriaRole.Progressbar).First;
        var percent = int.Parse((await bar.GetAttributeAsync("aria-valuenow"))!);
        var whole = (await bar.BoundingBoxAsync())!.Width;
        var filled = (await bar.Locator("rect").BoundingBoxAsync())?.Width ?? 0;
        Assert.InRange(filled / whole, percent / 100.0 - 0.02, percent / 100.0 + 0.02);

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public async Task The_api_reference_renders_its_operations_under_its_policy()
    {
        var page = await app.NewPageAsync();
        var violations = Watch(page);

        await page.GotoAsync("/scalar/v1");

        await Expect(page.GetByText("/api/initiatives/{id}/reports").First).ToBeAttachedAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByText("Tracker.Web").First).ToBeVisibleAsync();
        await page.SaveAsync("api-reference");
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public async Task The_job_dashboard_renders_and_polls_under_its_policy()
    {
        var supervisor = await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS");
        var page = await app.SignInAsync(supervisor);
        var violations = Watch(page);

        // The dashboard's script polls its statistics: its first answer is the sign that the script ran.
        var polled = page.WaitForResponseAsync(r => r.Url.Contains("/hangfire/stats", StringComparison.Ordinal) && r.Ok);
        await page.GotoAsync("/hangfire");
        await Expect(page.GetByText("Tracker jobs").First).ToBeVisibleAsync();
        await polled;
        await page.GotoAsync("/hangfire/recurring");
        await Expect(page.GetByText("reminder-sweep").First).ToBeVisibleAsync();
        await page.SaveAsync("job-dashboard");

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    /// <summary>What Chromium says about the policy (or any script failing) while the page is used.</summary>
    private static List<string> Watch(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)
                || message.Text.Contains("Refused to", StringComparison.Ordinal)))
                lock (violations) violations.Add($"{page.Url}: {message.Text}");
        };
        page.PageError += (_, error) => { lock (violations) violations.Add($"{page.Url}: {error}"); };
        return violations;
    }
}
