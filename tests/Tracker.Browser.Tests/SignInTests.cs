using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Web.Features.Access;
using Tracker.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

[Trait("Category", "Browser")]
public sealed class SignInTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Pages_are_in_Chinese_by_default_and_switch_to_English()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/account/login");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "登录" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.SaveAsync("sign-in-english");
    }

    [Fact]
    public async Task A_wrong_password_shows_an_error_and_keeps_the_email()
    {
        var user = await app.PersonAsync(Roles.Official, departmentCode: "HS-MZJ");
        var page = await app.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.Locator("#Email").FillAsync(user.Email!);
        await page.Locator("#Password").FillAsync("not-the-password");
        await page.Locator("main button[type=submit]").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("邮箱或密码错误");
        await Expect(page.Locator("#Email")).ToHaveValueAsync(user.Email!);
        await page.SaveAsync("sign-in-wrong-password");
    }

    [Fact]
    public async Task A_page_asked_for_before_signing_in_opens_after_it()
    {
        var user = await app.PersonAsync(Roles.Official, departmentCode: "HS-MZJ");
        var page = await app.NewPageAsync();
        await page.GotoAsync("/inbox");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login\\?ReturnUrl=%2Finbox"));
        await page.Locator("#Email").FillAsync(user.Email!);
        await page.Locator("#Password").FillAsync(TrackerApp.Password);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/inbox$"));
    }
}
