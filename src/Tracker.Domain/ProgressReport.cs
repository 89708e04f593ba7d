namespace Tracker.Domain;

/// <summary>
/// One progress report. Append-only: a correction is a new report, and the initiative's current
/// figures always come from the latest value reported per target.
/// </summary>
public sealed class ProgressReport
{
    public long Id { get; set; }
    public long InitiativeId { get; set; }
    public required string ReportedBy { get; set; }

    /// <summary>Server time of receipt; never taken from the client.</summary>
    public DateTimeOffset ReportedAt { get; set; }

    /// <summary>The office's calendar day of <see cref="ReportedAt"/>.</summary>
    public DateOnly ReportedOn { get; set; }

    public Phase Phase { get; set; }
    public string Narrative { get; set; } = "";
    public string? Problems { get; set; }
    public string? NextSteps { get; set; }
    public List<ReportValue> Values { get; set; } = [];
    public List<int> MilestonesAchieved { get; set; } = [];
    public List<Attachment> Attachments { get; set; } = [];

    /// <summary>A key project's completed investment in the report's month, in yuan (the month's figure: a later report of the month corrects it).</summary>
    public decimal? Investment { get; set; }

    /// <summary>The initiative's overall progress once this report was applied.</summary>
    public decimal ProgressAfter { get; set; }
}

public sealed class ReportValue
{
    public long ReportId { get; set; }

    /// <summary>The report's <see cref="ProgressReport.ReportedOn"/>, kept with the value so both are stored by year alike.</summary>
    public DateOnly ReportedOn { get; set; }

    public int TargetId { get; set; }
    public decimal Value { get; set; }
}

/// <summary>
/// Evidence (photo or PDF) attached to a progress report or to a deputies' inspection. The bytes live in
/// <see cref="AttachmentContent"/>.
/// </summary>
public sealed class Attachment
{
    public Guid Id { get; set; }
    public long? ReportId { get; set; }

    /// <summary>The report's <see cref="ProgressReport.ReportedOn"/>, with <see cref="ReportId"/> (reports are stored by year).</summary>
    public DateOnly? ReportedOn { get; set; }

    public long? InspectionId { get; set; }
    public long? ChangeRequestId { get; set; }
    public long? LedgerStepId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public AttachmentContent? Content { get; set; }
}

public sealed class AttachmentContent
{
    public Guid AttachmentId { get; set; }
    public required byte[] Data { get; set; }
}
