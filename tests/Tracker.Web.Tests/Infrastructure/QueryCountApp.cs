using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>What one tallied request sent to the database, and how many of the rows arranged for it its answer shows.</summary>
public sealed record Measurement(int Commands, int Shown, IReadOnlyList<string> Sql);

/// <summary>The host with <see cref="SqlCommandCounter"/> on every <see cref="TrackerDbContext"/> it makes.</summary>
public sealed class QueryCountApp : TrackerApp
{
    public SqlCommandCounter Counter { get; } = new();

    protected override void Configure(IWebHostBuilder builder) => builder.ConfigureServices(services =>
    {
        services.AddSingleton(Counter);
        services.AddTransient<IStartupFilter, CountingStartupFilter>();
        // Composes with the service's own AddDbContext (EF Core 9+): its provider and naming options stay, the interceptor is added.
        services.ConfigureDbContext<TrackerDbContext>(o => o.AddInterceptors(Counter));
    });

    /// <summary>A browser signed in with the cookie, as the pages are used; redirects are not followed, so a refusal shows.</summary>
    public async Task<HttpClient> PageClientAsync(TrackerUser user)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login?useCookies=true", new LoginRequest(user.Email, Password), Json)).EnsureSuccessStatusCode();
        return client;
    }

    /// <summary>An API client signed in with this user's bearer token.</summary>
    public async Task<HttpClient> ApiClientAsync(TrackerUser user)
    {
        var login = await LoginAsync(user.Email!, Password);
        login.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>
    /// Sends GET <paramref name="url"/> once untallied (so that one-off work such as loading the data-protection key ring
    /// is not charged to it), then once tallied; counts the commands of the second and which of <paramref name="markers"/> its answer shows.
    /// </summary>
    public async Task<Measurement> MeasureAsync(HttpClient client, string url, IReadOnlyCollection<string> markers)
    {
        await GetOkAsync(client, url, null);
        var tally = Counter.Open();
        var body = await GetOkAsync(client, url, tally.Id);
        await tally.Finished.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(tally.Count > 0, $"GET {url}: the interceptor saw no command; is it registered on the app's DbContext?");
        return new Measurement(tally.Count, markers.Count(body.Contains), tally.Commands);
    }

    private static async Task<string> GetOkAsync(HttpClient client, string url, string? tally)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (tally is not null)
            request.Headers.Add(SqlCommandCounter.Header, tally);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {response.Headers.Location} {body[..Math.Min(body.Length, 500)]}");
        return body;
    }

    /// <summary>Rows inserted straight into the database, many at once.</summary>
    public async Task InsertAsync(IEnumerable<object> rows)
    {
        await using var db = Db();
        db.AddRange(rows);
        await db.SaveChangesAsync();
    }

    public async Task<string> PathOfAsync(int jurisdictionId)
    {
        await using var db = Db();
        return await db.Jurisdictions.Where(j => j.Id == jurisdictionId).Select(j => j.Path).SingleAsync();
    }
}
