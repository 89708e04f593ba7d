using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Account;
using Tracker.Web.Features.Admin;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>
/// Issue 17's administration through the API the admin pages share: the users' list with its total, the lock, the one-time
/// reset link, and the holiday calendar's import (a year replaced at once, a bad file changing nothing).
/// </summary>
public sealed class AdminPagesApiTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_users_list_counts_every_match_and_finds_by_part_of_an_email_in_any_case_or_of_a_name()
    {
        var admin = await app.AdminClient();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var place = await app.NewPlaceAsync();
        for (var n = 0; n < 3; n++)
            (await admin.PostAsJsonAsync("/api/admin/users",
                new UserInput($"{tag}-{n}@test.local", $"名单 {n}", null, TrackerApp.Password, [Roles.Deputy], null, place.CityId, null), TrackerApp.Json)).EnsureSuccessStatusCode();

        var page = await admin.GetFromJsonAsync<UserPage>($"/api/admin/users?q={tag.ToUpperInvariant()}&pageSize=2", TrackerApp.Json);

        Assert.Equal((3, 2, true), (page!.Total, page.Items.Count, page.HasMore));
        Assert.Equal([$"{tag}-0@test.local", $"{tag}-1@test.local"], page.Items.Select(u => u.Email));
        Assert.Equal([Roles.Deputy], page.Items[0].Roles);
        var byName = await admin.GetFromJsonAsync<UserPage>($"/api/admin/users?q={Uri.EscapeDataString("名单 2")}", TrackerApp.Json);
        Assert.Contains(byName!.Items, u => u.Email == $"{tag}-2@test.local");
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.SupervisorOf(place.CityId)).GetAsync("/api/admin/users")).StatusCode);
    }

    [Fact]
    public async Task A_reset_link_sets_a_new_password_once_and_is_spent_by_it()
    {
        var admin = await app.AdminClient();
        var user = await app.NewUserAsync([Roles.Deputy], jurisdictionId: (await app.NewPlaceAsync()).CityId);

        var issued = await admin.PostAsync($"/api/admin/users/{user.Id}/reset-link", null);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var link = await app.ReadAsync<ResetLink>(issued);
        Assert.StartsWith("/account/reset?", link.Path);
        var query = HttpUtility.ParseQueryString(link.Path[(link.Path.IndexOf('?') + 1)..]);
        Assert.Equal(user.Id, query["user"]);
        const string chosen = "Chosen-by-me-2026!";

        var first = await app.CreateClient().PostAsJsonAsync("/api/auth/reset-password", new PasswordReset(user.Id, query["token"], chosen), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.LoginAsync(user.Email!, chosen)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.LoginAsync(user.Email!, TrackerApp.Password)).StatusCode);

        // The password changed the security stamp the token was bound to: the same link is refused, and changes nothing.
        var again = await app.CreateClient().PostAsJsonAsync("/api/auth/reset-password", new PasswordReset(user.Id, query["token"], "Another-one-2026!"), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.True((await app.ReadAsync<ValidationProblemDetails>(again)).Errors.ContainsKey("Token"));
        Assert.Equal(HttpStatusCode.OK, (await app.LoginAsync(user.Email!, chosen)).StatusCode);
        // An unknown user is refused as a spent link is: the page tells nothing about who exists.
        var stranger = await app.CreateClient().PostAsJsonAsync("/api/auth/reset-password", new PasswordReset(Guid.NewGuid().ToString(), query["token"], chosen), TrackerApp.Json);
        Assert.True((await app.ReadAsync<ValidationProblemDetails>(stranger)).Errors.ContainsKey("Token"));

        // The trail says a link was issued, by whom, and never holds the link.
        await using var db = app.Db();
        var entry = await db.AuditLog.SingleAsync(e => e.EntityType == "User" && e.EntityId == user.Id && e.Action == "ResetLinkIssued");
        Assert.DoesNotContain(query["token"]!, entry.After);
        Assert.NotNull(entry.UserId);
    }

    [Fact]
    public async Task Only_admins_issue_reset_links_and_an_unknown_user_is_not_found()
    {
        var place = await app.NewPlaceAsync();
        var user = await app.NewUserAsync([Roles.Deputy], jurisdictionId: place.CityId);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.SupervisorOf(place.CityId)).PostAsync($"/api/admin/users/{user.Id}/reset-link", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsync($"/api/admin/users/{user.Id}/reset-link", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.AdminClient()).PostAsync($"/api/admin/users/{Guid.NewGuid()}/reset-link", null)).StatusCode);
    }

    [Fact]
    public async Task A_lock_keeps_the_user_out_until_it_is_lifted_and_an_admin_cannot_lock_themselves()
    {
        var admin = await app.AdminClient();
        var user = await app.NewUserAsync([Roles.Deputy], jurisdictionId: (await app.NewPlaceAsync()).CityId);

        var locked = await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/lock", new LockChange(true), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.NotNull((await app.ReadAsync<UserDto>(locked)).LockedUntil);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.LoginAsync(user.Email!, TrackerApp.Password)).StatusCode);

        (await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/lock", new LockChange(false), TrackerApp.Json)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await app.LoginAsync(user.Email!, TrackerApp.Password)).StatusCode);

        var me = await admin.GetFromJsonAsync<Me>("/api/auth/me", TrackerApp.Json);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/admin/users/{me!.Id}/lock", new LockChange(true), TrackerApp.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/lock", new LockChange(null), TrackerApp.Json)).StatusCode);
    }

    [Fact]
    public async Task A_department_or_jurisdiction_code_already_used_is_a_conflict()
    {
        var admin = await app.AdminClient();
        var place = await app.NewPlaceAsync();
        var code = $"DUP-{Guid.NewGuid():N}"[..14];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/admin/departments", new DepartmentInput(code, "一局", place.CityId), TrackerApp.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/admin/departments", new DepartmentInput(code, "二局", place.CountyId), TrackerApp.Json)).StatusCode);
        var jurisdiction = new JurisdictionInput(code, "街道", JurisdictionLevel.Township, place.CountyId);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/admin/jurisdictions", jurisdiction, TrackerApp.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/admin/jurisdictions", jurisdiction with { Name = "另一街道" }, TrackerApp.Json)).StatusCode);
    }

    [Fact]
    public async Task Importing_a_year_replaces_its_days_in_one_go_and_leaves_the_other_years()
    {
        var admin = await app.AdminClient();
        await using (var db = app.Db())
        {
            db.CalendarDays.AddRange(
                new CalendarDay(new DateOnly(2091, 1, 1), CalendarDayKind.Holiday, "旧元旦"),
                new CalendarDay(new DateOnly(2091, 5, 1), CalendarDayKind.Holiday, "旧劳动节"),
                new CalendarDay(new DateOnly(2092, 1, 1), CalendarDayKind.Holiday, "元旦"));
            await db.SaveChangesAsync();
        }

        // 2091-01-06 is a Saturday.
        var response = await admin.PutAsync("/api/admin/calendar/2091", Json("""
            [
              {"day": "2091-01-01", "kind": "Holiday", "name": "元旦"},
              {"day": "2091-01-02", "kind": "Holiday", "name": "元旦"},
              {"day": "2091-01-06", "kind": "Workday", "name": "元旦"}
            ]
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var imported = await app.ReadAsync<CalendarImported>(response);
        Assert.Equal((2, 1, new CalendarYear(2091, 2, 0)), (imported.Holidays, imported.Workdays, imported.Before));
        await using (var db = app.Db())
        {
            var days = await db.CalendarDays.Where(d => d.Day.Year >= 2091 && d.Day.Year <= 2092).OrderBy(d => d.Day).ToListAsync();
            Assert.Equal(["2091-01-01 元旦", "2091-01-02 元旦", "2091-01-06 元旦", "2092-01-01 元旦"], days.Select(d => $"{d.Day:yyyy-MM-dd} {d.Name}"));
            Assert.Equal(CalendarDayKind.Workday, days[2].Kind);
            var entry = await db.AuditLog.SingleAsync(e => e.EntityType == "CalendarYear" && e.EntityId == "2091");
            Assert.Equal("Updated", entry.Action);
        }
        var years = await admin.GetFromJsonAsync<List<CalendarYear>>("/api/admin/calendar", TrackerApp.Json);
        Assert.Contains(new CalendarYear(2091, 2, 1), years!);
        Assert.Contains(new CalendarYear(2092, 1, 0), years!);
    }

    [Fact]
    public async Task A_bad_calendar_file_names_each_bad_line_and_changes_nothing()
    {
        var admin = await app.AdminClient();
        await using (var db = app.Db())
        {
            db.CalendarDays.Add(new CalendarDay(new DateOnly(2093, 1, 1), CalendarDayKind.Holiday, "元旦"));
            await db.SaveChangesAsync();
        }

        // Line 3: another year; line 4: a weekday (a Tuesday) made a working day; line 5: not a kind; line 6: given twice.
        var response = await admin.PutAsync("/api/admin/calendar/2093", Json("""
            [
              {"day": "2093-01-02", "kind": "Holiday", "name": "元旦"},
              {"day": "2094-01-01", "kind": "Holiday", "name": "元旦"},
              {"day": "2093-01-06", "kind": "Workday", "name": "元旦"},
              {"day": "2093-02-01", "kind": "Vacation", "name": "春节"},
              {"day": "2093-01-02", "kind": "Holiday", "name": "元旦"}
            ]
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await app.ReadAsync<ValidationProblemDetails>(response)).Errors;
        Assert.Equal(["line 3", "line 4", "line 5", "line 6"], errors.Keys.Order());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsync("/api/admin/calendar/2093", Json("[]"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsync("/api/admin/calendar/2093", Json("{ not json"))).StatusCode);
        await using (var db = app.Db())
            Assert.Equal([new DateOnly(2093, 1, 1)], await db.CalendarDays.Where(d => d.Day.Year == 2093).Select(d => d.Day).ToListAsync());

        var place = await app.NewPlaceAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.SupervisorOf(place.CityId)).PutAsync("/api/admin/calendar/2093", Json("[]"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.SupervisorOf(place.CityId)).GetAsync("/api/admin/calendar")).StatusCode);
    }
}
