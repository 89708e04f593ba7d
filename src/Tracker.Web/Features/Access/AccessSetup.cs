using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Web.Data;
using Tracker.Web.Features.Audit;

namespace Tracker.Web.Features.Access;

public static class AccessSetup
{
    public static void AddTrackerAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddIdentityApiEndpoints<TrackerUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = true;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<TrackerDbContext>()
            .AddClaimsPrincipalFactory<TrackerClaimsFactory>()
            .AddUserManager<TrackerUserManager>()
            .AddSignInManager<TrackerSignInManager>();
        builder.Services.AddScoped<Sessions>();

        // Every bearer token is checked against its session before it is accepted: a token of an ended session is
        // refused (401) even though its signature and expiry are good.
        builder.Services.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, o => o.Events.OnMessageReceived = AcceptOpenSessionsOnly);
        // The cookie likewise, on every request; Identity's security-stamp check then runs as before (every 30 minutes),
        // and the principal it rebuilds keeps the session the cookie was signed in with.
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = context =>
        {
            if (context.CurrentPrincipal is { } current && Sessions.Read(current) is { } session && context.NewPrincipal is { } fresh)
                Sessions.Stamp(fresh, session);
            return Task.CompletedTask;
        });

        // An API answers 401/403 (as problem documents), never a redirect to a login page.
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "tracker.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/error/403";
            o.Events.OnRedirectToLogin = context =>
            {
                if (context.Request.Path.StartsWithSegments("/api"))
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                else
                    context.Response.Redirect(context.RedirectUri);
                return Task.CompletedTask;
            };
            var validateStamp = o.Events.OnValidatePrincipal;
            o.Events.OnValidatePrincipal = async context =>
            {
                var sessions = context.HttpContext.RequestServices.GetRequiredService<Sessions>();
                if (context.Principal is null || !await sessions.IsOpenAsync(context.Principal, context.HttpContext.RequestAborted))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(context.Scheme.Name);
                    return;
                }
                await validateStamp(context);
            };
            // A page the user may not open answers 403 where it is (the status-code page explains); no redirect.
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        // Pages sign in with the cookie only (a bearer token is for API clients), so that an anonymous visit
        // is sent to the login page rather than answered 401 by the default bearer-or-cookie scheme.
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.SignedIn, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser())
            .AddPolicy(Policies.Supervise, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireRole(Roles.Supervisor, Roles.Admin))
            .AddPolicy(Policies.Report, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireRole(Roles.Official))
            .AddPolicy(Policies.Represent, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireRole(Roles.Deputy))
            .AddPolicy(Policies.Administer, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireRole(Roles.Admin));
        builder.Services.AddDataProtection().SetApplicationName("Tracker").PersistKeysToDbContext<TrackerDbContext>();

        builder.Services.AddHttpContextAccessor();
        // Transient and read at use: Identity's cookie validation builds a DbContext (and so its audit
        // actor) before authentication has set the user, so nothing may capture the user that early.
        builder.Services.AddTransient(sp => Viewer.From(sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.User ?? new ClaimsPrincipal()));
        builder.Services.AddScoped<IAuditActor, HttpAuditActor>();
        builder.Services.AddScoped<DemoUsers>();
    }

    /// <summary>
    /// The bearer scheme's one hook runs before the token is read, so it reads the token itself (as the handler would)
    /// and answers for it: accepted while its session is open, refused when the session has ended. A token it cannot
    /// read or that has expired is left to the handler, which refuses it.
    /// </summary>
    private static async Task AcceptOpenSessionsOnly(MessageReceivedContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
            return;
        var ticket = context.Options.BearerTokenProtector.Unprotect(authorization["Bearer ".Length..]);
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (ticket?.Properties.ExpiresUtc is not { } expires || now >= expires)
            return;
        var sessions = context.HttpContext.RequestServices.GetRequiredService<Sessions>();
        if (!await sessions.IsOpenAsync(ticket.Principal, context.HttpContext.RequestAborted))
        {
            context.Fail("The session has ended.");
            return;
        }
        context.Principal = ticket.Principal;
        context.Properties = ticket.Properties;
        context.Success();
    }
}

/// <summary>The signed-in user as the request stands when the write happens; the system outside requests.</summary>
internal sealed class HttpAuditActor(IHttpContextAccessor http) : IAuditActor
{
    private IAuditActor Current => http.HttpContext is { } context ? Viewer.From(context.User) : SystemActor.Instance;
    public string? UserId => Current.UserId;
    public string UserName => Current.UserName;
}

/// <summary>Puts the user's department and jurisdiction (with its path) into the sign-in, so that scoping needs no lookup per request.</summary>
internal sealed class TrackerClaimsFactory(
    UserManager<TrackerUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options, TrackerDbContext db)
    : UserClaimsPrincipalFactory<TrackerUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(TrackerUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(Viewer.DisplayNameClaim, user.DisplayName));
        if (user.DepartmentId is { } department)
            identity.AddClaim(new Claim(Viewer.DepartmentClaim, department.ToString()));
        if (user.JurisdictionId is { } jurisdiction)
        {
            identity.AddClaim(new Claim(Viewer.JurisdictionClaim, jurisdiction.ToString()));
            var path = await db.Jurisdictions.Where(j => j.Id == jurisdiction).Select(j => j.Path).SingleAsync();
            identity.AddClaim(new Claim(Viewer.JurisdictionPathClaim, path));
        }
        return identity;
    }
}
