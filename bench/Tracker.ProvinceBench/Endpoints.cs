using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tracker.ProvinceBench;

/// <summary>One measured request: who sends it, how it is made, and the raw query file (raw/NAME.sql) it is compared with.</summary>
public sealed record Endpoint(string Label, string Raw, bool IsPost, Func<HttpRequestMessage> Request);

/// <summary>The signed-in demo users and the ids the requests point at.</summary>
public sealed record Session(
    string SupervisorToken, string OfficialToken, string AdminToken,
    string SupervisorCookie, string OfficialCookie, string DeputyCookie, string AdminCookie,
    long ItemId, int CountyId, int CityId, IReadOnlyList<(long Id, string Phase)> Reportable);

public static class Endpoints
{
    private const string SearchWord = "雨污分流";

    private static readonly string Narrative = string.Concat(Enumerable.Repeat("本期完成主体工程量的阶段任务，现场施工按计划推进。", 8))[..200];

    public static IReadOnlyList<Endpoint> All(Session s)
    {
        HttpRequestMessage Get(string path, string? token = null, string? cookie = null)
        {
            var message = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null)
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (cookie is not null)
                message.Headers.Add("Cookie", cookie);
            return message;
        }
        HttpRequestMessage Post()
        {
            // A report on one of the official's active items, drawn at random so that concurrent posts seldom wait on one row's lock.
            (long id, string phase) = s.Reportable[Random.Shared.Next(s.Reportable.Count)];
            var body = JsonSerializer.Serialize(new { phase, narrative = Narrative, problems = (string?)null, nextSteps = "按计划推进。" });
            var message = new HttpRequestMessage(HttpMethod.Post, $"/api/initiatives/{id}/reports")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", s.OfficialToken);
            return message;
        }

        return
        [
            new("GET /api/initiatives?pageSize=50 (supervisor)", "initiatives-list", false, () => Get("/api/initiatives?pageSize=50", s.SupervisorToken)),
            new($"GET /api/initiatives?q={SearchWord}", "initiatives-search", false, () => Get($"/api/initiatives?q={Uri.EscapeDataString(SearchWord)}&pageSize=50", s.SupervisorToken)),
            new("GET /api/board?pageSize=50 (city)", "board", false, () => Get("/api/board?pageSize=50", s.SupervisorToken)),
            new("GET /api/board?jurisdictionId={county}", "board-county", false, () => Get($"/api/board?jurisdictionId={s.CountyId}&pageSize=50", s.SupervisorToken)),
            new("GET /api/board/ranking", "board-ranking", false, () => Get("/api/board/ranking", s.SupervisorToken)),
            new("GET /api/board/by-department", "board-by-department", false, () => Get("/api/board/by-department", s.SupervisorToken)),
            new("GET /api/board/negative-list", "board-negative-list", false, () => Get("/api/board/negative-list", s.SupervisorToken)),
            new("GET /api/initiatives/{id}", "initiative", false, () => Get($"/api/initiatives/{s.ItemId}", s.SupervisorToken)),
            new("page /official (official)", "page-official", false, () => Get("/official", cookie: s.OfficialCookie)),
            new("page /supervisor (supervisor)", "page-supervisor", false, () => Get("/supervisor", cookie: s.SupervisorCookie)),
            new("page /supervisor (admin)", "page-supervisor-admin", false, () => Get("/supervisor", cookie: s.AdminCookie)),
            new("page /items/{id} (official)", "page-item", false, () => Get($"/items/{s.ItemId}", cookie: s.OfficialCookie)),
            new("page /deputy (deputy)", "page-deputy", false, () => Get("/deputy", cookie: s.DeputyCookie)),
            new("page /inbox (official)", "page-inbox", false, () => Get("/inbox", cookie: s.OfficialCookie)),
            new("page /public (anonymous)", "page-public", false, () => Get($"/public?jurisdictionId={s.CityId}")),
            new("POST /api/initiatives/{id}/reports", "post-report", true, Post),
        ];
    }
}
