using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.WebEncoders;
using Tracker.Web.Features.Access;

namespace Tracker.Web.Infrastructure.Web;

/// <summary>
/// The server-rendered pages: Razor Pages kept beside their feature (root folder <c>Features/</c>),
/// Chinese by default with English chosen by a cookie, anti-forgery on every form.
/// </summary>
public static class PagesSetup
{
    public static readonly CultureInfo[] Cultures = [new("zh-CN"), new("en")];

    public static void AddTrackerPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        builder.Services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Features";
                // Each page states its own policy ([Authorize(Policy = …)] or [AllowAnonymous] on its model); this only
                // adds a signed-in floor under any page that forgot to, never the one guard a page relies on.
                o.Conventions.AuthorizeFolder("/", Policies.SignedIn);
                // One form for a new item and for editing one.
                o.Conventions.AddPageRoute("/Initiatives/ItemForm", "/items/{id:long}/edit");
                // Upload forms take what the API's upload endpoints take: the files and a little more for the fields.
                var limit = (builder.Configuration.GetSection(TrackerOptions.Section).Get<TrackerOptions>()?.Uploads ?? new UploadOptions()).MaxRequestBytes;
                foreach (var page in new[] { "/Progress/Report", "/Livelihood/Inspect" })
                    o.Conventions.AddPageApplicationModelConvention(page, model =>
                    {
                        model.Filters.Add(new UploadLimitFilter(limit));
                        model.Filters.Add(new RequestSizeLimitAttribute(limit));
                        model.Filters.Add(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = limit });
                    });
            })
            .AddViewLocalization()
            .AddMvcOptions(o =>
            {
                o.Filters.Add<PageExceptionFilter>();
                o.Filters.Add<PlainText.PageFilter>();
            });
        // Chinese text as it is, not as &#x…; entities (markup characters are still encoded).
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "tracker.af";
            o.FormFieldName = "__RequestVerificationToken";
        });
        PageLanguage.Install();
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Cultures[0]);
            o.SupportedCultures = o.SupportedUICultures = Cultures;
            // Chinese unless the user chose otherwise: the browser's language is not asked.
            o.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        });
    }

    /// <summary>The API's failures become problem documents (<see cref="ProblemExceptionHandler"/>); a page's, the error page.</summary>
    public static void UseTrackerExceptionHandling(this WebApplication app)
    {
        app.UseWhen(IsApi, b => b.UseExceptionHandler());
        app.UseWhen(c => !IsApi(c), b => b.UseExceptionHandler("/error/500"));
    }

    /// <summary>Pages answer errors with pages; the API keeps its problem documents.</summary>
    public static void UseTrackerPages(this WebApplication app)
    {
        // Pages speak Chinese or English; the API keeps its messages as they are, whatever the request.
        app.UseWhen(c => !IsApi(c), b => b.UseRequestLocalization().UsePageLanguage());
        app.UseWhen(c => !IsApi(c), b => b.UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseWhen(IsApi, b => b.UseStatusCodePages());
        app.UsePlainTextRequests();
        app.UseStaticFiles();
        // Routing after the status-code pages, so that a re-executed /error/{code} finds its page.
        app.UseRouting();
    }

    public static bool IsApi(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hangfire");
}
