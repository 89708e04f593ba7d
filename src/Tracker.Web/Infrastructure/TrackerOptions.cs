using System.ComponentModel.DataAnnotations;

namespace Tracker.Web.Infrastructure;

public sealed class TrackerOptions
{
    public const string Section = "Tracker";

    /// <summary>The office's time zone: "today", deadlines and silence are counted in it.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    [Range(0, 1)]
    public decimal AmberLagMargin { get; set; } = 0.10m;

    [Range(0, 1)]
    public decimal RedLagMargin { get; set; } = 0.25m;

    /// <summary>Load <c>seed/</c> at start-up. Unset: only when the service runs its own embedded database.</summary>
    public bool? Seed { get; set; }

    /// <summary>Apply EF Core migrations at start-up.</summary>
    public bool Migrate { get; set; } = true;

    /// <summary>Where the embedded PostgreSQL keeps its data when no connection string is set.</summary>
    public string? LocalDataDirectory { get; set; }

    public UploadOptions Uploads { get; set; } = new();
}

public sealed class UploadOptions
{
    [Range(1, 100 * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;

    [Range(1, 50)]
    public int MaxFiles { get; set; } = 10;

    /// <summary>The most an upload request may carry: every file at its largest, and a mebibyte for the fields.</summary>
    public long MaxRequestBytes => MaxFiles * MaxFileBytes + 1024 * 1024;
}
