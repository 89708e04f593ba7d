namespace Tracker.Domain;

public static class Phases
{
    private static readonly Phase[] Construction =
        [Phase.Preparation, Phase.Started, Phase.MainStructureDone, Phase.Completed, Phase.InOperation];

    private static readonly Phase[] Campaign = [Phase.Preparation, Phase.Started, Phase.Completed];

    private static readonly Phase[] ClosedLoop =
        [Phase.Identified, Phase.Assigned, Phase.Rectifying, Phase.Rectified, Phase.Verified];

    /// <summary>The phases an initiative of this kind moves through, in order.</summary>
    public static IReadOnlyList<Phase> For(InitiativeKind kind) => kind switch
    {
        InitiativeKind.Rectification => ClosedLoop,
        InitiativeKind.CivilizedCity => Campaign,
        _ => Construction,
    };

    public static Phase First(InitiativeKind kind) => For(kind)[0];

    public static bool Allows(InitiativeKind kind, Phase phase) => For(kind).Contains(phase);
}
