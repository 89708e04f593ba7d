using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>
/// The service with <c>ConnectionStrings:Replica</c> set to its own database through a role that may only read (and
/// whose transactions are read-only), under its own application name: what reaches it is seen in
/// <c>pg_stat_activity</c>, and a write sent to it would fail. The cluster test (tests/Tracker.Cluster.Tests) does the
/// same against a real streaming replica.
/// </summary>
public class ReplicaApp : TrackerApp
{
    public const string ReplicaName = "tracker-replica-reads";
    private readonly string _reader = "reader_" + Guid.NewGuid().ToString("N")[..12];

    public string Replica { get; protected set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        // The role's name is made here, not taken from input.
        await using var grant = new NpgsqlCommand($"""
            CREATE ROLE {_reader} LOGIN PASSWORD 'reader-2026';
            GRANT USAGE ON SCHEMA public TO {_reader};
            GRANT SELECT ON ALL TABLES IN SCHEMA public TO {_reader};
            ALTER ROLE {_reader} SET default_transaction_read_only = on;
            """, connection);
        await grant.ExecuteNonQueryAsync();
        Replica = new NpgsqlConnectionStringBuilder(ConnectionString) { Username = _reader, Password = "reader-2026", ApplicationName = ReplicaName }.ConnectionString;
    }

    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("ConnectionStrings:Replica", Replica);

    public async Task<HttpClient> PageClientAsync(string role, int jurisdictionId)
    {
        var user = await NewUserAsync([role], jurisdictionId: jurisdictionId);
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login?useCookies=true", new LoginRequest(user.Email!, Password), Json)).EnsureSuccessStatusCode();
        return client;
    }
}

/// <summary>A replica nobody answers at: the heartbeat fails, and reads stay on the primary.</summary>
public sealed class UnreachableReplicaApp : ReplicaApp
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Replica = new NpgsqlConnectionStringBuilder(Replica) { Port = 1, Timeout = 2 }.ConnectionString;
    }
}

public sealed class ReplicaReadsTests(ReplicaApp app) : IClassFixture<ReplicaApp>
{
    [Fact]
    public async Task The_board_and_the_public_api_read_from_the_replica_and_say_how_old_their_figures_are_while_writes_stay_on_the_primary()
    {
        var place = await app.NewPlaceAsync();
        var supervisor = await app.PageClientAsync(Roles.Supervisor, place.CountyId);
        await app.Services.GetRequiredService<ReplicaReads>().FirstMeasure.WaitAsync(TimeSpan.FromSeconds(30));
        var before = await ReplicaSessionsAsync();

        var board = await supervisor.GetAsync("/supervisor");
        var publicList = await app.CreateClient().GetAsync("/api/public/initiatives");
        var login = await app.CreateClient().GetAsync("/account/login");
        // A write through the API: the replica's role could not have made it.
        var official = await app.OfficialOf(place.CountyDepartmentId);
        var created = await official.PostAsJsonAsync("/api/initiatives", TestData.NewInitiative(place.CountyId, place.CountyDepartmentId), TrackerApp.Json);
        var after = await ReplicaSessionsAsync();

        Assert.Equal(HttpStatusCode.OK, board.StatusCode);
        Assert.Contains("只读副本", await board.Content.ReadAsStringAsync());
        Assert.True(publicList.Headers.Contains(ReplicaReads.AsOfHeader), $"{(int)publicList.StatusCode} {publicList.Headers} {await publicList.Content.ReadAsStringAsync()}");
        Assert.DoesNotContain("只读副本", await login.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(0, before);
        Assert.True(after > 0, "no session of the replica's connection string was opened");
    }

    private async Task<long> ReplicaSessionsAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @name", connection);
        count.Parameters.AddWithValue("name", ReplicaApp.ReplicaName);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}

public sealed class UnreachableReplicaTests(UnreachableReplicaApp app) : IClassFixture<UnreachableReplicaApp>
{
    [Fact]
    public async Task With_the_replica_unreachable_pages_read_from_the_primary_and_claim_no_age()
    {
        var place = await app.NewPlaceAsync();
        var supervisor = await app.PageClientAsync(Roles.Supervisor, place.CountyId);
        await app.Services.GetRequiredService<ReplicaReads>().FirstMeasure.WaitAsync(TimeSpan.FromSeconds(30));

        var board = await supervisor.GetAsync("/supervisor");
        var publicList = await app.CreateClient().GetAsync("/api/public/initiatives");

        Assert.Equal(HttpStatusCode.OK, board.StatusCode);
        Assert.DoesNotContain("只读副本", await board.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, publicList.StatusCode);
        Assert.False(publicList.Headers.Contains(ReplicaReads.AsOfHeader));
        Assert.Null(app.Services.GetRequiredService<ReplicaReads>().Fresh);
    }
}
