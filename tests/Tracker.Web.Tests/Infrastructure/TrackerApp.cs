using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tracker.Web.Data;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>The service through its real host, on a database of its own, with a fake clock.</summary>
public class TrackerApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>10:00 in Shanghai on 2026-06-15.</summary>
    public static readonly DateTimeOffset Start = new(2026, 6, 15, 2, 0, 0, TimeSpan.Zero);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public FakeTimeProvider Clock { get; } = new(Start);
    public string ConnectionString { get; private set; } = "";

    protected virtual bool Seed => false;

    public async Task InitializeAsync() => ConnectionString = await TestPostgres.CreateDatabaseAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Tracker", ConnectionString);
        builder.UseSetting("Tracker:Seed", Seed ? "true" : "false");
        builder.UseSetting("Tracker:Uploads:MaxFileBytes", (1024 * 1024).ToString());
        builder.UseSetting("Tracker:Uploads:MaxFiles", "3");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>A context on the app's database, for arranging rows and checking what a request left behind.</summary>
    public TrackerDbContext Db() => new(new DbContextOptionsBuilder<TrackerDbContext>()
        .UseNpgsql(ConnectionString).UseSnakeCaseNamingConvention().Options);

    public async Task<T> ReadAsync<T>(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json))!;

    public async Task<int> CountAsync<T>() where T : class
    {
        await using var db = Db();
        return await db.Set<T>().CountAsync();
    }
}

/// <summary>The same, loaded with seed/ at start-up.</summary>
public sealed class SeededTrackerApp : TrackerApp
{
    protected override bool Seed => true;
}
