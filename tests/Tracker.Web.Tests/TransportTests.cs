using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure.Web;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>The service behind a reverse proxy at <see cref="Proxy"/>.</summary>
public sealed class ProxiedTrackerApp : TrackerApp
{
    public static readonly IPAddress Proxy = IPAddress.Parse("10.0.0.5");

    protected override void Configure(IWebHostBuilder builder) =>
        builder.UseSetting("Tracker:Proxy:KnownProxies:0", Proxy.ToString());
}

/// <summary>
/// What every response carries (security headers), what a request may claim through a proxy (forwarded headers from
/// the configured proxy only), cookies that are Secure on HTTPS, and API writes that another site cannot make a
/// signed-in browser send.
/// </summary>
public sealed partial class TransportTests(ProxiedTrackerApp app) : IClassFixture<ProxiedTrackerApp>
{
    private static readonly IPAddress Stranger = IPAddress.Parse("203.0.113.9");

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/public")]
    [InlineData("/error/404")]
    [InlineData("/no-such-page")]
    [InlineData("/api/public/initiatives")]
    [InlineData("/api/initiatives")]
    [InlineData("/css/site.css")]
    [InlineData("/health")]
    public async Task Every_response_carries_the_security_headers_and_pages_get_a_policy_without_inline_script_or_style(string path)
    {
        using var response = await app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync(path);

        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'none'", csp);
        // Script from the service's own files only (the pickers'), asking the service only.
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("connect-src 'self';", csp);
        Assert.Contains("style-src 'self';", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe", csp);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS over plain HTTP");
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Pages_carry_no_inline_style_or_script_for_the_policy_to_refuse()
    {
        var client = await CookieClientAsync(Roles.Supervisor, "http://localhost");
        foreach (var path in new[] { "/inbox", "/account/login", "/public", "/supervisor", "/supervisor/notices" })
        {
            var html = await client.GetStringAsync(path);
            Assert.DoesNotMatch(InlineStyleOrScript(), html);
        }
    }

    [Fact]
    public async Task Hsts_is_sent_over_https()
    {
        using var response = await app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://tracker.example") })
            .GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_api_reference_runs_its_own_script_by_nonce_and_nothing_else_inline()
    {
        using var response = await app.CreateClient().GetAsync("/scalar/v1");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Header(response, "Content-Security-Policy");
        var nonce = Assert.Single(ScriptNonce().Matches(csp)).Groups[1].Value;
        Assert.DoesNotContain("'unsafe-inline'", csp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)));
        Assert.Contains("frame-ancestors 'none'", csp);
        // Every script tag of the page carries this response's nonce; the next response has another.
        var tags = ScriptTag().Matches(html);
        Assert.NotEmpty(tags);
        Assert.All(tags, tag => Assert.Contains($"nonce=\"{nonce}\"", WebUtility.HtmlDecode(tag.Value)));
        using var again = await app.CreateClient().GetAsync("/scalar/v1");
        Assert.DoesNotContain(nonce, Header(again, "Content-Security-Policy"));
    }

