namespace Tracker.Domain;

public enum InitiativeKind
{
    /// <summary>民生实事: a practical project for residents, chosen each year.</summary>
    Livelihood,
    /// <summary>重点项目: an investment, construction or industry project.</summary>
    KeyProject,
    /// <summary>Renovation of old residential communities, homes or streets.</summary>
    Renovation,
    /// <summary>A task of the civilized-city campaign (创建文明城市).</summary>
    CivilizedCity,
    /// <summary>隐患/问题整改: a hazard or problem to rectify, kept on a ledger.</summary>
    Rectification,
}

public enum InitiativeStatus
{
    Planned,
    InProgress,
    Completed,
    Suspended,
    Cancelled,
}

public enum Phase
{
    // Construction phases (key projects, livelihood items, renovations, campaign tasks).
    Preparation,
    Started,
    MainStructureDone,
    Completed,
    InOperation,

    // Rectification phases: the closed loop found → assigned → fixed → verified (闭环).
    Identified,
    Assigned,
    Rectifying,
    Rectified,
    Verified,
}

public enum ReportingInterval
{
    Daily,
    Weekly,
    Monthly,
}

public enum JurisdictionLevel
{
    Province,
    City,
    County,
    Township,
}

public enum HealthColour
{
    Green,
    Amber,
    Red,
    /// <summary>Suspended or cancelled: not tracked.</summary>
    Grey,
}
