using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tracker.Web.Features.Access;
using Tracker.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests.Infrastructure;

/// <summary>
/// The seeded service on a real Kestrel port of 127.0.0.1, and Debian's Chromium driven by Playwright.
/// Each test signs in its own people in their own browser contexts, so tests share nothing but the seed.
/// </summary>
public sealed class BrowserApp : TrackerApp
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    protected override bool Seed => true;

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Not started.");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does.");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // As root in a sandbox, with no network but loopback: no sandbox, no background calls home.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    public override async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A new user with a password, who can sign in through the login page.</summary>
    public async Task<TrackerUser> PersonAsync(string role, string? departmentCode = null, string? jurisdictionCode = null)
    {
        await using var db = Db();
        int? department = departmentCode is null ? null : await db.Departments.Where(d => d.Code == departmentCode).Select(d => d.Id).SingleAsync();
        int? jurisdiction = jurisdictionCode is null ? null : await db.Jurisdictions.Where(j => j.Code == jurisdictionCode).Select(j => j.Id).SingleAsync();
        return await NewUserAsync([role], department, jurisdiction);
    }

    /// <summary>A fresh browser context (a phone-sized one when asked) signed in through the login page as <paramref name="user"/>.</summary>
    public async Task<IPage> SignInAsync(TrackerUser user, bool phone = false)
    {
        var page = await NewPageAsync(phone);
        await page.GotoAsync("/account/login");
        await page.Locator("#Email").FillAsync(user.Email!);
        await page.Locator("#Password").FillAsync(Password);
        await page.Locator("main button[type=submit]").ClickAsync();
        try
        {
            // The address is polled rather than awaited as a navigation's "load": the redirects after a sign-in can end
            // before the wait begins, and a frame's load state then waits for an event that has already been and gone.
            await Expect(page).Not.ToHaveURLAsync(new Regex("/account/login"), new() { Timeout = 60_000 });
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        }
        catch (PlaywrightException e)
        {
            // Say what the sign-in page shows (a refusal, an error), so that a failure here can be told from slowness.
            throw new TimeoutException($"Still on {page.Url} after signing in as {user.Email}: {await page.Locator("main").InnerTextAsync()}", e);
        }
        return page;
    }

    public async Task<IPage> NewPageAsync(bool phone = false)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl,
            Locale = "zh-CN",
            ViewportSize = phone ? new() { Width = 390, Height = 844 } : new() { Width = 1280, Height = 900 },
            IsMobile = phone,
        });
        return await context.NewPageAsync();
    }
}

/// <summary>Screenshots of each step, kept as the test run's artifacts.</summary>
public static class Screenshots
{
    /// <summary>
    /// <c>artifacts/screenshots/</c> at the repository's root (found from the test assembly's folder), or
    /// <c>TRACKER_SCREENSHOTS</c> when set.
    /// </summary>
    public static string Folder { get; } = Environment.GetEnvironmentVariable("TRACKER_SCREENSHOTS") is { Length: > 0 } set ? set : Default();

    public static async Task SaveAsync(this IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Folder, $"{name}.png"), FullPage = true });
    }

    private static string Default()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tracker.sln")))
            dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
    }
}
