using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

public sealed class ServiceTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var response = await _client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/initiatives", "/api/initiatives/{id}", "/api/initiatives/{id}/reports", "/api/jurisdictions", "/api/departments" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing");
    }

    [Fact]
    public async Task The_interactive_api_page_answers()
    {
        var response = await _client.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Health_reports_the_database_as_healthy()
    {
        var response = await _client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", document.RootElement.GetProperty("status").GetString());
        Assert.Equal("database", document.RootElement.GetProperty("checks")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_unknown_route_is_a_problem_document()
    {
        var response = await _client.GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_services_sessions_run_without_jit()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Tracker.Web.Data.TrackerDbContext>();

        var jit = await db.Database.SqlQueryRaw<string>("SELECT current_setting('jit') AS \"Value\"").SingleAsync();

        Assert.Equal("off", jit);
        // A setting of the role in the database, not a startup option a connection pooler would refuse.
        Assert.Null(new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Options);
    }
}
