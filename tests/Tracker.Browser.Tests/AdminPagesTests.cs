using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Tracker.Browser.Tests.Infrastructure;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tracker.Browser.Tests;

/// <summary>
/// Issue 17: the admin's pages — users (a one-time link to set a password, a lock), the directory of jurisdictions and
/// departments, the holiday calendar — each with its happy path, a refused input shown beside its field, and the people
/// kept out.
/// </summary>
[Trait("Category", "Browser")]
public sealed class AdminPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string NewPassword = "Set-by-myself-2026!";

    private async Task<IPage> AdminAsync(bool phone = false) => await app.SignInAsync(await app.PersonAsync(Roles.Admin), phone);

    [Fact]
    public async Task An_admin_creates_a_user_whose_one_time_link_sets_a_password_once_and_then_no_longer_works()
    {
        var page = await AdminAsync(phone: true);
        var email = $"new-{Guid.NewGuid():N}@test.local";
        await page.GotoAsync("/official");
        await page.GetByRole(AriaRole.Link, new() { Name = "管理" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "用户", Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "新建用户" }).ClickAsync();

        // A deputy without a jurisdiction and without a password: both said beside their fields, what was typed kept.
        await page.GetByLabel("邮箱（必填，用于登录）").FillAsync(email);
        await page.GetByLabel("姓名（必填）").FillAsync("王代表");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "人大代表" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "创建用户" }).ClickAsync();
        await Expect(page.Locator("[data-valmsg-for='Input.JurisdictionId']")).ToHaveTextAsync("代表和督查人员须选择所属辖区。");
        await Expect(page.Locator("[data-valmsg-for='Password']")).Not.ToBeEmptyAsync();
        await Expect(page.GetByLabel("邮箱（必填，用于登录）")).ToHaveValueAsync(email);

        await page.GetByLabel("所属辖区（人大代表、督查人员必选）").SelectOptionAsync((await app.JurisdictionIdAsync("HS")).ToString());
        await page.GetByLabel("初始密码（必填）").FillAsync(TrackerApp.Password);
        await page.SaveAsync("admin-01-new-user-phone");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建用户" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/admin/users/[0-9a-f-]{36}\?done=created$"));
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("用户已创建。");

        // The link is shown on the answer to its POST, once.
        await page.GetByRole(AriaRole.Button, new() { Name = "生成一次性密码重置链接" }).ClickAsync();
        var link = await page.Locator("#reset-url").InputValueAsync();
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/account/reset\?user=[0-9a-f-]{36}&token=.+$", link);
        await page.SaveAsync("admin-02-reset-link-phone");
        await page.GotoAsync(page.Url);
        await Expect(page.Locator("[data-test=reset-link]")).ToHaveCountAsync(0);

        // The person sets a password with it (a mistyped repeat refused first), and signs in with it.
        var person = await app.NewPageAsync(phone: true);
        await person.GotoAsync(link);
        await person.GetByLabel("新密码", new() { Exact = true }).FillAsync(NewPassword);
        await person.GetByLabel("再次输入新密码").FillAsync(NewPassword + "x");
        await person.GetByRole(AriaRole.Button, new() { Name = "设置新密码" }).ClickAsync();
        await Expect(person.Locator("[data-valmsg-for='Confirm']")).ToHaveTextAsync("两次输入的密码不一致。");
        await person.GetByLabel("新密码", new() { Exact = true }).FillAsync(NewPassword);
        await person.GetByLabel("再次输入新密码").FillAsync(NewPassword);
        await person.GetByRole(AriaRole.Button, new() { Name = "设置新密码" }).ClickAsync();
        await Expect(person.Locator("[data-test=reset-done]")).ToBeVisibleAsync();
        await person.GetByRole(AriaRole.Link, new() { Name = "去登录" }).ClickAsync();
        await person.Locator("#Email").FillAsync(email);
        await person.Locator("#Password").FillAsync(NewPassword);
        await person.Locator("main button[type=submit]").ClickAsync();
        await Expect(person).ToHaveURLAsync(new Regex("/deputy$"));

        // The password changed the stamp the token was bound to: the same link is spent.
        var again = await app.NewPageAsync();
        await again.GotoAsync(link);
        await Expect(again.Locator("[data-test=reset-spent]")).ToBeVisibleAsync();
        await Expect(again.GetByLabel("新密码", new() { Exact = true })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_locked_user_cannot_sign_in_until_unlocked_and_an_edit_without_a_role_is_refused_beside_the_roles()
    {
        var user = await app.PersonAsync(Roles.Deputy, jurisdictionCode: "HS");
        var page = await AdminAsync();
        await page.GotoAsync($"/admin/users?q={Uri.EscapeDataString(user.Email!)}");
        await Expect(page.Locator("[data-test=total]")).ToHaveTextAsync("共 1 个用户");
        await page.GetByRole(AriaRole.Link, new() { Name = user.Email! }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "锁定账户" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("账户已锁定，其所有登录已失效。");
        await Expect(page.Locator("[data-test=state]")).ToHaveTextAsync("已锁定");

        var refused = await app.NewPageAsync();
        await refused.GotoAsync("/account/login");
        await refused.Locator("#Email").FillAsync(user.Email!);
        await refused.Locator("#Password").FillAsync(TrackerApp.Password);
        await refused.Locator("main button[type=submit]").ClickAsync();
        await Expect(refused.GetByRole(AriaRole.Alert)).ToContainTextAsync("账户已锁定");
        await Expect(refused).ToHaveURLAsync(new Regex("/account/login"));

        await page.GetByRole(AriaRole.Button, new() { Name = "解锁账户" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("账户已解锁。");
        var signedIn = await app.SignInAsync(user);
        await Expect(signedIn).ToHaveURLAsync(new Regex("/deputy$"));

        // No role ticked: said beside the roles; then a new name saved.
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "人大代表" }).UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "保存修改" }).ClickAsync();
        await Expect(page.Locator("[data-valmsg-for='Input.Roles']")).Not.ToBeEmptyAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "人大代表" }).CheckAsync();
        await page.GetByLabel("姓名（必填）").FillAsync("改名的代表");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存修改" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "改名的代表" })).ToBeVisibleAsync();
        await using var db = app.Db();
        Assert.Equal("改名的代表", await db.Users.Where(u => u.Id == user.Id).Select(u => u.DisplayName).SingleAsync());
    }

    [Fact]
    public async Task The_directory_nests_a_new_jurisdiction_with_its_new_department_and_a_code_used_already_is_said_beside_the_code()
    {
        var page = await AdminAsync(phone: true);
        var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await page.GotoAsync("/admin/directory?q=HS-TC");
        await Expect(page.Locator("[data-jurisdiction='HS-TC'] > strong")).ToHaveTextAsync("桃城区");

        await page.GetByLabel("编号（必填）").First.FillAsync($"HS-TC-{tag}");
        await page.GetByLabel("名称（必填）").First.FillAsync($"新建街道{tag}");
        await page.GetByLabel("层级").SelectOptionAsync(nameof(JurisdictionLevel.Township));
        await page.GetByLabel("上级辖区（本页所列）").SelectOptionAsync((await app.JurisdictionIdAsync("HS-TC")).ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "添加辖区" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("辖区已添加。");
        var added = page.Locator($"[data-jurisdiction='HS-TC-{tag}']");
        await Expect(added).ToContainTextAsync("上级：桃城区");

        var department = page.GetByRole(AriaRole.Region, new() { Name = "添加部门" });
        await department.GetByLabel("编号（必填）").FillAsync($"D-{tag}");
        await department.GetByLabel("名称（必填）").FillAsync($"新建街道{tag}办事处");
        await department.GetByLabel("所属辖区（本页所列）").SelectOptionAsync((await app.JurisdictionIdAsync($"HS-TC-{tag}")).ToString());
        await department.GetByRole(AriaRole.Button, new() { Name = "添加部门" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("部门已添加。");
        await Expect(added.Locator($"[data-department='D-{tag}']")).ToContainTextAsync($"新建街道{tag}办事处");
        await page.SaveAsync("admin-03-directory-phone");

        // The same code again: beside the code, with what was typed kept.
        department = page.GetByRole(AriaRole.Region, new() { Name = "添加部门" });
        await department.GetByLabel("编号（必填）").FillAsync($"D-{tag}");
        await department.GetByLabel("名称（必填）").FillAsync("重复的部门");
        await department.GetByRole(AriaRole.Button, new() { Name = "添加部门" }).ClickAsync();
        await Expect(page.Locator("[data-valmsg-for='NewDepartment.Code']")).ToHaveTextAsync("该编号已被使用。");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "添加部门" }).GetByLabel("名称（必填）")).ToHaveValueAsync("重复的部门");
        await using var db = app.Db();
        Assert.Equal(1, await db.Departments.CountAsync(d => d.Code == $"D-{tag}"));
    }

    [Fact]
    public async Task The_calendar_refuses_bad_lines_writing_nothing_then_imports_a_year_and_replaces_it_from_a_file()
    {
        var page = await AdminAsync();
        await page.GotoAsync("/admin/calendar");
        await Expect(page.Locator("tr[data-year='2026'] td").First).ToHaveTextAsync("33");

        // 2098-01-04 is a Saturday; 2098-01-06 a Monday.
        await page.GetByLabel("年度（必填）").FillAsync("2098");
        await page.GetByLabel("或逐行填写（日期,类型,名称）").FillAsync("2098-01-01,Holiday,元旦\n2098-01-06,Workday,元旦\n2098-13-01,Holiday,春节\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "导入并替换该年度" }).ClickAsync();
        var errors = page.Locator("[data-test=line-errors]");
        await Expect(errors).ToContainTextAsync("第 2 行：调休上班日只能是周六或周日。");
        await Expect(errors).ToContainTextAsync("第 3 行：“2098-13-01”不是日期");
        await Expect(page.Locator("tr[data-year='2098']")).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("或逐行填写（日期,类型,名称）")).ToHaveValueAsync(new Regex("2098-13-01"));

        await page.GetByLabel("或逐行填写（日期,类型,名称）").FillAsync("日期,类型,名称\n2098-01-01,放假,元旦\n2098-01-04,上班,元旦\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "导入并替换该年度" }).ClickAsync();
        await Expect(page.Locator("[data-test=imported]")).ToContainTextAsync("2098 年节假日安排已导入：放假 1 天，调休上班 1 天。");
        await Expect(page.Locator("tr[data-year='2098'] td")).ToHaveTextAsync(["1", "1"]);

        // The seed's own format, as a file: the year is replaced, not added to.
        await page.GetByLabel("年度（必填）").FillAsync("2098");
        await page.GetByLabel("文件（JSON、Excel 或 CSV）").SetInputFilesAsync(new FilePayload
        {
            Name = "holidays-2098.json",
            MimeType = "application/json",
            Buffer = Encoding.UTF8.GetBytes("""
                [
                  {"day": "2098-01-01", "kind": "Holiday", "name": "元旦"},
                  {"day": "2098-01-02", "kind": "Holiday", "name": "元旦"},
                  {"day": "2098-01-03", "kind": "Holiday", "name": "元旦"}
                ]
                """),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "导入并替换该年度" }).ClickAsync();
        await Expect(page.Locator("[data-test=imported]")).ToContainTextAsync("替换了原有的放假 1 天、调休上班 1 天");
        await Expect(page.Locator("tr[data-year='2098'] td")).ToHaveTextAsync(["3", "0"]);
        await page.SaveAsync("admin-04-calendar");
    }

    [Fact]
    public async Task Supervisors_and_officials_are_refused_the_admin_pages_and_visitors_are_sent_to_sign_in()
    {
        var supervisor = await app.SignInAsync(await app.PersonAsync(Roles.Supervisor, jurisdictionCode: "HS"));
        await Expect(supervisor.GetByRole(AriaRole.Link, new() { Name = "管理" })).ToHaveCountAsync(0);
        var official = await app.SignInAsync(await app.PersonAsync(Roles.Official, departmentCode: "HS-MZJ"));
        foreach (var path in new[] { "/admin/users", "/admin/users/new", "/admin/directory", "/admin/calendar" })
        {
            Assert.Equal(403, (await supervisor.GotoAsync(path))!.Status);
            Assert.Equal(403, (await official.GotoAsync(path))!.Status);
        }
        var visitor = await app.NewPageAsync();
        await visitor.GotoAsync("/admin/calendar");
        await Expect(visitor).ToHaveURLAsync(new Regex(@"/account/login\?ReturnUrl=%2Fadmin%2Fcalendar$"));
    }
}
