using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Reminders;

public static class JobsSetup
{
    public const string SweepJobId = "reminder-sweep";

    private static readonly Lock RetryGate = new();
    private static bool _retrySet;

    public static void AddTrackerJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReminderOptions>().BindConfiguration(ReminderOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.DueSoonDays.All(d => d >= 0), "Tracker:Reminders:DueSoonDays must be zero (the deadline day) or more.")
            .Validate(o => o.Level2AfterOverdueDays < o.Level3AfterOverdueDays, "Level 2 must come before level 3.")
            .ValidateOnStart();
        builder.Services.AddScoped<ReminderSweep>();
        builder.Services.AddScoped<OfficeDays>();
        builder.Services.AddScoped<DeliveryJob>();
        builder.Services.AddOptions<Bulletins.BulletinOptions>().BindConfiguration(Bulletins.BulletinOptions.Section);
        builder.Services.AddScoped<Bulletins.BulletinRunner>();
        builder.Services.AddScoped<Bulletins.DeliverBulletin>();
        builder.Services.AddScoped<Bulletins.RobotJob>();
        builder.Services.AddScoped<Dispatch.DispatchOpening>();
        builder.Services.AddScoped<Dispatch.DispatchClock>();
        builder.Services.AddScoped<Data.YearPartitions>();
        builder.Services.AddHttpClient(DeliveryJob.WebhookClient, c => c.Timeout = TimeSpan.FromSeconds(15));

        // Hangfire's storage comes from DI, not from its static JobStorage.Current, so that two hosts in
        // one process (tests) each talk to their own database. Resolved only once the database is up.
        builder.Services.AddSingleton<JobStorage>(sp =>
        {
            var storage = Storage(sp.GetRequiredService<IOptions<ReminderOptions>>().Value);
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(sp.GetRequiredService<TrackerDatabase>().ConnectionString, storage, null), storage);
        });
        builder.Services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogBridge(sp.GetRequiredService<ILoggerFactory>())));

        var reminders = builder.Configuration.GetSection(ReminderOptions.Section).Get<ReminderOptions>() ?? new ReminderOptions();
        // Hangfire keeps its retry filter in a process-wide list; replace the default with ours once (a
        // delivery that keeps failing then waits in the dashboard's Failed list, never deleted). Once,
        // because a second host in the same process (tests) must not leave the list briefly without it.
        lock (RetryGate)
        {
            if (!_retrySet)
            {
                GlobalJobFilters.Filters.Remove(typeof(AutomaticRetryAttribute));
                GlobalJobFilters.Filters.Add(new AutomaticRetryAttribute
                {
                    Attempts = reminders.RetryAttempts,
                    DelaysInSeconds = reminders.RetryDelays,
                    OnAttemptsExceeded = AttemptsExceededAction.Fail,
                });
                _retrySet = true;
            }
        }
        if (reminders.Server)
            builder.Services.AddHangfireServer((sp, server) =>
            {
                // Jobs are built in this host's container, never through Hangfire's process-wide activator.
                server.Activator = new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>());
                server.SchedulePollingInterval = TimeSpan.FromSeconds(reminders.SchedulePollingSeconds);
                server.WorkerCount = Math.Max(2, Environment.ProcessorCount * 2);
            });
    }

    private static PostgreSqlStorageOptions Storage(ReminderOptions reminders) => new()
    {
        SchemaName = "hangfire",
        PrepareSchemaIfNecessary = true,
        // The fetched job's lease is renewed while it runs, so a long sweep is not handed to a second worker; a job whose
        // server died is run by another once its lease has lapsed.
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = TimeSpan.FromSeconds(reminders.JobInvisibilitySeconds),
        QueuePollInterval = TimeSpan.FromSeconds(1),
    };

    /// <summary>Registers the daily sweep in the office's time zone (Hangfire would otherwise use UTC).</summary>
    public static void ScheduleTrackerJobs(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ReminderOptions>>().Value;
        var zone = app.Services.GetRequiredService<OfficeClock>().Zone;
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<ReminderSweep>(
            SweepJobId,
            sweep => sweep.RunAsync(CancellationToken.None),
            Cron.Daily(options.SweepHour),
            new RecurringJobOptions
            {
                TimeZone = zone,
                // Relaxed: a server that was down at sweep time sweeps once when it is back, not once per
                // missed day (each sweep covers "today", so one catch-up run is all that is useful), and
                // not never (Ignorable would skip a day's reminders).
                MisfireHandling = MisfireHandlingMode.Relaxed,
            });
        // The bulletins, one recurring job per kind; each issues once per jurisdiction and period, so a catch-up run
        // after a server was down issues what is missing and nothing twice.
        var bulletins = app.Services.GetRequiredService<IOptions<Bulletins.BulletinOptions>>().Value;
        foreach (var (kind, cron) in new[] { (BulletinKind.Daily, bulletins.DailyCron), (BulletinKind.Weekly, bulletins.WeeklyCron), (BulletinKind.Monthly, bulletins.MonthlyCron) })
            app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<Bulletins.BulletinRunner>(
                $"bulletins-{kind.ToString().ToLowerInvariant()}",
                runner => runner.RunAsync(kind, CancellationToken.None),
                cron,
                new RecurringJobOptions { TimeZone = zone, MisfireHandling = MisfireHandlingMode.Relaxed });
        // The dispatch rounds' clock: each run does what is due by now, so a missed run is made up by the next.
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<Dispatch.DispatchClock>(
            Dispatch.DispatchClock.JobId,
            clock => clock.RunAsync(CancellationToken.None),
            bulletins.DispatchCron,
            new RecurringJobOptions { TimeZone = zone, MisfireHandling = MisfireHandlingMode.Relaxed });
        // The public send limit's finished windows; a missed run leaves a few more rows for the next.
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<Livelihood.PublicSendLimit>(
            "public-send-windows-purge", limit => limit.PurgeAsync(CancellationToken.None), Cron.Hourly());
        // Next year's partitions of the history tables, a year ahead; daily so that a failed or missed run is made up
        // long before the year turns, at an hour when nothing holds the tables for long.
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<Data.YearPartitions>(
            Data.YearPartitions.JobId,
            partitions => partitions.RunAsync(CancellationToken.None),
            Cron.Daily(3),
            new RecurringJobOptions { TimeZone = zone, MisfireHandling = MisfireHandlingMode.Relaxed });
    }

    public static void MapTrackerDashboard(this WebApplication app)
    {
        // The dashboard's commands and its stats read a form and throw on anything else: refuse those requests here
        // (405 for the stats read any other way than the dashboard's POST, 415 for a POST without a form).
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/hangfire"), b => b.Use(async (context, next) =>
        {
            var request = context.Request;
            if (request.Path.StartsWithSegments("/hangfire/stats") && !HttpMethods.IsPost(request.Method))
            {
                context.Response.Headers.Allow = HttpMethods.Post;
                await Results.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: "The job statistics are read with a POST of the dashboard's form.").ExecuteAsync(context);
                return;
            }
            if (HttpMethods.IsPost(request.Method) && !request.HasFormContentType)
            {
                await Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The job dashboard takes its commands as a form.").ExecuteAsync(context);
                return;
            }
            await next(context);
        }));
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new RoleDashboardFilter()],
            DashboardTitle = "Tracker jobs",
            AppPath = "/",
        }, app.Services.GetRequiredService<JobStorage>());
    }

    /// <summary>Supervisors and admins only, signed in with the cookie.</summary>
    private sealed class RoleDashboardFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var user = context.GetHttpContext().User;
            return user.IsInRole(Roles.Supervisor) || user.IsInRole(Roles.Admin);
        }
    }
}
