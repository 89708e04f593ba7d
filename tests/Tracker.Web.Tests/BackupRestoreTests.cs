using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>The service on a database restored from a dump: it answers as the original did.</summary>
public sealed class RestoredTrackerApp(string connectionString) : TrackerApp
{
    public override Task InitializeAsync()
    {
        ConnectionString = connectionString;
        return Task.CompletedTask;
    }
}

/// <summary>
/// <c>Tracker.Web backup &lt;file&gt;</c> and <c>restore &lt;file&gt;</c>, run as the operator runs them, from the service's own settings.
/// </summary>
[Trait("Category", "EmbeddedDatabase")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]   // as LocalPostgres
public sealed class BackupRestoreTests(TrackerApp app) : IClassFixture<TrackerApp>, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"tracker-tests-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
    private string Dump => _directory + ".dump";

    [Fact]
    public async Task A_dump_restored_into_a_fresh_embedded_cluster_serves_the_same_items_and_files()
    {
        var place = await app.NewPlaceAsync();
        var first = (await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "BK-1"))).Detail;
        await app.CreateAsync(TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "BK-2"));
        var report = await (await app.OfficialOf(place.CountyDepartmentId)).PostAsync($"/api/initiatives/{first.Id}/reports", MatrixRequests.ReportWithPhoto());
        var photo = (await app.ReadAsync<ReportDto>(report.EnsureSuccessStatusCode())).Attachments[0];
        var admin = await app.AdminClient();
        var items = await admin.GetFromJsonAsync<Paged<InitiativeSummary>>("/api/initiatives?pageSize=100", TrackerApp.Json);
        var bytes = await admin.GetByteArrayAsync($"/api/attachments/{photo.Id}");

        // One command backs up the database the settings name.
        var backup = await ServiceProcess.RunAsync(["backup", Dump], new Dictionary<string, string> { ["ConnectionStrings__Tracker"] = app.ConnectionString });
        Assert.True(backup.ExitCode == 0, backup.Output);
        Assert.Equal("PGDMP"u8.ToArray(), (await File.ReadAllBytesAsync(Dump))[..5]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Dump));

        // A restore over a database in use is refused and changes nothing.
        await using (var held = new NpgsqlConnection(app.ConnectionString))
        {
            await held.OpenAsync();
            var refused = await ServiceProcess.RunAsync(["restore", Dump], new Dictionary<string, string> { ["ConnectionStrings__Tracker"] = app.ConnectionString });
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("stop the service", refused.Output);
        }

        // One command restores it; here into the embedded database of a new folder, which it makes, fills and stops.
        var embedded = new Dictionary<string, string> { ["ConnectionStrings__Tracker"] = "", ["Tracker__LocalDataDirectory"] = _directory };
        var restore = await ServiceProcess.RunAsync(["restore", Dump], embedded);
        Assert.True(restore.ExitCode == 0, restore.Output);
        Assert.False(File.Exists(Path.Combine(_directory, "postmaster.pid")), "the restore left its PostgreSQL running");

        await using var server = await LocalPostgres.StartAsync(_directory, TrackerDatabase.EmbeddedDatabaseName, ephemeral: true, NullLogger.Instance);
        // A backup while a service runs on that cluster uses its server and leaves it running.
        var live = await ServiceProcess.RunAsync(["backup", Dump], embedded);
        Assert.True(live.ExitCode == 0, live.Output);
        Assert.Contains("Using the PostgreSQL that a running service started", live.Output);

        await using var restored = new RestoredTrackerApp(server.ConnectionString);
        await restored.InitializeAsync();
        var restoredAdmin = await restored.AdminClient();
        var restoredItems = await restoredAdmin.GetFromJsonAsync<Paged<InitiativeSummary>>("/api/initiatives?pageSize=100", TrackerApp.Json);
        Assert.Equal(
            items!.Items.Select(i => (i.Id, i.Code, i.Title, i.Status, i.Health.Colour)),
            restoredItems!.Items.Select(i => (i.Id, i.Code, i.Title, i.Status, i.Health.Colour)));
        Assert.Equal(2, restoredItems.Items.Count);
        Assert.Equal(bytes, await restoredAdmin.GetByteArrayAsync($"/api/attachments/{photo.Id}"));
    }

    public void Dispose()
    {
        File.Delete(Dump);
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }
}
