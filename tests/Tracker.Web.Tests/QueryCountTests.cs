using Tracker.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Tracker.Web.Tests;

/// <summary>
/// Each page and each list endpoint sends a fixed number of SQL commands, however many rows it shows: every case
/// arranges a world with 5 rows in view and counts the commands of one request (<see cref="SqlCommandCounter"/>),
/// grows the world to 50 rows and counts again, and the two counts must be equal. A count that grows is a query per
/// row (N+1); the failure names the statements sent more often. Each case also checks that the answer does show the
/// rows arranged (5, then 50 or a full page), so that an equal count cannot come from an empty answer.
/// </summary>
public sealed class QueryCountTests(QueryCountApp app, ITestOutputHelper output) : IClassFixture<QueryCountApp>
{
    /// <summary>Route (and, where a page has several lists, which one grows) → rows its answer shows once 50 are arranged.</summary>
    private static readonly Dictionary<string, int> ShownAt50 = new()
    {
        // Pages, signed in with the cookie; the page sizes are the pages' own.
        ["/official"] = 20,
        ["/items/{id} reports"] = 10,
        ["/items/{id} inspections"] = 50,
        ["/inbox messages"] = 10,
        ["/inbox notices"] = 10,
        ["/inbox follow-ups"] = 10,
        ["/supervisor"] = 50,
        ["/supervisor/notices"] = 20,
        ["/supervisor/ranking"] = 50,
        ["/supervisor/negative-list departments"] = 20,
        ["/supervisor/negative-list items"] = 50,
        ["/deputy"] = 50,
        ["/public"] = 20,
        ["/supervisor/proposals"] = 20,
        ["/supervisor/proposals candidates"] = 50,
        ["/supervisor/sessions candidates"] = 50,
        ["/supervisor/groups"] = 50,
        ["/supervisor/evaluation"] = 50,
        ["/items/{id}/ledger"] = 50,
        ["/ledger"] = 50,
        ["/supervisor/dispatch"] = 20,
        ["/dispatch/{id} departments"] = 50,
        ["/official dispatch"] = 20,
        ["/programmes/{id}"] = 50,
        ["/items/{id}/history"] = 25,
        ["/supervisor/deliveries"] = 50,
        // The API, with the bearer token; lists that page are asked for a page that holds all 50.
        ["/api/initiatives"] = 50,
        ["/api/board"] = 50,
        ["/api/board/by-department"] = 50,
        ["/api/board/by-jurisdiction"] = 50,
        ["/api/board/ranking"] = 50,
        ["/api/board/negative-list departments"] = 20,
        ["/api/board/negative-list items"] = 50,
        ["/api/notices"] = 50,
        ["/api/inbox"] = 50,
        ["/api/follow-ups"] = 50,
        ["/api/deputies/me"] = 50,
        ["/api/livelihood/rollup"] = 50,
        ["/api/evaluations/summary"] = 50,
        ["/api/initiatives/{id}/reports"] = 50,
        ["/api/initiatives/{id}/inspections"] = 50,
        ["/api/public/initiatives"] = 50,
        ["/api/groups"] = 50,
        ["/api/proposals"] = 50,
        ["/api/candidates"] = 50,
        ["/api/initiatives/{id}/ledger"] = 50,
        ["/api/ledger-rows"] = 50,
        ["/api/dispatch-rounds"] = 50,
        ["/api/dispatch-rounds/{id}"] = 50,
        ["/api/me/dispatch"] = 20,
        ["/api/programmes/{id}"] = 50,
        // The pickers, asked for as many as they list at most, by text and within a jurisdiction.
        ["/api/directory/jurisdictions"] = 50,
        ["/api/directory/departments"] = 50,
        ["/api/public/jurisdictions"] = 50,
        // Administration: the users' list and the directory's tree (a page of 20 jurisdictions with their departments).
        ["/admin/users"] = 50,
        ["/admin/directory"] = 20,
        ["/api/admin/users"] = 50,
    };

