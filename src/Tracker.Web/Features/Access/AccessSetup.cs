using System.Security.Claims;
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
            .AddClaimsPrincipalFactory<TrackerClaimsFactory>();

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
            .AddPolicy(Policies.Represent, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireRole(Roles.Deputy));
        builder.Services.AddDataProtection().SetApplicationName("Tracker").PersistKeysToDbContext<TrackerDbContext>();

        builder.Services.AddHttpContextAccessor();
        // Transient and read at use: Identity's cookie validation builds a DbContext (and so its audit
        // actor) before authentication has set the user, so nothing may capture the user that early.
        builder.Services.AddTransient(sp => Viewer.From(sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.User ?? new ClaimsPrincipal()));
        builder.Services.AddScoped<IAuditActor, HttpAuditActor>();
        builder.Services.AddScoped<DemoUsers>();
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
