using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Admin;
using Tracker.Web.Features.Audit;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Progress;
using Tracker.Web.Features.Public;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

public sealed class AccessTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var user = await app.NewUserAsync([Roles.Deputy], jurisdictionId: (await app.NewPlaceAsync()).CityId);
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await app.LoginAsync(user.Email!, "Wrong-password-1");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("failed", (await app.ReadAsync<ProblemDetails>(wrong)).Extensions["code"]!.ToString());
        }

        var fifth = await app.LoginAsync(user.Email!, "Wrong-password-1");
        var right = await app.LoginAsync(user.Email!, TrackerApp.Password);

        Assert.Equal("locked-out", (await app.ReadAsync<ProblemDetails>(fifth)).Extensions["code"]!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Equal("locked-out", (await app.ReadAsync<ProblemDetails>(right)).Extensions["code"]!.ToString());

        // An admin can lift the lock before it runs out.
        var unlock = await (await app.AdminClient()).PutAsJsonAsync($"/api/admin/users/{user.Id}",
            new UserInput(user.Email, user.DisplayName, null, null, [Roles.Deputy], null, user.JurisdictionId, Locked: false), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.OK, unlock.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.LoginAsync(user.Email!, TrackerApp.Password)).StatusCode);
    }

    [Fact]
    public async Task A_cookie_sign_in_works_for_pages_and_anonymous_api_calls_get_401_not_a_redirect()
    {
        var user = await app.NewUserAsync([Roles.Admin]);
        var client = app.CreateClient();

        var anonymous = await client.GetAsync("/api/auth/me");
        var login = await client.PostAsJsonAsync("/api/auth/login?useCookies=true", new LoginRequest(user.Email, TrackerApp.Password), TrackerApp.Json);
        var me = await client.GetFromJsonAsync<Me>("/api/auth/me", TrackerApp.Json);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(user.Email, me!.Email);
        Assert.Equal([Roles.Admin], me.Roles);
        await using var db = app.Db();
        Assert.True(await db.DataProtectionKeys.AnyAsync());   // the key behind the cookie outlives this process
    }

    [Fact]
    public async Task Lists_searches_and_attachments_are_scoped_to_the_viewers_jurisdiction_and_department()
    {
        var a = await app.NewPlaceAsync();
        var b = await app.NewPlaceAsync();
        var livelihoodA = (await app.CreateAsync(TestData.NewInitiative(a.TownshipId, a.TownshipDepartmentId) with { Title = "共同的标题" })).Detail;
        var projectA = (await app.CreateAsync(TestData.NewInitiative(a.CountyId, a.CountyDepartmentId) with { Kind = InitiativeKind.KeyProject, Title = "共同的标题" })).Detail;
        var livelihoodB = (await app.CreateAsync(TestData.NewInitiative(b.CountyId, b.CountyDepartmentId) with { Title = "共同的标题" })).Detail;
        var photo = await (await app.OfficialOf(b.CountyDepartmentId)).PostAsync($"/api/initiatives/{livelihoodB.Id}/reports", MatrixRequests.ReportWithPhoto());
        var photoB = (await app.ReadAsync<ReportDto>(photo)).Attachments[0];

        async Task<long[]> Sees(HttpClient client) =>
            [.. (await client.GetFromJsonAsync<Paged<InitiativeSummary>>("/api/initiatives?q=共同的标题&pageSize=100", TrackerApp.Json))!.Items.Select(i => i.Id).Order()];

        Assert.Equal([livelihoodA.Id, projectA.Id], await Sees(await app.SupervisorOf(a.CityId)));
        Assert.Equal([livelihoodA.Id], await Sees(await app.SupervisorOf(a.TownshipId)));
        Assert.Equal([livelihoodA.Id], await Sees(await app.DeputyOf(a.CityId)));   // deputies read livelihood items only
        Assert.Equal([projectA.Id], await Sees(await app.OfficialOf(a.CountyDepartmentId)));
        Assert.Equal([livelihoodB.Id], await Sees(await app.SupervisorOf(b.CityId)));

        // Asking by id or by filter for the neighbour's rows reveals nothing either.
        var supervisorA = await app.SupervisorOf(a.CityId);
        Assert.Empty(await supervisorA.GetFromJsonAsync<Paged<InitiativeSummary>>($"/api/initiatives?jurisdictionId={b.CountyId}", TrackerApp.Json) is { } p ? p.Items : []);
        Assert.Equal(HttpStatusCode.NotFound, (await supervisorA.GetAsync($"/api/initiatives/{livelihoodB.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await supervisorA.GetAsync($"/api/initiatives/{livelihoodB.Id}/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await supervisorA.GetAsync(photoB.Url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await app.SupervisorOf(b.CountyId)).GetAsync(photoB.Url)).StatusCode);
    }

    [Fact]
    public async Task The_public_view_shows_published_livelihood_items_without_any_personal_data()
    {
        var place = await app.NewPlaceAsync();
        var item = (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId))).Detail;
        var hidden = (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId))).Detail;
        var official = await app.OfficialOf(place.CountyDepartmentId);
        (await official.PostAsync($"/api/initiatives/{item.Id}/reports", MatrixRequests.ReportWithPhoto())).EnsureSuccessStatusCode();
        var supervisor = await app.SupervisorOf(place.CountyId);
        (await supervisor.PostAsJsonAsync($"/api/initiatives/{item.Id}/publication", new Publication(true), TrackerApp.Json)).EnsureSuccessStatusCode();
        var anonymous = app.CreateClient();

        var response = await anonymous.GetAsync($"/api/public/initiatives/{item.Id}");
        var list = await anonymous.GetFromJsonAsync<Paged<PublicInitiative>>($"/api/public/initiatives?jurisdictionId={place.CityId}", TrackerApp.Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        var shown = JsonSerializer.Deserialize<PublicInitiative>(json, TrackerApp.Json)!;
        Assert.Equal(item.Title, shown.Title);
        Assert.Single(shown.Targets);
        var photo = Assert.Single(shown.Photos);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(photo.Url)).StatusCode);
        Assert.Equal([item.Id], list!.Items.Select(i => i.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/public/initiatives/{hidden.Id}")).StatusCode);

        var listJson = await (await anonymous.GetAsync($"/api/public/initiatives?jurisdictionId={place.CityId}")).Content.ReadAsStringAsync();
        foreach (var personal in new[] { item.LeaderInCharge, item.ResponsiblePerson }
            .SelectMany(c => new[] { c.Name, c.Phone, c.Email }).Append("测试 Official"))
        {
            Assert.DoesNotContain(personal!, json);
            Assert.DoesNotContain(personal!, listJson);
        }
    }

    [Fact]
    public async Task Every_kind_of_write_leaves_an_audit_entry_with_who_and_before_and_after()
    {
        var place = await app.NewPlaceAsync();
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var (item, etag) = await official.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId));
        var edit = TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, item.Code) with
        {
            Title = "改过的标题",
            Targets = [new TargetInput(item.Targets[0].Id, "改造小区", "个", 0, 300, 1)],
            Milestones = [new MilestoneInput(item.Milestones[0].Id, "完成设计", new DateOnly(2026, 4, 1), new DateOnly(2026, 3, 30)), new MilestoneInput(null, "开工", new DateOnly(2026, 7, 1), null)],
        };
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/initiatives/{item.Id}") { Content = JsonContent.Create(edit, options: TrackerApp.Json) };
        put.Headers.TryAddWithoutValidation("If-Match", etag);
        (await official.SendAsync(put)).EnsureSuccessStatusCode();
        (await official.PostAsync($"/api/initiatives/{item.Id}/reports", MatrixRequests.ReportWithPhoto())).EnsureSuccessStatusCode();
        (await official.PostAsJsonAsync($"/api/initiatives/{item.Id}/status", new StatusChange(InitiativeStatus.Suspended), TrackerApp.Json)).EnsureSuccessStatusCode();
        var admin = await app.AdminClient();
        var created = await admin.PostAsJsonAsync("/api/admin/users",
            new UserInput($"audited-{Guid.NewGuid():N}@test.local", "被审计的人", null, TrackerApp.Password, [Roles.Deputy], null, place.CityId, null), TrackerApp.Json);
        var newUser = await app.ReadAsync<UserDto>(created);
        (await admin.PutAsJsonAsync($"/api/admin/users/{newUser.Id}",
            new UserInput(newUser.Email, "被审计的人", null, null, [Roles.Supervisor], null, place.CityId, null), TrackerApp.Json)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/admin/departments", new DepartmentInput($"AUD-{Guid.NewGuid():N}"[..12], "审计局", place.CityId), TrackerApp.Json)).EnsureSuccessStatusCode();

        var trail = (await (await app.SupervisorOf(place.CountyId)).GetFromJsonAsync<Paged<AuditDto>>($"/api/audit?initiativeId={item.Id}&pageSize=200", TrackerApp.Json))!.Items;
        AuditDto One(string type, string action) => Assert.Single(trail, e => e.EntityType == type && e.Action == action);

        Assert.Contains("老旧小区改造", One("Initiative", "Created").After);
        var titleChange = trail.Single(e => e.EntityType == "Initiative" && e.Action == "Updated" && e.Before!.Contains("Title"));
        Assert.Contains("老旧小区改造", titleChange.Before);
        Assert.Contains("改过的标题", titleChange.After);
        Assert.Equal("测试 Official", titleChange.UserName);
        Assert.Contains("228", One("Target", "Updated").Before);
        Assert.Contains("300", One("Target", "Updated").After);
        Assert.Contains(trail, e => e.EntityType == "Milestone" && e.Action == "Created" && e.After!.Contains("开工"));
        Assert.Contains("现场施工照片", One("ProgressReport", "Created").After);
        Assert.Contains("site.png", One("Attachment", "Created").After);
        Assert.Contains(trail, e => e.EntityType == "Initiative" && e.Action == "Updated" && e.After!.Contains("Suspended") && e.Before!.Contains("InProgress"));

        var adminTrail = (await admin.GetFromJsonAsync<Paged<AuditDto>>("/api/audit?pageSize=200", TrackerApp.Json))!.Items;
        Assert.Contains(adminTrail, e => e.EntityType == "User" && e.Action == "Created" && e.EntityId == newUser.Id && e.After!.Contains("被审计的人"));
        Assert.Contains(adminTrail, e => e.EntityType == "UserRole" && e.Action == "Deleted" && e.EntityId.StartsWith(newUser.Id));
        Assert.Contains(adminTrail, e => e.EntityType == "UserRole" && e.Action == "Created" && e.EntityId.StartsWith(newUser.Id));
        Assert.Contains(adminTrail, e => e.EntityType == "Department" && e.Action == "Created" && e.After!.Contains("审计局"));
        Assert.DoesNotContain(adminTrail, e => e.After?.Contains("PasswordHash") == true);
    }

    [Theory]
    [InlineData("UPDATE audit_log SET user_name = 'someone else'")]
    [InlineData("DELETE FROM audit_log")]
    [InlineData("TRUNCATE audit_log")]
    [InlineData("UPDATE progress_reports SET narrative = 'rewritten'")]
    [InlineData("DELETE FROM report_values")]
    public async Task The_database_refuses_to_rewrite_history(string sql)
    {
        var place = await app.NewPlaceAsync();
        var item = (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId))).Detail;
        (await (await app.OfficialOf(place.CountyDepartmentId)).PostAsJsonAsync($"/api/initiatives/{item.Id}/reports",
            new ReportInput(Phase.Started, "进展", null, null, [new ReportValueInput(item.Targets[0].Id, 10)], null), TrackerApp.Json)).EnsureSuccessStatusCode();
        await using var db = app.Db();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync(sql));

        Assert.Contains("append-only", refused.MessageText);
    }

    [Fact]
    public async Task Outside_development_the_service_refuses_to_start_while_a_demo_password_is_set()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<TrackerUser>>();
            var demo = DemoUsers.All.Single(d => d.Role == Roles.Admin);
            var user = new TrackerUser { UserName = demo.Email, Email = demo.Email, DisplayName = demo.DisplayName };
            Assert.True((await users.CreateAsync(user, DemoUsers.Password)).Succeeded);
        }
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["ConnectionStrings:Tracker"] = app.ConnectionString;
        builder.Configuration["Tracker:Seed"] = "false";
        builder.AddTrackerServices();
        builder.AddTrackerDatabase();
        builder.AddTrackerAccess();
        await using var production = builder.Build();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(production.PrepareDatabaseAsync);

        Assert.Contains("admin@demo.tracker", refused.Message);
    }
}
