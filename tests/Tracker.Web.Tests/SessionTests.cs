using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Admin;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>Counts the password hashes the service verifies, so that a test can see a sign-in did the work.</summary>
public sealed class PasswordChecks
{
    private int _count;
    public int Count => Volatile.Read(ref _count);
    public void Add() => Interlocked.Increment(ref _count);
}

internal sealed class CountingPasswordHasher(PasswordChecks checks, IOptions<PasswordHasherOptions> options) : IPasswordHasher<TrackerUser>
{
    private readonly PasswordHasher<TrackerUser> _inner = new(options);

    public string HashPassword(TrackerUser user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(TrackerUser user, string hashedPassword, string providedPassword)
    {
        checks.Add();
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

/// <summary>The service with its password hasher counted.</summary>
public sealed class SessionsApp : TrackerApp
{
    public PasswordChecks PasswordChecks { get; } = new();

    protected override void Configure(IWebHostBuilder builder) => builder.ConfigureTestServices(services =>
        services.AddScoped<IPasswordHasher<TrackerUser>>(sp =>
            new CountingPasswordHasher(PasswordChecks, sp.GetRequiredService<IOptions<PasswordHasherOptions>>())));
}

public sealed partial class SessionTests(SessionsApp app) : IClassFixture<SessionsApp>
{
    private const string NewPassword = "Changed-password-2027!";

    private sealed record Tokens(string AccessToken, string RefreshToken);

    [Fact]
    public async Task Logout_ends_the_access_token_and_the_refresh_token_of_that_session_only()
    {
        var user = await DeputyAsync();
        var signedOut = await SignInAsync(user);
        var other = await SignInAsync(user);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(signedOut.AccessToken));

        var logout = await Bearer(signedOut.AccessToken).PostAsync("/api/auth/logout", null);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(signedOut.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(signedOut.RefreshToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(other.AccessToken));   // the user's other sign-in goes on
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(other.RefreshToken)).StatusCode);
        var ended = Assert.Single(await SessionsOfAsync(user), s => s.EndedAt is not null);   // kept, not deleted
        Assert.Equal((SessionEnd.SignedOut, user.Id), (ended.EndedWhy!.Value, ended.EndedBy));
    }

    [Fact]
    public async Task Logout_with_the_cookie_ends_the_cookie_for_the_api_and_the_pages()
    {
        var user = await DeputyAsync();
        var viaApi = await CookieSignInAsync(user);
        var viaPage = await CookieSignInAsync(user);
        Assert.Equal("200", await PageAsync(viaApi));
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(viaApi).GetAsync("/api/auth/me")).StatusCode);

        // The API's logout is a write, and API writes take a bearer token (decision 11): the cookie alone is refused.
        Assert.Equal(HttpStatusCode.Forbidden, (await WithCookie(viaApi).PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(viaApi).GetAsync("/api/auth/me")).StatusCode);
        // The pages' sign-out button, as a browser posts it (with its anti-forgery token), for both cookies.
        await PageSignOutAsync(viaApi);
        await PageSignOutAsync(viaPage);

