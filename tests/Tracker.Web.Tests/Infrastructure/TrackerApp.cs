using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Reminders;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>The service through its real host, on a database of its own, with a fake clock.</summary>
public class TrackerApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>10:00 in Shanghai on 2026-06-15.</summary>
    public static readonly DateTimeOffset Start = new(2026, 6, 15, 2, 0, 0, TimeSpan.Zero);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public FakeTimeProvider Clock { get; } = new(Start);
    public string ConnectionString { get; protected set; } = "";

    protected virtual bool Seed => false;

    /// <summary>Run a Hangfire server in this host (only the job tests need one).</summary>
    protected virtual bool JobServer => false;

    /// <summary>Further settings a fixture needs before the host starts.</summary>
    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    public virtual async Task InitializeAsync() => ConnectionString = await TestPostgres.CreateDatabaseAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Tracker", ConnectionString);
        builder.UseSetting("Tracker:Seed", Seed ? "true" : "false");
        builder.UseSetting("Tracker:Uploads:MaxFileBytes", (1024 * 1024).ToString());
        builder.UseSetting("Tracker:Uploads:MaxFiles", "3");
        builder.UseSetting("Tracker:Reminders:Server", JobServer ? "true" : "false");
        builder.UseSetting("Tracker:Livelihood:PublicProposalsPerMinute", "1000");
        builder.UseSetting("Tracker:Reminders:SchedulePollingSeconds", "1");
        builder.UseSetting("Tracker:Reminders:RetryDelaysSeconds:0", "1");
        builder.UseSetting("Tracker:Reminders:RetryDelaysSeconds:1", "1");
        Configure(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            // Tests move the fake clock forward by days; the tokens they signed in with must outlive that.
            services.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromDays(3650));
        });
    }

    /// <summary>Runs the reminder sweep now, as the daily job would, in a scope of this host.</summary>
    /// <summary>Moves the clock on to 08:00 in Shanghai (00:00 UTC) of the day, if it is not past it, and runs the sweep.</summary>
    public async Task<SweepResult> SweepOnAsync(DateOnly day)
    {
        var at = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (at > Clock.GetUtcNow())
            Clock.SetUtcNow(at);
        return await SweepAsync();
    }

    public async Task<SweepResult> SweepAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReminderSweep>().RunAsync(CancellationToken.None);
    }

    /// <summary>A context on the app's database, for arranging rows and checking what a request left behind.</summary>
    /// <remarks>Items it saves carry their health of the day, as the service's own saves do.</remarks>
    public TrackerDbContext Db() => new(new DbContextOptionsBuilder<TrackerDbContext>()
        .UseNpgsql(ConnectionString).UseSnakeCaseNamingConvention().Options,
        null, Clock, Services.GetRequiredService<OfficeClock>(), Services.GetRequiredService<HealthPolicy>());

    public const string Password = "Test-password-2026";

    private readonly ConcurrentDictionary<string, Task<string>> _tokens = new();

    /// <summary>A client signed in (bearer token) as a new user with these roles and this department or jurisdiction.</summary>
    public async Task<HttpClient> ClientAsync(string role, int? departmentId = null, int? jurisdictionId = null)
    {
        var token = await _tokens.GetOrAdd($"{role}/{departmentId}/{jurisdictionId}", _ => SignInNewUserAsync([role], departmentId, jurisdictionId));
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public Task<HttpClient> OfficialOf(int departmentId) => ClientAsync(Roles.Official, departmentId: departmentId);
    public Task<HttpClient> SupervisorOf(int jurisdictionId) => ClientAsync(Roles.Supervisor, jurisdictionId: jurisdictionId);
    public Task<HttpClient> DeputyOf(int jurisdictionId) => ClientAsync(Roles.Deputy, jurisdictionId: jurisdictionId);
    public Task<HttpClient> AdminClient() => ClientAsync(Roles.Admin);

    public async Task<TrackerUser> NewUserAsync(string[] roles, int? departmentId = null, int? jurisdictionId = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TrackerUser>>();
        var email = $"{string.Join("-", roles).ToLowerInvariant()}-{Guid.NewGuid():N}@test.local";
        var user = new TrackerUser { UserName = email, Email = email, DisplayName = $"测试 {roles[0]}", DepartmentId = departmentId, JurisdictionId = jurisdictionId };
        var created = await users.CreateAsync(user, Password);
        if (!created.Succeeded || !(await users.AddToRolesAsync(user, roles)).Succeeded)
            throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        return user;
    }

    public async Task<HttpResponseMessage> LoginAsync(string email, string password) =>
        await CreateClient().PostAsJsonAsync("/api/auth/login", new LoginRequest(email, password), Json);

    private async Task<string> SignInNewUserAsync(string[] roles, int? departmentId, int? jurisdictionId)
    {
        var user = await NewUserAsync(roles, departmentId, jurisdictionId);
        var response = await LoginAsync(user.Email!, Password);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("accessToken").GetString()!;
    }

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
