using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Livelihood;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>
/// The API matrix's <see cref="AccessWorld"/> (county A with a lead and a co-operating department, county B,
/// a published livelihood item of A) seen through the pages: one person per role signed in with the cookie,
/// as a browser is, plus what the deputy's pages need — a voting session of county A and a deputy group of
/// city A, with the deputy in it, supervising the item.
/// </summary>
public sealed class PageWorld : IAsyncLifetime
{
    private readonly Dictionary<string, HttpClient> _clients = [];

    public AccessWorld World { get; } = new();
    public long ItemId => World.ItemId;
    public long SessionId { get; private set; }
    public long LedgerRowId { get; private set; }
    public long BulletinId { get; private set; }
    public long DispatchRoundId { get; private set; }
    public int ProgrammeId { get; private set; }

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)World).InitializeAsync();
        LedgerRowId = await World.NewLedgerRowAsync();
        var (a, b) = (World.A, World.B);
        var people = new Dictionary<string, (string? Role, int? Department, int? Jurisdiction)>
        {
            ["anonymous"] = (null, null, null),
            ["lead"] = (Roles.Official, a.CountyDepartmentId, null),
            ["coop"] = (Roles.Official, World.CoopDepartmentId, null),
            ["neighbour"] = (Roles.Official, b.CountyDepartmentId, null),
            ["deputy"] = (Roles.Deputy, null, a.CityId),
            ["supervisor"] = (Roles.Supervisor, null, a.CountyId),
            ["otherSupervisor"] = (Roles.Supervisor, null, b.CountyId),
            ["admin"] = (Roles.Admin, null, null),
        };
        string? deputyId = null;
        foreach (var (who, (role, department, jurisdiction)) in people)
        {
            var client = World.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            if (role is not null)
            {
                var user = await World.NewUserAsync([role], department, jurisdiction);
                if (who == "deputy")
                    deputyId = user.Id;
                var login = await client.PostAsJsonAsync("/api/auth/login?useCookies=true", new LoginRequest(user.Email, TrackerApp.Password), TrackerApp.Json);
                login.EnsureSuccessStatusCode();
                if (!login.Headers.TryGetValues("Set-Cookie", out var cookies) || !cookies.Any(c => c.StartsWith("tracker.auth=", StringComparison.Ordinal)))
                    throw new InvalidOperationException($"Signing in {who} with useCookies=true set no tracker.auth cookie.");
            }
            _clients[who] = client;
        }

        var supervisor = await World.Client("supervisor");
        var now = World.Clock.GetUtcNow();
        var session = await supervisor.PostAsJsonAsync("/api/sessions",
            new SessionInput(a.CountyId, 2026, "人代会", now, now.AddHours(1), 1, null, null, [World.CandidateId]), TrackerApp.Json);
        SessionId = (await World.ReadAsync<SessionDto>(session.EnsureSuccessStatusCode())).Id;
        var bulletin = await supervisor.PostAsJsonAsync("/api/bulletins", new Features.Bulletins.SpecialBulletinInput(a.CountyId, "专项通报", "正文"), TrackerApp.Json);
        BulletinId = (await World.ReadAsync<Features.Bulletins.BulletinDetail>(bulletin.EnsureSuccessStatusCode())).Id;
        (await supervisor.PostAsJsonAsync($"/api/bulletins/{BulletinId}/publication", new Features.Bulletins.PublicationInput(true, null), TrackerApp.Json)).EnsureSuccessStatusCode();
        var round = await supervisor.PostAsJsonAsync("/api/dispatch-rounds",
            new Features.Dispatch.DispatchInput(a.CountyId, "周调度", "本周进展", null, null, false, null, now.AddDays(4), true), TrackerApp.Json);
        DispatchRoundId = (await World.ReadAsync<Features.Dispatch.DispatchDetail>(round.EnsureSuccessStatusCode())).Id;
        var programme = await supervisor.PostAsJsonAsync("/api/programmes", new Features.Programmes.ProgrammeInput(a.CountyId, 2026, "ZDXM", "重点项目", null, null), TrackerApp.Json);
        ProgrammeId = (await World.ReadAsync<Features.Programmes.ProgrammeDetail>(programme.EnsureSuccessStatusCode())).Id;
        (await supervisor.PutAsJsonAsync($"/api/programmes/{ProgrammeId}/items", new Features.Programmes.ProgrammeItemsInput([World.ItemId], null), TrackerApp.Json))
            .EnsureSuccessStatusCode();

        // Inspections are recorded by a group supervising the item; the group is the city's, as the deputy is.
        var admin = await World.Client("admin");
        (await admin.PostAsJsonAsync("/api/groups", new GroupInput(a.CityId, "视察组", [deputyId!], [World.ItemId]), TrackerApp.Json))
            .EnsureSuccessStatusCode();
    }

    /// <summary>A client that keeps the person's cookie and does not follow redirects.</summary>
    public HttpClient Client(string who) => _clients[who];

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
            client.Dispose();
        await World.DisposeAsync();
    }
}
