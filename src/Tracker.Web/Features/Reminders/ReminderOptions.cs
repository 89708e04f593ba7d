using System.ComponentModel.DataAnnotations;
using Tracker.Domain;

namespace Tracker.Web.Features.Reminders;

public sealed class ReminderOptions
{
    public const string Section = "Tracker:Reminders";

    /// <summary>Run a Hangfire server in this process (the sweep and the deliveries).</summary>
    public bool Server { get; set; } = true;

    /// <summary>The daily sweep's hour in the office's time zone.</summary>
    [Range(0, 23)]
    public int SweepHour { get; set; } = 8;

    /// <summary>Count deadlines and reminder days in working days (holiday calendar) instead of calendar days.</summary>
    public bool CountWorkingDays { get; set; }

    /// <summary>Days before the deadline to remind, 0 being the deadline day; empty means 7, 3, 1 and 0. (Configuration adds to a
    /// non-empty default array instead of replacing it, so defaults live in code.)</summary>
    public int[] DueSoonDays { get; set; } = [];

    [Range(1, 365)]
    public int Level2AfterOverdueDays { get; set; } = 7;

    [Range(1, 365)]
    public int Level3AfterOverdueDays { get; set; } = 15;

    [Range(1, 52)]
    public int Level3AfterRedLaggingWeeks { get; set; } = 4;

    [Range(1, 60)]
    public int NoticeAnswerDays { get; set; } = 5;

    /// <summary>A change request left undecided this many days (working days when counted) reminds the supervisors.</summary>
    [Range(1, 60)]
    public int ChangeDecisionDays { get; set; } = 3;

    /// <summary>How often a failed delivery is retried, and after how long each time (then it waits in the dashboard).</summary>
    [Range(0, 50)]
    public int RetryAttempts { get; set; } = 10;

    /// <summary>Empty means 30 s, 1 min, 5 min, 10 min, 30 min, then hourly.</summary>
    public int[] RetryDelaysSeconds { get; set; } = [];

    public int[] RetryDelays => RetryDelaysSeconds.Length > 0 ? RetryDelaysSeconds : [30, 60, 300, 600, 1800, 3600];

    /// <summary>How often the server looks for retries that are due (Hangfire's default is 15 s).</summary>
    [Range(1, 300)]
    public int SchedulePollingSeconds { get; set; } = 15;

    /// <summary>
    /// How long a job fetched by a server that then died stays invisible before another server runs it. Hangfire renews the
    /// lease of a running job every fifth of this, so a long sweep is never taken for dead; a shorter value only hastens
    /// the pick-up after a crash (the local cluster sets 15 s so its test can kill an instance mid-sweep).
    /// </summary>
    [Range(5, 3600)]
    public int JobInvisibilitySeconds { get; set; } = 300;

    public SmtpOptions Smtp { get; set; } = new();
    public WebhookOptions Webhook { get; set; } = new();

    /// <summary>The channels a message goes out by besides the inbox: those configured.</summary>
    public string[] Channels() =>
        [.. new[] { (Smtp.Enabled, DeliveryChannel.Email), (Webhook.Enabled, DeliveryChannel.Webhook) }.Where(c => c.Item1).Select(c => c.Item2.ToString())];

    public EscalationPolicy Policy() => new()
    {
        DueSoonDays = DueSoonDays.Length > 0 ? DueSoonDays : [7, 3, 1, 0],
        Level2AfterOverdueDays = Level2AfterOverdueDays,
        Level3AfterOverdueDays = Level3AfterOverdueDays,
        Level3AfterRedLaggingWeeks = Level3AfterRedLaggingWeeks,
        NoticeAnswerDays = NoticeAnswerDays,
    };
}

/// <summary>Email by SMTP; off while <see cref="Host"/> is empty.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public bool StartTls { get; set; }
    public string? User { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "tracker@localhost";
    public string FromName { get; set; } = "督查督办系统";
    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>A JSON POST per digest (e.g. a work-group robot), signed with HMAC-SHA256; off while <see cref="Url"/> is empty.</summary>
public sealed class WebhookOptions
{
    public string? Url { get; set; }
    public string? Secret { get; set; }
    public bool Enabled => !string.IsNullOrWhiteSpace(Url);
}
