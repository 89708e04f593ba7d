using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Tracker.Web.Infrastructure.Web;

/// <summary>Which reverse proxies may say what the client's address and scheme were (<c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c>).</summary>
public sealed class ProxyOptions
{
    public const string Section = "Tracker:Proxy";

    /// <summary>Addresses of trusted proxies, e.g. <c>127.0.0.1</c> or the proxy container's fixed address.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

/// <summary>
/// What every response carries and what every request may claim about itself: security headers (a strict Content
/// Security Policy for the pages, relaxed ones for the API reference and the job dashboard), forwarded headers from
/// configured proxies only, cookies that are <c>Secure</c> whenever the request is HTTPS, and API writes that a
/// browser cannot be tricked into sending (bearer tokens only, never the sign-in cookie).
/// See docs/decisions/0011-transport-and-embedded-database.md.
/// </summary>
public static class TransportSetup
{
    public const string ScalarPolicy = "scalar";
    public const string DashboardPolicy = "hangfire";

    /// <summary>The problem code of an API write that came with the sign-in cookie instead of a bearer token.</summary>
    public const string BearerRequired = "bearer-required";

    private static readonly string[] ForwardedHeaderNames = ["X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Prefix"];

    public static void AddTrackerTransport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section)
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "Tracker:Proxy:KnownProxies must be IP addresses (e.g. 172.28.0.10).")
            .Validate(o => o.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "Tracker:Proxy:KnownNetworks must be networks in CIDR notation (e.g. 10.0.0.0/24).")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((o, proxy) =>
        {
            // The proxy's own host header is passed on as it is; only the client's address and the scheme are forwarded.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults trust loopback; here nothing is trusted that is not configured.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var address in proxy.Value.KnownProxies)
                o.KnownProxies.Add(IPAddress.Parse(address));
            foreach (var network in proxy.Value.KnownNetworks)
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });

        // Every cookie (sign-in, anti-forgery, language, Identity's others) is Secure on an HTTPS request, including
        // one that came through a trusted proxy as HTTPS; the two named ones are also set so on their own options,
        // never lowering a stricter policy set elsewhere.
        builder.Services.Configure<CookiePolicyOptions>(o => o.Secure = CookieSecurePolicy.SameAsRequest);
        builder.Services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o => AtLeastSameAsRequest(o.Cookie));
        builder.Services.PostConfigure<AntiforgeryOptions>(o => AtLeastSameAsRequest(o.Cookie));

        // Which server answers is nobody's business (the header is Kestrel's own, added after the policies ran).
        builder.Services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);
        builder.Services.AddSecurityHeaderPolicies()
            .SetDefaultPolicy(p => p.AddDefaultSecurityHeaders()
                .AddReferrerPolicySameOrigin()
                // The pages: server-rendered, one stylesheet, photos and SVG from the service itself; script only from the
                // service's own files (the pickers' wwwroot/js/picker.js, which asks the directory API), never inline.
                .AddContentSecurityPolicy(csp =>
                {
                    csp.AddDefaultSrc().None();
                    csp.AddScriptSrc().Self();
                    csp.AddStyleSrc().Self();
                    csp.AddImgSrc().Self();
                    csp.AddConnectSrc().Self();
                    csp.AddFormAction().Self();
                    csp.AddBaseUri().None();
                    csp.AddObjectSrc().None();
                    csp.AddFrameAncestors().None();
                }))
            // The API reference (Scalar): its bundle and its one inline start-up script (by nonce), the styles it injects
            // at run time, and requests to this service only (no fonts or proxy from Scalar's CDN).
            .AddPolicy(ScalarPolicy, p => p.AddDefaultSecurityHeaders()
                .AddReferrerPolicySameOrigin()
                .AddContentSecurityPolicy(csp =>
                {
                    csp.AddDefaultSrc().None();
                    csp.AddScriptSrc().Self().WithNonce();
                    csp.AddStyleSrc().Self().UnsafeInline();
                    csp.AddImgSrc().Self().Data().Blob();
                    csp.AddFontSrc().Self().Data();
                    csp.AddConnectSrc().Self();
                    csp.AddWorkerSrc().Self().Blob();
                    csp.AddFormAction().Self();
                    csp.AddBaseUri().None();
                    csp.AddObjectSrc().None();
                    csp.AddFrameAncestors().None();
                }))
            // Hangfire's dashboard: its own scripts and styles from /hangfire, which set styles inline and poll the server.
            .AddPolicy(DashboardPolicy, p => p.AddDefaultSecurityHeaders()
                .AddReferrerPolicySameOrigin()
                .AddContentSecurityPolicy(csp =>
                {
                    csp.AddDefaultSrc().None();
                    csp.AddScriptSrc().Self();
                    csp.AddStyleSrc().Self().UnsafeInline();
                    csp.AddImgSrc().Self().Data();
                    csp.AddFontSrc().Self();
                    csp.AddConnectSrc().Self();
                    csp.AddFormAction().Self();
                    csp.AddBaseUri().None();
                    csp.AddObjectSrc().None();
                    csp.AddFrameAncestors().None();
                }))
            // By the whole path: the dashboard runs in a branch (app.Map), where Path is relative to its PathBase.
            .SetPolicySelector(context => context.HttpContext.Request.PathBase.Add(context.HttpContext.Request.Path) switch
            {
                var path when path.StartsWithSegments("/scalar") => context.ConfiguredPolicies[ScalarPolicy],
                var path when path.StartsWithSegments("/hangfire") => context.ConfiguredPolicies[DashboardPolicy],
                _ => context.SelectedPolicy,
            });
    }

    /// <summary>First in the pipeline: the forwarded headers of trusted proxies, then the security headers and the cookie policy.</summary>
    public static void UseTrackerTransport(this WebApplication app)
    {
        var forwarded = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        // ForwardedHeadersMiddleware trusts everyone when no proxy is configured, and a connection without a remote
        // address (a Unix socket, the test server) whatever is configured: so anything not from a known proxy loses
        // its forwarded headers here, before that middleware sees them.
        app.Use((context, next) =>
        {
            if (!IsTrustedProxy(context.Connection.RemoteIpAddress, forwarded))
                foreach (var header in ForwardedHeaderNames)
                    context.Request.Headers.Remove(header);
            return next(context);
        });
        if (forwarded.KnownProxies.Count > 0 || forwarded.KnownIPNetworks.Count > 0)
            app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseCookiePolicy();
    }

    /// <summary>
    /// After authentication: a write to the API (POST, PUT, PATCH, DELETE under /api) that is authenticated by the
    /// sign-in cookie rather than a bearer token is refused, so that no other site can make a signed-in browser write.
    /// Sign-in and token renewal carry their own credentials and act as nobody yet, so they are not affected.
    /// </summary>
    public static void UseBearerForApiWrites(this WebApplication app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api") && !IsSafe(request.Method)
            && !request.Path.StartsWithSegments("/api/auth/login") && !request.Path.StartsWithSegments("/api/auth/refresh")
            && !(await context.AuthenticateAsync(IdentityConstants.BearerScheme)).Succeeded
            && (await context.AuthenticateAsync(IdentityConstants.ApplicationScheme)).Succeeded)
        {
            await TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Writes to the API take a bearer token (POST /api/auth/login); the sign-in cookie is for the web pages.",
                extensions: new Dictionary<string, object?> { ["code"] = BearerRequired }).ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    private static bool IsTrustedProxy(IPAddress? remote, ForwardedHeadersOptions options)
    {
        if (remote is null)
            return false;
        if (remote.IsIPv4MappedToIPv6)
            remote = remote.MapToIPv4();
        return options.KnownProxies.Any(p => (p.IsIPv4MappedToIPv6 ? p.MapToIPv4() : p).Equals(remote))
            || options.KnownIPNetworks.Any(n => n.Contains(remote));
    }

    private static void AtLeastSameAsRequest(CookieBuilder cookie)
    {
        if (cookie.SecurePolicy == CookieSecurePolicy.None)
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
    }
}