    public static TheoryData<string> Routes => [.. ShownAt50.Keys];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Sends_as_many_SQL_commands_with_50_rows_in_view_as_with_5(string route)
    {
        var world = await QueryCountWorld.NewAsync(app);
        var (client, url, grow) = await ArrangeAsync(route, world);

        await grow(0, 5);
        var five = await app.MeasureAsync(client, url, world.Markers(0, 5));
        await grow(5, 50);
        var fifty = await app.MeasureAsync(client, url, world.Markers(0, 50));

        output.WriteLine($"| {route} | {five.Commands} | {fifty.Commands} | {five.Shown} / {fifty.Shown} shown |");
        Assert.True(five.Shown == 5 && fifty.Shown == ShownAt50[route],
            $"{route}: the answer does not show the rows arranged: {five.Shown} of 5, then {fifty.Shown} of 50 (expected {ShownAt50[route]}).");
        Assert.True(five.Commands == fifty.Commands, Explain(route, five, fifty));
    }

    [Fact]
    public async Task The_counter_charges_a_request_with_its_own_commands_only()
    {
        var world = await QueryCountWorld.NewAsync(app);
        var client = await app.ApiClientAsync(await world.OfficialAsync());
        await world.ItemsAsync(0, 5);
        var alone = await app.MeasureAsync(client, "/api/initiatives", world.Markers(0, 5));
        var before = app.Counter.Untallied;

        // Background work (the reminder sweep) and other requests, untallied, at the same time as a tallied one.
        var busy = Task.WhenAll(app.SweepAsync(), client.GetAsync("/api/inbox"), client.GetAsync("/api/initiatives"));
        var during = await app.MeasureAsync(client, "/api/initiatives", world.Markers(0, 5));
        await busy;

        Assert.Equal(alone.Commands, during.Commands);
        Assert.Equal(5, during.Shown);
        Assert.True(app.Counter.Untallied > before, "The sweep's and the untallied requests' commands went through the interceptor too.");
    }

