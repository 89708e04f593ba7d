using System.Net;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>
/// Every page route × every person of <see cref="AccessMatrixTests"/>, signed in with the cookie as a browser is:
/// what a GET answers. A guard taken off a page turns a 403, 404 or sign-in redirect of this table into a 200.
/// </summary>
public sealed class PageAccessMatrixTests(PageWorld world) : IClassFixture<PageWorld>
{
    /// <summary>The page's own content.</summary>
    private const string Ok = "200";

    /// <summary>302 to the sign-in page, which brings the person back to the page afterwards.</summary>
    private const string Login = "login";

    private const string Forbidden = "403";
    private const string NotFound = "404";

    public static readonly string[] People = MatrixRequests.People;

    /// <summary>
    /// Page route (as in its <c>@page</c>) → the answer each person gets, in the order of <see cref="People"/>:
    /// <see cref="Ok"/>, <see cref="Login"/>, <see cref="Forbidden"/>, <see cref="NotFound"/>, or "→/path" for another redirect.
    /// Item pages are asked about the world's item (a livelihood item of county A, published), the ballot about a session of county A.
    /// </summary>
    public static readonly Dictionary<string, string[]> Expected = new()
    {
        // anonymous, lead, coop, neighbour, deputy, supervisor, otherSupervisor, admin
        ["/"] = ["→/public", "→/official", "→/official", "→/official", "→/deputy", "→/supervisor", "→/supervisor", "→/supervisor"],
        ["/account/login"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ["/account/logout"] = ["→/", "→/", "→/", "→/", "→/", "→/", "→/", "→/"],
        ["/culture"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ["/error/{code:int}"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ["/public"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ["/public/items/{id:long}"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ["/public/propose"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ["/public/receipt"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ["/official"] = [Login, Ok, Ok, Ok, Forbidden, Forbidden, Forbidden, Forbidden],
        ["/items/{id:long}"] = [Login, Ok, Ok, NotFound, Ok, Ok, NotFound, Ok],
        // An officials' page: anyone else is refused whatever the item, before it is looked up.
        ["/items/{id:long}/report"] = [Login, Ok, Ok, NotFound, Forbidden, Forbidden, Forbidden, Forbidden],
        // The lead department's form: a co-operating department may report but not ask to move the plan.
        ["/items/{id:long}/change"] = [Login, Ok, Forbidden, NotFound, Forbidden, Forbidden, Forbidden, Forbidden],
        // Any official imports their own department's items, or creates one.
        ["/items/import"] = [Login, Ok, Ok, Ok, Forbidden, Forbidden, Forbidden, Forbidden],
        ["/items/new"] = [Login, Ok, Ok, Ok, Forbidden, Forbidden, Forbidden, Forbidden],
        // The lead department's form: a co-operating department reads the item but does not edit it.
        ["/items/{id:long}/edit"] = [Login, Ok, Forbidden, NotFound, Forbidden, Forbidden, Forbidden, Forbidden],
        ["/inbox"] = [Login, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ["/items/{id:long}/ledger"] = [Login, Ok, Ok, NotFound, Ok, Ok, NotFound, Ok],
        // The ledger is imported by the lead department and the supervisors; others who read the item are refused.
        ["/items/{id:long}/ledger/import"] = [Login, Ok, Forbidden, NotFound, Forbidden, Ok, NotFound, Ok],
        ["/ledger"] = [Login, Ok, Ok, Ok, Forbidden, Ok, Ok, Ok],
        ["/ledger/{rowId:long}"] = [Login, Ok, Ok, NotFound, Ok, Ok, NotFound, Ok],
        ["/supervisor"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok, Ok],
        ["/supervisor/notices"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok, Ok],
        ["/supervisor/changes"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok, Ok],
        ["/supervisor/notices/new"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, NotFound, Ok],
        // A published bulletin's ranking and negative list: anyone.
        ["/public/bulletins/{id:long}"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ["/supervisor/bulletins"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok, Ok],
        // A bulletin of county A: its supervisors and admins; to another county's supervisor it does not exist.
        ["/bulletins/{id:long}"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, NotFound, Ok],
        ["/supervisor/dispatch"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok, Ok],
        // A dispatch round of county A: its supervisors and admins; to another county's supervisor it does not exist.
        ["/dispatch/{id:long}"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, NotFound, Ok],
        // A programme of county A: anyone signed in, its figures over what each may read.
        ["/programmes/{id:int}"] = [Login, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        // A jurisdiction's dashboard: its supervisors' (each sees their own when none is named) and admins'.
        ["/supervisor/dashboard"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok, Ok],
        ["/supervisor/ranking"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok, Ok],
        ["/supervisor/negative-list"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok, Ok],
        // Congress staff's livelihood pages: supervisors (each of their own jurisdiction when none is named) and admins.
        ["/supervisor/proposals"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok, Ok],
        ["/supervisor/sessions"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok, Ok],
        // A session of county A: its supervisors and admins; to another county's supervisor it does not exist.
        ["/supervisor/sessions/{id:long}"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, NotFound, Ok],
        ["/supervisor/groups"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok, Ok],
        ["/supervisor/evaluation"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok, Ok],
        ["/deputy"] = [Login, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Forbidden, Forbidden],
        ["/deputy/sessions/{id:long}"] = [Login, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Forbidden, Forbidden],
        ["/deputy/items/{id:long}/inspect"] = [Login, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Forbidden, Forbidden],
        ["/deputy/items/{id:long}/evaluate"] = [Login, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Forbidden, Forbidden],
        // Administration: admins only, supervisors included out.
        ["/admin/users"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["/admin/users/new"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["/admin/users/{id:guid}"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["/admin/directory"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["/admin/calendar"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        // A reset link's page: anyone (the link is the authority); without a good link it only says so.
        ["/account/reset"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        // An item's history: whoever reads the item, as the item itself.
        ["/items/{id:long}/history"] = [Login, Ok, Ok, NotFound, Ok, Ok, NotFound, Ok],
        ["/supervisor/deliveries"] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
    };

    public static TheoryData<string> Routes() => [.. Expected.Keys];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Each_page_answers_each_person_as_expected(string route)
    {
        var url = Url(route);
        var mismatches = new List<string>();
        for (var i = 0; i < People.Length; i++)
        {
            using var response = await world.Client(People[i]).GetAsync(url);
            var actual = Describe(response, url);
            if (actual != Expected[route][i])
                mismatches.Add($"GET {url} as {People[i]}: expected {Expected[route][i]}, got {actual}");
        }
        Assert.True(mismatches.Count == 0,
            $"{mismatches.Count} of {People.Length} people got an unexpected answer:{Environment.NewLine}{string.Join(Environment.NewLine, mismatches)}");
    }

    [Fact]
    public void Every_page_of_the_app_is_in_the_matrix_and_every_route_of_the_matrix_is_a_page()
    {
        var pages = world.World.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText?.Trim('/'))
            .ToHashSet();

        var missing = pages.Except(Expected.Keys).Order().ToList();
        var stale = Expected.Keys.Except(pages).Order().ToList();
        Assert.True(missing.Count == 0 && stale.Count == 0,
            (missing.Count == 0 ? "" : $"Pages missing from {nameof(PageAccessMatrixTests)}.{nameof(Expected)} (add a row per page): {string.Join(", ", missing)}. ")
            + (stale.Count == 0 ? "" : $"Rows of {nameof(Expected)} that are no page of the app: {string.Join(", ", stale)}."));
    }

    [Fact]
    public void Every_page_states_its_own_policy_rather_than_relying_on_its_folder()
    {
        var unstated = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(Microsoft.AspNetCore.Mvc.RazorPages.PageModel).IsAssignableFrom(t) && !t.IsAbstract)
            .Where(t => !t.IsDefined(typeof(Microsoft.AspNetCore.Authorization.AuthorizeAttribute), inherit: true)
                && !t.IsDefined(typeof(Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute), inherit: true))
            .Select(t => t.FullName).Order().ToList();
        Assert.True(unstated.Count == 0, $"Pages without [Authorize(Policy = …)] or [AllowAnonymous]: {string.Join(", ", unstated)}");
    }

    /// <summary>The URL asked for a route: its item, session or notice form filled in with the world's.</summary>
    private string Url(string route) => route switch
    {
        "/error/{code:int}" => "/error/404",
        "/deputy/sessions/{id:long}" => $"/deputy/sessions/{world.SessionId}",
        "/supervisor/sessions/{id:long}" => $"/supervisor/sessions/{world.SessionId}",
        "/supervisor/notices/new" => $"/supervisor/notices/new?initiativeId={world.ItemId}",
        "/ledger/{rowId:long}" => $"/ledger/{world.LedgerRowId}",
        "/bulletins/{id:long}" => $"/bulletins/{world.BulletinId}",
        "/public/bulletins/{id:long}" => $"/public/bulletins/{world.BulletinId}",
        "/dispatch/{id:long}" => $"/dispatch/{world.DispatchRoundId}",
        "/programmes/{id:int}" => $"/programmes/{world.ProgrammeId}",
        "/admin/users/{id:guid}" => $"/admin/users/{world.World.SomeUserId}",
        _ when route.Contains("{id:long}", StringComparison.Ordinal) => route.Replace("{id:long}", world.ItemId.ToString(), StringComparison.Ordinal),
        _ when route.Contains('{') => throw new ArgumentOutOfRangeException(nameof(route), $"Say in {nameof(Url)} what to fill into {route}."),
        _ => route,
    };

    /// <summary>The answer in the matrix's words; a sign-in redirect counts only when it brings the person back here.</summary>
    private static string Describe(HttpResponseMessage response, string url)
    {
        var status = (int)response.StatusCode;
        if (status is < 300 or >= 400)
            return status.ToString();
        var location = response.Headers.Location;
        if (location is null)
            return $"{status} without a Location";
        var target = location.IsAbsoluteUri ? location : new Uri(new Uri("http://localhost"), location);
        if (response.StatusCode == HttpStatusCode.Redirect && target.AbsolutePath == "/account/login")
        {
            var back = System.Web.HttpUtility.ParseQueryString(target.Query)["ReturnUrl"];
            return back == url ? Login : $"login with ReturnUrl={back}";
        }
        return response.StatusCode == HttpStatusCode.Redirect ? $"→{target.PathAndQuery}" : $"{status} →{target.PathAndQuery}";
    }
}