    [Fact]
    public async Task The_job_dashboard_gets_its_own_policy_with_its_scripts_from_itself()
    {
        var client = await CookieClientAsync(Roles.Supervisor, "http://localhost");

        using var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("'unsafe-inline'", csp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)));
        Assert.Contains("frame-ancestors 'none'", csp);
    }

    [Fact]
    public async Task Forwarded_scheme_and_address_are_taken_from_the_configured_proxy_only()
    {
        Task<HttpContext> Forwarded(IPAddress? from) => app.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = from;
            c.Request.Method = "GET";
            c.Request.Path = "/account/login";
            c.Request.Host = new HostString("tracker.example");
            c.Request.Headers["X-Forwarded-Proto"] = "https";
            c.Request.Headers["X-Forwarded-For"] = "198.51.100.23";
        });

        var viaProxy = await Forwarded(ProxiedTrackerApp.Proxy);
        var viaStranger = await Forwarded(Stranger);
        var unknown = await Forwarded(null);

        Assert.Equal("https", viaProxy.Request.Scheme);
        Assert.Equal(IPAddress.Parse("198.51.100.23"), viaProxy.Connection.RemoteIpAddress);
        Assert.Equal("max-age=31536000", viaProxy.Response.Headers.StrictTransportSecurity.ToString());
        Assert.Contains(viaProxy.Response.Headers.SetCookie, c => c!.StartsWith("tracker.af=", StringComparison.Ordinal) && IsSecure(c));

        Assert.Equal("http", viaStranger.Request.Scheme);
        Assert.Equal(Stranger, viaStranger.Connection.RemoteIpAddress);
        Assert.Equal(0, viaStranger.Response.Headers.StrictTransportSecurity.Count);
        Assert.Contains(viaStranger.Response.Headers.SetCookie, c => c!.StartsWith("tracker.af=", StringComparison.Ordinal) && !IsSecure(c));

        Assert.Equal("http", unknown.Request.Scheme);
        Assert.Null(unknown.Connection.RemoteIpAddress);
    }

    [Fact]
    public async Task A_cookie_sign_in_through_the_proxy_over_https_gets_a_secure_cookie_and_one_over_http_does_not()
    {
        var user = await app.NewUserAsync([Roles.Admin]);
        var body = Encoding.UTF8.GetBytes($$"""{"email":"{{user.Email}}","password":"{{TrackerApp.Password}}"}""");
        async Task<string> SignIn(IPAddress from, string proto)
        {
            var context = await app.Server.SendAsync(c =>
            {
                c.Connection.RemoteIpAddress = from;
                c.Request.Method = "POST";
                c.Request.Path = "/api/auth/login";
                c.Request.QueryString = new QueryString("?useCookies=true");
                c.Request.Host = new HostString("tracker.example");
                c.Request.ContentType = "application/json";
                c.Request.ContentLength = body.Length;
                c.Request.Body = new MemoryStream(body);
                c.Features.Set<IHttpRequestBodyDetectionFeature>(new HasBody());
                c.Request.Headers["X-Forwarded-Proto"] = proto;
            });
            Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
            return context.Response.Headers.SetCookie.Single(c => c!.StartsWith("tracker.auth=", StringComparison.Ordinal))!;
        }

        Assert.True(IsSecure(await SignIn(ProxiedTrackerApp.Proxy, "https")));
        Assert.False(IsSecure(await SignIn(ProxiedTrackerApp.Proxy, "http")));
        Assert.False(IsSecure(await SignIn(Stranger, "https")));   // anyone else's word for it counts for nothing
    }

    [Fact]
    public async Task Over_https_the_sign_in_anti_forgery_and_language_cookies_are_secure()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://tracker.example"), AllowAutoRedirect = false });
        var user = await app.NewUserAsync([Roles.Admin]);

        using var login = await client.PostAsJsonAsync("/api/auth/login?useCookies=true", new LoginRequest(user.Email, TrackerApp.Password), TrackerApp.Json);
        using var page = await client.GetAsync("/public");
        var token = FormToken().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        using var culture = await client.PostAsync("/culture", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["culture"] = "en", ["returnUrl"] = "/public", ["__RequestVerificationToken"] = token }));

        Assert.True(IsSecure(Cookie(login, "tracker.auth")));
        Assert.True(IsSecure(Cookie(page, "tracker.af")));
        Assert.Equal(HttpStatusCode.Redirect, culture.StatusCode);
        Assert.True(IsSecure(Cookie(culture, ".AspNetCore.Culture")));
    }

    [Fact]
    public async Task A_cross_site_post_to_the_api_with_only_the_sign_in_cookie_is_refused_and_changes_nothing()
    {
        var place = await app.NewPlaceAsync();
        var item = (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId))).Detail;
        var official = await app.NewUserAsync([Roles.Official], departmentId: place.CountyDepartmentId);
        var browser = await CookieClientAsync(official, "http://localhost");
        int initiatives, audit, reports;
        await using (var db = app.Db())
            (initiatives, audit, reports) = (await db.Initiatives.CountAsync(), await db.AuditLog.CountAsync(), await db.ProgressReports.CountAsync());

        HttpRequestMessage CrossSite(string path, HttpContent content)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
            request.Headers.Add("Origin", "https://evil.example");
            request.Headers.Referrer = new Uri("https://evil.example/page");
            return request;
        }
        var attempts = new[]
        {
            // What a form on another site can send: no token, no bearer, the browser adds the cookie.
            CrossSite($"/api/initiatives/{item.Id}/status", new FormUrlEncodedContent(new Dictionary<string, string> { ["status"] = "Cancelled" })),
            CrossSite($"/api/initiatives/{item.Id}/status", JsonContent.Create(new StatusChange(InitiativeStatus.Cancelled), options: TrackerApp.Json)),
            CrossSite("/api/initiatives", JsonContent.Create(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "EVIL"), options: TrackerApp.Json)),
            CrossSite($"/api/initiatives/{item.Id}/reports", MatrixRequests.ReportWithPhoto()),
            CrossSite("/api/auth/logout", new StringContent("")),
        };
        foreach (var attempt in attempts)
        {
            using var response = await browser.SendAsync(attempt);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(TransportSetup.BearerRequired, (await app.ReadAsync<ProblemDetails>(response)).Extensions["code"]!.ToString());
        }

        await using (var db = app.Db())
        {
            Assert.Equal(InitiativeStatus.Planned, (await db.Initiatives.SingleAsync(i => i.Id == item.Id)).Status);
            Assert.Equal((initiatives, audit, reports), (await db.Initiatives.CountAsync(), await db.AuditLog.CountAsync(), await db.ProgressReports.CountAsync()));
        }
        // The cookie still reads (pages show photos and downloads through it), and a bearer token still writes.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/api/initiatives/{item.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/auth/me")).StatusCode);
        var api = await app.OfficialOf(place.CountyDepartmentId);
        using var bearer = await api.PostAsJsonAsync($"/api/initiatives/{item.Id}/status", new StatusChange(InitiativeStatus.InProgress), TrackerApp.Json);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
    }

    private async Task<HttpClient> CookieClientAsync(string role, string baseAddress) =>
        await CookieClientAsync(await app.NewUserAsync([role]), baseAddress);

    private async Task<HttpClient> CookieClientAsync(TrackerUser user, string baseAddress)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false, HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login?useCookies=true", new LoginRequest(user.Email, TrackerApp.Password), TrackerApp.Json)).EnsureSuccessStatusCode();
        return client;
    }

    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: no {name} header");

    private static string Cookie(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(name + "=", StringComparison.Ordinal));

    private static bool IsSecure(string setCookie) =>
        setCookie.Split(';').Any(part => part.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"script-src [^;]*'nonce-([^']+)'")]
    private static partial Regex ScriptNonce();

    /// <summary>A script tag without a source file, a style element or attribute, an event handler attribute.</summary>
    [GeneratedRegex(@"<script\b(?![^>]*\ssrc=""/)|<style\b|\sstyle\s*=|\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyleOrScript();

    [GeneratedRegex(@"<script\b[^>]*>")]
    private static partial Regex ScriptTag();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