        // Both cookies, replayed as they were, are no longer signed in.
        foreach (var cookie in new[] { viaApi, viaPage })
        {
            Assert.StartsWith("→/account/login", await PageAsync(cookie));
            Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(cookie).GetAsync("/api/auth/me")).StatusCode);
        }
        Assert.All(await SessionsOfAsync(user), s => Assert.Equal(SessionEnd.SignedOut, s.EndedWhy));
    }

    [Fact]
    public async Task A_password_change_ends_all_the_users_sessions_and_no_one_elses()
    {
        var (admin, adminClient) = await AdminAsync();
        var user = await DeputyAsync();
        var first = await SignInAsync(user);
        var second = await SignInAsync(user);
        var cookie = await CookieSignInAsync(user);
        var bystander = await SignInAsync(await DeputyAsync());

        var change = await adminClient.PutAsJsonAsync($"/api/admin/users/{user.Id}",
            new UserInput(user.Email, user.DisplayName, null, NewPassword, [Roles.Deputy], null, user.JurisdictionId, null), TrackerApp.Json);

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(first.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(second.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(first.RefreshToken)).StatusCode);
        Assert.StartsWith("→/account/login", await PageAsync(cookie));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(bystander.AccessToken));
        Assert.All(await SessionsOfAsync(user), s => Assert.Equal((SessionEnd.PasswordChanged, admin.Id), (s.EndedWhy!.Value, s.EndedBy)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.LoginAsync(user.Email!, TrackerApp.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync((await SignInAsync(user, NewPassword)).AccessToken));
    }

    [Fact]
    public async Task A_lockout_after_five_failed_sign_ins_ends_the_existing_sessions()
    {
        var user = await DeputyAsync();
        var tokens = await SignInAsync(user);
        var cookie = await CookieSignInAsync(user);

        for (var attempt = 1; attempt <= 4; attempt++)
            await app.LoginAsync(user.Email!, "Wrong-password-1");
        Assert.Equal(HttpStatusCode.OK, await MeAsync(tokens.AccessToken));   // four failures lock nothing
        await app.LoginAsync(user.Email!, "Wrong-password-1");

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(tokens.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(tokens.RefreshToken)).StatusCode);
        Assert.StartsWith("→/account/login", await PageAsync(cookie));
        Assert.All(await SessionsOfAsync(user), s => Assert.Equal((SessionEnd.Locked, (string?)null), (s.EndedWhy!.Value, s.EndedBy)));
    }

    [Fact]
    public async Task An_admin_lock_ends_the_existing_sessions()
    {
        var (admin, adminClient) = await AdminAsync();
        var user = await DeputyAsync();
        var tokens = await SignInAsync(user);

        (await adminClient.PutAsJsonAsync($"/api/admin/users/{user.Id}",
            new UserInput(user.Email, user.DisplayName, null, null, [Roles.Deputy], null, user.JurisdictionId, Locked: true), TrackerApp.Json)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(tokens.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(tokens.RefreshToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.LoginAsync(user.Email!, TrackerApp.Password)).StatusCode);
        var ended = Assert.Single(await SessionsOfAsync(user));
        Assert.Equal((SessionEnd.Locked, admin.Id), (ended.EndedWhy!.Value, ended.EndedBy));
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session_of_the_user_and_no_one_elses()
    {
        var (admin, adminClient) = await AdminAsync();
        var user = await DeputyAsync();
        var first = await SignInAsync(user);
        var second = await SignInAsync(user);
        var cookie = await CookieSignInAsync(user);
        var bystanderUser = await DeputyAsync();
        var bystander = await SignInAsync(bystanderUser);
        var bystanderCookie = await CookieSignInAsync(bystanderUser);

        Assert.Equal(HttpStatusCode.Forbidden, (await Bearer(bystander.AccessToken).PostAsync($"/api/admin/users/{user.Id}/sign-out", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await adminClient.PostAsync($"/api/admin/users/{Guid.NewGuid()}/sign-out", null)).StatusCode);
        var signOut = await adminClient.PostAsync($"/api/admin/users/{user.Id}/sign-out", null);

        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);
        Assert.Equal(3, (await app.ReadAsync<SessionsEnded>(signOut)).Ended);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(first.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(second.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(second.RefreshToken)).StatusCode);
        Assert.StartsWith("→/account/login", await PageAsync(cookie));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(bystander.AccessToken));
        Assert.Equal("200", await PageAsync(bystanderCookie));

        // The admin reads what happened: the rows are kept, with when, why and by whom they ended.
        var listed = (await adminClient.GetFromJsonAsync<Paged<SessionDto>>($"/api/admin/users/{user.Id}/sessions", TrackerApp.Json))!.Items;
        Assert.Equal(3, listed.Count);
        Assert.Equal(2, listed.Count(s => s.Kind == SessionKind.Bearer));
        Assert.All(listed, s => Assert.Equal((SessionEnd.SignedOutEverywhere, admin.Id, app.Clock.GetUtcNow()), (s.EndedWhy!.Value, s.EndedBy, s.EndedAt!.Value)));
        Assert.Equal(0, (await app.ReadAsync<SessionsEnded>(await adminClient.PostAsync($"/api/admin/users/{user.Id}/sign-out", null))).Ended);
    }

    [Fact]
    public async Task A_refresh_hands_out_a_new_refresh_token_and_spends_the_one_presented()
    {
        var user = await DeputyAsync();
        var signedIn = await SignInAsync(user);

        var first = await ReadTokensAsync(await RefreshAsync(signedIn.RefreshToken));
        var second = await ReadTokensAsync(await RefreshAsync(first.RefreshToken));   // the new one works

        Assert.NotEqual(signedIn.RefreshToken, first.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(second.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(signedIn.AccessToken));   // an access token lasts until it expires or its session ends
        var session = Assert.Single(await SessionsOfAsync(user));
        Assert.Equal((2, (DateTimeOffset?)app.Clock.GetUtcNow(), (DateTimeOffset?)null), (session.RefreshGeneration, session.LastRefreshedAt, session.EndedAt));

        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(first.RefreshToken)).StatusCode);   // the old one is spent
    }

    [Fact]
    public async Task A_spent_refresh_token_presented_again_ends_its_whole_session()
    {
        var user = await DeputyAsync();
        var signedIn = await SignInAsync(user);
        var other = await SignInAsync(user);
        var newest = await ReadTokensAsync(await RefreshAsync(signedIn.RefreshToken));

        var replayed = await RefreshAsync(signedIn.RefreshToken);   // as a thief holding the first refresh token would

        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(newest.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(newest.RefreshToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(signedIn.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(other.AccessToken));   // the user's other sign-in is another family
        var sessions = await SessionsOfAsync(user);
        Assert.Equal([SessionEnd.RefreshReused], sessions.Where(s => s.EndedAt is not null).Select(s => s.EndedWhy!.Value));
    }

    [Fact]
    public async Task Sign_in_verifies_a_password_hash_for_an_unknown_email_a_locked_account_and_one_without_a_password()
    {
        var known = await DeputyAsync();
        var locked = await DeputyAsync();
        var passwordless = new TrackerUser { UserName = $"nopassword-{Guid.NewGuid():N}@test.local", DisplayName = "无密码" };
        passwordless.Email = passwordless.UserName;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<TrackerUser>>();
            Assert.True((await users.CreateAsync(passwordless)).Succeeded);
            Assert.True((await users.SetLockoutEndDateAsync((await users.FindByIdAsync(locked.Id))!, DateTimeOffset.MaxValue)).Succeeded);
        }

        async Task<int> HashesFor(string email, string password)
        {
            var before = app.PasswordChecks.Count;
            Assert.Equal(HttpStatusCode.Unauthorized, (await app.LoginAsync(email, password)).StatusCode);
            return app.PasswordChecks.Count - before;
        }

        Assert.Equal(1, await HashesFor(known.Email!, "Wrong-password-1"));
        Assert.Equal(1, await HashesFor($"nobody-{Guid.NewGuid():N}@test.local", "Wrong-password-1"));
        Assert.Equal(1, await HashesFor(locked.Email!, TrackerApp.Password));
        Assert.Equal(1, await HashesFor(passwordless.Email, "Wrong-password-1"));
    }

    [Fact]
    public async Task A_cookie_keeps_its_session_when_identity_renews_it_after_the_security_stamp_check()
    {
        var user = await DeputyAsync();
        var cookie = await CookieSignInAsync(user);
        app.Clock.Advance(TimeSpan.FromHours(1));   // past Identity's 30-minute security-stamp check, which rebuilds the principal

        var page = await WithCookie(cookie).GetAsync("/deputy");
        var renewed = AuthCookie(page);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.NotEqual(cookie, renewed);
        await PageSignOutAsync(renewed);
        Assert.StartsWith("→/account/login", await PageAsync(cookie));   // the renewed cookie named the same session
    }

    /// <summary>Signs out with the pages' sign-out button, as a browser posts it (with its anti-forgery token).</summary>
    private async Task PageSignOutAsync(string cookie)
    {
        var home = await WithCookie(cookie).GetAsync("/deputy");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        var token = AntiforgeryToken().Match(await home.Content.ReadAsStringAsync()).Groups[1].Value;
        var antiforgery = home.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("tracker.af="));
        var signOut = await WithCookie($"{cookie}; {antiforgery}")
            .PostAsync("/account/logout", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/account/login", signOut.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_token_that_names_no_session_is_refused()
    {
        var user = await DeputyAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<TrackerUser>>()
            .CreateAsync((await scope.ServiceProvider.GetRequiredService<UserManager<TrackerUser>>().FindByIdAsync(user.Id))!);
        var bearer = scope.ServiceProvider.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(IdentityConstants.BearerScheme);
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { ExpiresUtc = app.Clock.GetUtcNow().AddHours(1) }, "Identity.Bearer:AccessToken");

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(bearer.BearerTokenProtector.Protect(ticket)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(bearer.RefreshTokenProtector.Protect(ticket))).StatusCode);
    }

    private async Task<TrackerUser> DeputyAsync() =>
        await app.NewUserAsync([Roles.Deputy], jurisdictionId: (await app.NewPlaceAsync()).CityId);

    private async Task<(TrackerUser User, HttpClient Client)> AdminAsync()
    {
        var admin = await app.NewUserAsync([Roles.Admin]);
        return (admin, Bearer((await SignInAsync(admin)).AccessToken));
    }

    private async Task<Tokens> SignInAsync(TrackerUser user, string password = TrackerApp.Password) =>
        await ReadTokensAsync(await app.LoginAsync(user.Email!, password));

    private async Task<Tokens> ReadTokensAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await app.ReadAsync<Tokens>(response);
    }

    private HttpClient Bearer(string accessToken)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    private async Task<HttpStatusCode> MeAsync(string accessToken) => (await Bearer(accessToken).GetAsync("/api/auth/me")).StatusCode;

    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new RefreshRequest(refreshToken), TrackerApp.Json);

    /// <summary>Signs in with the cookie and answers it as a <c>Cookie</c> header would carry it, to be replayed later.</summary>
    private async Task<string> CookieSignInAsync(TrackerUser user)
    {
        var response = await app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false })
            .PostAsJsonAsync("/api/auth/login?useCookies=true", new LoginRequest(user.Email, TrackerApp.Password), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return AuthCookie(response);
    }

    private static string AuthCookie(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Where(c => c.StartsWith("tracker.auth")));

    private HttpClient WithCookie(string cookie)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    /// <summary>The deputy's home with this cookie: "200", or "→" and where it redirects.</summary>
    private async Task<string> PageAsync(string cookie)
    {
        var response = await WithCookie(cookie).GetAsync("/deputy");
        return response.StatusCode == HttpStatusCode.OK ? "200"
            : response.Headers.Location is { } location ? $"→{(location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString)}"
            : ((int)response.StatusCode).ToString();
    }

    private async Task<List<UserSession>> SessionsOfAsync(TrackerUser user)
    {
        await using var db = app.Db();
        return await db.UserSessions.Where(s => s.UserId == user.Id).OrderBy(s => s.CreatedAt).ToListAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
