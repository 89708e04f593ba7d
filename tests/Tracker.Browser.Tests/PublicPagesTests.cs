using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Domain;
using Tracker.Web.Features.Progress;
using Tracker.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

[Trait("Category", "Browser")]
public sealed class PublicPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Signed_out_the_public_reads_the_published_livelihood_items_with_progress_and_no_personal_data()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/public$"));
        await Expect(page.Locator("#Year")).ToHaveValueAsync("2026");

        // The picker lists a few of the province's jurisdictions; typing finds the city.
        await page.GetByLabel("按名称查找：地区").FillAsync("衡水");
        var city = (await app.JurisdictionIdAsync("HS")).ToString();
        await Expect(page.Locator($"#JurisdictionId option[value='{city}']")).ToHaveCountAsync(1);
        await page.Locator("#JurisdictionId").SelectOptionAsync(city);
        await page.GetByRole(AriaRole.Button, new() { Name = "查看" }).ClickAsync();
        var elderly = page.Locator("article[data-code='HS-MS-01']");
        await Expect(elderly.GetByRole(AriaRole.Heading)).ToHaveTextAsync("特困老人居家适老化改造");
        await Expect(elderly).ToContainTextAsync("衡水市民政局");
        await Expect(elderly.GetByRole(AriaRole.Progressbar, new() { Name = "总体进度" })).ToHaveAttributeAsync("aria-valuenow", "99"); // 996 of 1,000: floored, not yet done
        await Expect(elderly.GetByRole(AriaRole.Progressbar, new() { Name = "改造户数" })).ToBeVisibleAsync();
        await Expect(page.Locator("article[data-code='HS-MS-07']")).ToBeVisibleAsync();
        await Expect(page.Locator("article[data-code='HS-KJ-03']")).ToHaveCountAsync(0);    // a key project is not published
        await Expect(page.Locator("article[data-code='TC-MS-01']")).ToBeVisibleAsync();      // the county's items are below the city
        await AssertNoPersonalDataAsync(page);
        await page.SaveAsync("public-01-list");

        await elderly.GetByRole(AriaRole.Link, new() { Name = "特困老人居家适老化改造" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "特困老人居家适老化改造", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("完成入户评估与分类建档")).ToBeVisibleAsync();
        await AssertNoPersonalDataAsync(page);
        await page.SaveAsync("public-02-item");
    }

    [Fact]
    public async Task The_public_list_fits_a_phone()
    {
        var page = await app.NewPageAsync(phone: true);
        await page.GotoAsync($"/public?JurisdictionId={await app.JurisdictionIdAsync("HS")}");
        await Expect(page.Locator("article[data-code='HS-MS-01']")).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow);
        await page.SaveAsync("public-03-list-phone");
    }

    [Fact]
    public async Task The_public_item_page_shows_the_photos_of_its_reports()
    {
        var id = await app.ItemIdAsync("HS-MS-03");
        int targetId;
        await using (var db = app.Db())
            targetId = await db.Targets.Where(t => t.InitiativeId == id).OrderBy(t => t.Id).Select(t => t.Id).FirstAsync();
        var official = await app.OfficialOf(await app.DepartmentIdAsync("HS-JYJ"));
        var report = new ReportInput(Phase.MainStructureDone, "新建教学楼主体结构封顶。", null, null, [new ReportValueInput(targetId, 6)], null);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(JsonSerializer.Serialize(report, TrackerApp.Json), Encoding.UTF8, "application/json"), "report" },
        };
        var photo = new ByteArrayContent(Seeded.Png(width: 20, height: 10));
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        content.Add(photo, "files", "现场.png");
        var posted = await official.PostAsync($"/api/initiatives/{id}/reports", content);
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());

        var page = await app.NewPageAsync();
        await page.GotoAsync($"/public/items/{id}");
        var image = page.Locator("[data-test=photos] img");
        await Expect(image).ToHaveCountAsync(1);
        await Expect(image).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^/api/public/photos/"));
        await Expect(image).ToHaveJSPropertyAsync("naturalWidth", 20);
        await AssertNoPersonalDataAsync(page);
        await page.SaveAsync("public-04-item-photos");

        var missing = await page.GotoAsync("/public/items/999999999");
        Assert.Equal(404, missing!.Status);
    }

    /// <summary>No name, phone or email of any seeded contact, nor the name of anyone who reported, is on the page.</summary>
    private async Task AssertNoPersonalDataAsync(IPage page)
    {
        var text = await page.ContentAsync();
        await using var db = app.Db();
        var contacts = await db.Initiatives
            .Select(i => new[] { i.LeaderInCharge.Name, i.LeaderInCharge.Phone, i.LeaderInCharge.Email, i.ResponsiblePerson.Name, i.ResponsiblePerson.Phone, i.ResponsiblePerson.Email })
            .ToListAsync();
        var reporters = await db.ProgressReports.Select(r => r.ReportedBy).Distinct().ToListAsync();
        var personal = contacts.SelectMany(c => c).Concat(reporters).Where(s => !string.IsNullOrWhiteSpace(s)).Distinct().ToList();
        Assert.NotEmpty(personal);
        Assert.All(personal, p => Assert.DoesNotContain(p!, text));
    }
}