    private async Task<(HttpClient Client, string Url, Func<int, int, Task> Grow)> ArrangeAsync(string route, QueryCountWorld w)
    {
        var place = w.Place;
        switch (route)
        {
            case "/official":
                return (await app.PageClientAsync(await w.OfficialAsync()), "/official", w.ItemsAsync);
            case "/items/{id} reports":
                {
                    var item = await w.OneItemAsync();
                    return (await app.PageClientAsync(await w.OfficialAsync()), $"/items/{item.Id}", (from, to) => w.ReportsAsync(item, from, to));
                }
            case "/items/{id} inspections":
                {
                    var item = await w.OneItemAsync();
                    return (await app.PageClientAsync(await w.OfficialAsync()), $"/items/{item.Id}", (from, to) => w.InspectionsAsync(item, from, to));
                }
            case "/inbox messages":
                {
                    var official = await w.OfficialAsync();
                    return (await app.PageClientAsync(official), "/inbox", (from, to) => w.MessagesAsync(official, from, to));
                }
            case "/inbox notices":
                return (await app.PageClientAsync(await w.OfficialAsync()), "/inbox", w.NoticesAsync);
            case "/inbox follow-ups":
                return (await app.PageClientAsync(await w.OfficialAsync()), "/inbox", w.FollowUpsAsync);
            case "/items/{id}/ledger":
                {
                    var item = await w.OneItemAsync();
                    return (await app.PageClientAsync(await w.OfficialAsync()), $"/items/{item.Id}/ledger", (from, to) => w.LedgerRowsAsync(item, from, to));
                }
            case "/ledger":
                {
                    var item = await w.OneItemAsync();
                    return (await app.PageClientAsync(await w.OfficialAsync()), "/ledger", (from, to) => w.LedgerRowsAsync(item, from, to));
                }
            case "/supervisor":
                return (await app.PageClientAsync(await w.SupervisorAsync()), "/supervisor", w.FlaggedItemsAsync);
            case "/supervisor/notices":
                return (await app.PageClientAsync(await w.SupervisorAsync()), "/supervisor/notices", w.NoticesAsync);
            case "/supervisor/dispatch":
                return (await app.PageClientAsync(await w.SupervisorAsync()), "/supervisor/dispatch", w.RoundsAsync);
            case "/items/{id}/history":
                {
                    var item = await w.OneItemAsync();
                    return (await app.PageClientAsync(await w.OfficialAsync()), $"/items/{item.Id}/history", (from, to) => w.AuditEntriesAsync(item, from, to));
                }
            case "/supervisor/deliveries":
                {
                    var official = await w.OfficialAsync();
                    return (await app.PageClientAsync(await app.NewUserAsync([Features.Access.Roles.Admin])), "/supervisor/deliveries", (from, to) => w.DeliveriesAsync(official, from, to));
                }
            case "/dispatch/{id} departments":
                {
                    var round = await w.RoundAsync();
                    return (await app.PageClientAsync(await w.SupervisorAsync()), $"/dispatch/{round.Id}", (from, to) => w.DispatchedDepartmentsAsync(round, from, to));
                }
            case "/official dispatch":
                return (await app.PageClientAsync(await w.OfficialAsync()), "/official", w.RoundsAsync);
            case "/api/dispatch-rounds":
                return (await app.ApiClientAsync(await w.SupervisorAsync()), $"/api/dispatch-rounds?jurisdictionId={w.Place.CountyId}&pageSize=50", w.RoundsAsync);
            case "/api/dispatch-rounds/{id}":
                {
                    var round = await w.RoundAsync();
                    return (await app.ApiClientAsync(await w.SupervisorAsync()), $"/api/dispatch-rounds/{round.Id}", (from, to) => w.DispatchedDepartmentsAsync(round, from, to));
                }
            case "/programmes/{id}":
                {
                    var programme = await w.ProgrammeAsync();
                    return (await app.PageClientAsync(await w.SupervisorAsync()), $"/programmes/{programme.Id}", (from, to) => w.ProgrammeItemsAsync(programme, from, to));
                }
            case "/api/programmes/{id}":
                {
                    var programme = await w.ProgrammeAsync();
                    return (await app.ApiClientAsync(await w.SupervisorAsync()), $"/api/programmes/{programme.Id}", (from, to) => w.ProgrammeItemsAsync(programme, from, to));
                }
            case "/api/me/dispatch":
                return (await app.ApiClientAsync(await w.OfficialAsync()), "/api/me/dispatch", w.RoundsAsync);
            case "/supervisor/ranking":
                return (await app.PageClientAsync(await w.SupervisorAsync()), "/supervisor/ranking?year=2026", w.DepartmentsAsync);
            case "/supervisor/negative-list departments":
                return (await app.PageClientAsync(await w.SupervisorAsync()), "/supervisor/negative-list", w.DepartmentsAsync);
            case "/supervisor/negative-list items":
                return (await app.PageClientAsync(await w.SupervisorAsync()), "/supervisor/negative-list", w.ItemsAsync);
            case "/deputy":
                {
                    var deputy = await w.DeputyAsync();
                    var supervisor = await app.ApiClientAsync(await w.SupervisorAsync());
                    return (await app.PageClientAsync(deputy), "/deputy?year=2026", (from, to) => w.SupervisedItemsAsync(deputy, supervisor, from, to));
                }
            case "/supervisor/proposals":
                return (await app.PageClientAsync(await w.SupervisorAsync()), "/supervisor/proposals?Year=2026", w.ProposalsAsync);
            case "/supervisor/proposals candidates":
                return (await app.PageClientAsync(await w.SupervisorAsync()), "/supervisor/proposals?Year=2026", w.CandidatesAsync);
            case "/supervisor/sessions candidates":
                return (await app.PageClientAsync(await w.SupervisorAsync()), "/supervisor/sessions?Year=2026", w.CandidatesAsync);
            case "/supervisor/groups":
                {
                    var deputy = await w.DeputyAsync();
                    var item = await w.OneItemAsync();
                    return (await app.PageClientAsync(await w.SupervisorAsync()), "/supervisor/groups?Year=2026", (from, to) => w.GroupsAsync(deputy, item, from, to));
                }
            case "/supervisor/evaluation":
                {
                    var deputy = await w.DeputyAsync();
                    return (await app.PageClientAsync(await w.SupervisorAsync()), "/supervisor/evaluation?Year=2026", (from, to) => w.RatedItemsAsync(deputy, from, to));
                }
            case "/public":
                return (app.CreateClient(), $"/public?jurisdictionId={place.CityId}&year=2026", w.ItemsAsync);

            case "/api/initiatives":
                return (await app.ApiClientAsync(await w.OfficialAsync()), "/api/initiatives?pageSize=100", w.ItemsAsync);
            case "/api/board":
                return (await app.ApiClientAsync(await w.SupervisorAsync()), "/api/board?pageSize=100", w.FlaggedItemsAsync);
            case "/api/board/by-department":
                return (await app.ApiClientAsync(await w.SupervisorAsync()), "/api/board/by-department", w.DepartmentsAsync);
            case "/api/board/by-jurisdiction":
                return (await app.ApiClientAsync(await w.SupervisorAsync()), "/api/board/by-jurisdiction", w.SubJurisdictionsAsync);
            case "/api/board/ranking":
                return (await app.ApiClientAsync(await w.SupervisorAsync()), "/api/board/ranking?year=2026", w.DepartmentsAsync);
            case "/api/board/negative-list departments":
                return (await app.ApiClientAsync(await w.SupervisorAsync()), "/api/board/negative-list", w.DepartmentsAsync);
            case "/api/board/negative-list items":
                return (await app.ApiClientAsync(await w.SupervisorAsync()), "/api/board/negative-list", w.ItemsAsync);
            case "/api/notices":
                return (await app.ApiClientAsync(await w.OfficialAsync()), "/api/notices?pageSize=100", w.NoticesAsync);
            case "/api/inbox":
                {
                    var official = await w.OfficialAsync();
                    return (await app.ApiClientAsync(official), "/api/inbox?pageSize=100", (from, to) => w.MessagesAsync(official, from, to));
                }
            case "/api/follow-ups":
                return (await app.ApiClientAsync(await w.OfficialAsync()), "/api/follow-ups?pageSize=100", w.FollowUpsAsync);
            case "/api/deputies/me":
                {
                    var deputy = await w.DeputyAsync();
                    var supervisor = await app.ApiClientAsync(await w.SupervisorAsync());
                    return (await app.ApiClientAsync(deputy), "/api/deputies/me", (from, to) => w.SupervisedItemsAsync(deputy, supervisor, from, to));
                }
            case "/api/livelihood/rollup":
                return (await app.ApiClientAsync(await w.SupervisorAsync()), $"/api/livelihood/rollup?jurisdictionId={place.CountyId}&year=2026", w.SubJurisdictionsAsync);
            case "/api/evaluations/summary":
                {
                    var deputy = await w.DeputyAsync();
                    return (await app.ApiClientAsync(await w.SupervisorAsync()), $"/api/evaluations/summary?year=2026&jurisdictionId={place.CountyId}",
                        (from, to) => w.RatedItemsAsync(deputy, from, to));
                }
            case "/api/initiatives/{id}/ledger":
                {
                    var item = await w.OneItemAsync();
                    return (await app.ApiClientAsync(await w.OfficialAsync()), $"/api/initiatives/{item.Id}/ledger?pageSize=100", (from, to) => w.LedgerRowsAsync(item, from, to));
                }
            case "/api/ledger-rows":
                {
                    var item = await w.OneItemAsync();
                    return (await app.ApiClientAsync(await w.OfficialAsync()), "/api/ledger-rows?pageSize=100", (from, to) => w.LedgerRowsAsync(item, from, to));
                }
            case "/api/initiatives/{id}/reports":
                {
                    var item = await w.OneItemAsync();
                    return (await app.ApiClientAsync(await w.OfficialAsync()), $"/api/initiatives/{item.Id}/reports?pageSize=100", (from, to) => w.ReportsAsync(item, from, to));
                }
            case "/api/initiatives/{id}/inspections":
                {
                    var item = await w.OneItemAsync();
                    return (await app.ApiClientAsync(await w.OfficialAsync()), $"/api/initiatives/{item.Id}/inspections", (from, to) => w.InspectionsAsync(item, from, to));
                }
            case "/api/public/initiatives":
                return (app.CreateClient(), $"/api/public/initiatives?jurisdictionId={place.CityId}&year=2026&pageSize=100", w.ItemsAsync);
            case "/api/groups":
                {
                    var deputy = await w.DeputyAsync();
                    var item = await w.OneItemAsync();
                    return (await app.ApiClientAsync(await w.SupervisorAsync()), "/api/groups", (from, to) => w.GroupsAsync(deputy, item, from, to));
                }
            case "/api/proposals":
                return (await app.ApiClientAsync(await w.SupervisorAsync()), $"/api/proposals?jurisdictionId={place.CountyId}&pageSize=200", w.ProposalsAsync);
            case "/api/candidates":
                return (await app.ApiClientAsync(await w.SupervisorAsync()), $"/api/candidates?jurisdictionId={place.CountyId}&year=2026", w.CandidatesAsync);
            case "/api/directory/jurisdictions":
                return (await app.ApiClientAsync(await w.SupervisorAsync()), $"/api/directory/jurisdictions?q={w.Tag}&jurisdictionId={place.CountyId}&limit=50", w.SubJurisdictionsAsync);
            case "/api/directory/departments":
                return (await app.ApiClientAsync(await w.SupervisorAsync()), $"/api/directory/departments?q={w.Tag}&jurisdictionId={place.CountyId}&limit=50", w.DepartmentsAsync);
            case "/api/public/jurisdictions":
                return (app.CreateClient(), $"/api/public/jurisdictions?q={w.Tag}&jurisdictionId={place.CityId}&limit=50", w.SubJurisdictionsAsync);
            case "/admin/users":
                return (await app.PageClientAsync(await app.NewUserAsync([Features.Access.Roles.Admin])), $"/admin/users?q={w.Tag}", w.UsersAsync);
            case "/api/admin/users":
                return (await app.ApiClientAsync(await app.NewUserAsync([Features.Access.Roles.Admin])), $"/api/admin/users?q={w.Tag}&pageSize=50", w.UsersAsync);
            case "/admin/directory":
                return (await app.PageClientAsync(await app.NewUserAsync([Features.Access.Roles.Admin])), $"/admin/directory?q={w.Tag}", w.JurisdictionsWithDepartmentsAsync);
            default:
                throw new ArgumentOutOfRangeException(nameof(route), route, "No arrangement for this route.");
        }
    }

    /// <summary>The counts, and the statements sent more often with more rows: the query per row.</summary>
    private static string Explain(string route, Measurement five, Measurement fifty)
    {
        static string Shape(string sql)
        {
            var flat = string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return flat.Length > 160 ? flat[..160] + "…" : flat;
        }
        var atFive = five.Sql.GroupBy(Shape).ToDictionary(g => g.Key, g => g.Count());
        var grown = fifty.Sql.GroupBy(Shape)
            .Select(g => (Sql: g.Key, Five: atFive.GetValueOrDefault(g.Key), Fifty: g.Count()))
            .Where(s => s.Fifty != s.Five)
            .OrderByDescending(s => s.Fifty - s.Five)
            .Take(5);
        return $"{route}: {five.Commands} SQL commands with 5 rows in view, {fifty.Commands} with 50 rows in view ({fifty.Shown} shown). "
            + "Statements sent more often with more rows (times with 5 → times with 50):"
            + string.Concat(grown.Select(s => $"\n  {s.Five} → {s.Fifty}: {s.Sql}"));
    }
}
