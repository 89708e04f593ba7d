namespace Tracker.Web.Features.Bulletins;

/// <summary>When the recurring bulletins are issued (cron, the office's time zone), for the jurisdictions that switch them on; how often dispatch rounds are looked after.</summary>
public sealed class BulletinOptions
{
    public const string Section = "Tracker:Bulletins";

    /// <summary>Default: every day at 17:00.</summary>
    public string DailyCron { get; set; } = "0 17 * * *";

    /// <summary>Default: Mondays at 08:30 (the week before).</summary>
    public string WeeklyCron { get; set; } = "30 8 * * 1";

    /// <summary>Default: the 1st of each month at 08:30 (the month before).</summary>
    public string MonthlyCron { get; set; } = "30 8 1 * *";

    /// <summary>How often the dispatch rounds' clock looks for rounds to open, remind and close (default: every five minutes).</summary>
    public string DispatchCron { get; set; } = "*/5 * * * *";
}
