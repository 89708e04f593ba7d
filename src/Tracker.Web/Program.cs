using NetEscapades.AspNetCore.SecurityHeaders;
using Scalar.AspNetCore;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Admin;
using Tracker.Web.Features.Audit;
using Tracker.Web.Features.Bulletins;
using Tracker.Web.Features.Directory;
using Tracker.Web.Features.Dispatch;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Ledgers;
using Tracker.Web.Features.Lists;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Features.Plans;
using Tracker.Web.Features.Programmes;
using Tracker.Web.Features.Progress;
using Tracker.Web.Features.Public;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Features.Supervision;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

// `backup <file>`, `restore <file>`: the database of these settings, and nothing else (see README, Operations).
if (DatabaseCommands.IsCommand(args))
{
    Environment.ExitCode = await DatabaseCommands.RunAsync(args);
    return;
}

// `migrate`: migrate and (with Tracker:Seed) seed the configured database, install the job tables and the first
// data-protection key, and exit — the one
// migrator of several instances that start with Tracker:Migrate=false (decision 0019).
var migrateOnly = DatabaseCommands.IsMigrate(args);
var builder = WebApplication.CreateBuilder(migrateOnly ? args[1..] : args);
if (migrateOnly)
    builder.Configuration.AddInMemoryCollection(DatabaseCommands.MigrateSettings);
builder.AddTrackerServices();
builder.AddTrackerDatabase();
builder.AddTrackerAccess();
builder.AddTrackerJobs();
builder.AddLivelihood();
builder.AddTrackerPages();
builder.AddTrackerTransport();

var app = builder.Build();
try
{
    await app.PrepareDatabaseAsync();
}
catch (Exception e)
{
    // Fail at once with what to install or set (or stop when asked to), and stop an embedded database that did start.
    if (e is OperationCanceledException && app.Lifetime.ApplicationStopping.IsCancellationRequested)
        app.Logger.LogInformation("Stopped while preparing the database.");
    else
    {
        app.Logger.LogCritical(e, "The service cannot start: {Reason}", e.Message);
        Environment.ExitCode = 1;
    }
    await app.DisposeAsync();
    return;
}
if (migrateOnly)
{
    DatabaseCommands.PrepareShared(app);
    await app.DisposeAsync();
    return;
}

app.UseTrackerTransport();
app.UseTrackerExceptionHandling();
app.UseTrackerPages();
app.UseAuthentication();
app.UseBearerForApiWrites();
app.UseAuthorization();
app.UsePublicSendLimit();
app.MapTrackerDashboard();
app.ScheduleTrackerJobs();

app.MapOpenApi();
app.MapScalarApiReference((o, context) => o.WithNonce(context.GetNonce()).DisableDefaultFonts());
app.MapTrackerHealthChecks();
app.MapRazorPages();
app.MapInitiativesApi();
app.MapProgressApi();
app.MapDirectoryApi();
app.MapAuthApi();
app.MapAdminApi();
app.MapAuditApi();
app.MapPublicApi();
app.MapRemindersApi();
app.MapProposalsApi();
app.MapVotingApi();
app.MapGroupsApi();
app.MapInspectionsApi();
app.MapEvaluationApi();
app.MapDeputyHomeApi();
app.MapSupervisionApi();
app.MapPlansApi();
app.MapLedgersApi();
app.MapBulletinsApi();
app.MapDispatchApi();
app.MapProgrammesApi();
app.MapSavedFiltersApi();

await app.RunAsync();

public partial class Program;
