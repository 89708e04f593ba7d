using System.Linq.Expressions;

namespace Tracker.Domain;

/// <summary>A person named on an initiative: the leader in charge (包联领导) or the responsible person (责任人).</summary>
public sealed class Contact
{
    public string Name { get; set; } = "";
    public string? Title { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
}

public sealed class Initiative
{
    public long Id { get; set; }
    public required string Code { get; set; }
    public required string Title { get; set; }
    public string Description { get; set; } = "";
    public int Year { get; set; }
    public InitiativeKind Kind { get; set; }
    public int JurisdictionId { get; set; }
    public Jurisdiction? Jurisdiction { get; set; }

    /// <summary>The jurisdiction's materialized path, kept on the row by the database so that a subtree is one indexed prefix.</summary>
    public string JurisdictionPath { get; private set; } = "";
    public int LeadDepartmentId { get; set; }
    public Department? LeadDepartment { get; set; }
    public List<InitiativeCoDepartment> CoDepartments { get; set; } = [];
    public Contact LeaderInCharge { get; set; } = new();
    public Contact ResponsiblePerson { get; set; } = new();

    /// <summary>Investment or budget in yuan.</summary>
    public decimal? Budget { get; set; }

    /// <summary>
    /// The item this one is a part of (第九幼儿园 of a kindergarten programme): the parent's progress rolls up from its
    /// children by <see cref="Weight"/> (<see cref="RollUp.Tree"/>). A child lies in its parent's jurisdiction or below it.
    /// </summary>
    public long? ParentId { get; set; }

    /// <summary>The item's weight among its siblings in a roll-up (1 unless the plan says otherwise).</summary>
    public decimal Weight { get; set; } = 1;

    /// <summary>A key project's facts and investment (<see cref="InitiativeKind.KeyProject"/> items only; may be absent).</summary>
    public KeyProjectFacts? KeyProject { get; set; }

    public DateOnly PlannedStart { get; set; }
    public DateOnly Deadline { get; set; }
    public ReportingInterval ReportingInterval { get; set; }
    public InitiativeStatus Status { get; set; }
    public Phase Phase { get; set; }
    public List<Target> Targets { get; set; } = [];
    public List<Milestone> Milestones { get; set; } = [];

    /// <summary>Shown in the public view (the deputies' items only): targets, progress, photos and dates, no people.</summary>
    public bool IsPublished { get; private set; }

    /// <summary>
    /// Chosen by the deputies' vote (票决), whatever the item's kind: set when a session's adopted candidate becomes or
    /// names this item, never cleared.
    /// </summary>
    public bool IsVoted { get; private set; }

    /// <summary>
    /// The items the deputies supervise (read, group-supervise, inspect, rate, and the public sees when published): every
    /// livelihood item (民生实事) and any item the vote chose, of whatever kind.
    /// </summary>
    public static readonly Expression<Func<Initiative, bool>> ForDeputies = i => i.IsVoted || i.Kind == InitiativeKind.Livelihood;

    /// <inheritdoc cref="ForDeputies"/>
    public bool IsForDeputies => IsVoted || Kind == InitiativeKind.Livelihood;

    /// <summary>The vote chose this item: deputies supervise it from now on.</summary>
    public void ChosenByVote() => IsVoted = true;

    // Derived from the reports and milestones and kept on the row, so that lists and the health
    // filters read one table at a province's scale. Only the methods below write them.
    public decimal Progress { get; private set; }

    /// <summary>
    /// The progress at the end of each month of the item's year (January first) as its reports left it: a report sets its
    /// month and carries the figure to the year's end until a later one, so a set's trend is one row per item.
    /// </summary>
    public decimal[] ProgressByMonth { get; private set; } = new decimal[12];
    public DateTimeOffset? LastReportedAt { get; private set; }
    public DateOnly? LastReportedOn { get; private set; }
    public DateOnly? NextMilestoneDue { get; private set; }
    public DateOnly? CompletedOn { get; private set; }

    // The health of one day, kept on the row so that every list filter, sort and count is an indexed predicate over
    // stored columns. StampHealth writes it on every save; a new day's is written set-based from the same rules.
    public HealthColour HealthColour { get; private set; }
    public bool Overdue { get; private set; }
    public int DaysOverdue { get; private set; }
    public bool MilestoneOverdue { get; private set; }
    public bool Silent { get; private set; }
    public bool Lagging { get; private set; }
    public bool LaggingRed { get; private set; }

    /// <summary>Counts towards the on-time rate: not cancelled, and completed or past its deadline.</summary>
    public bool Due { get; private set; }

    /// <summary>Due to start: its planned start has come (the start rate, 开工率, counts these), kept for the day like the health.</summary>
    public bool StartDue { get; private set; }

    /// <summary>The straight line's share for the day, to four places.</summary>
    public decimal ExpectedProgress { get; private set; }

    /// <summary>The day the kept health is of; null until first stamped.</summary>
    public DateOnly? HealthOn { get; private set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Concurrency token (PostgreSQL's xmin), served as the ETag.</summary>
    public uint Version { get; set; }

    public static bool IsActive(InitiativeStatus status) =>
        status is InitiativeStatus.Planned or InitiativeStatus.InProgress;

    private static readonly Dictionary<InitiativeStatus, InitiativeStatus[]> Transitions = new()
    {
        [InitiativeStatus.Planned] = [InitiativeStatus.InProgress, InitiativeStatus.Suspended, InitiativeStatus.Cancelled],
        [InitiativeStatus.InProgress] = [InitiativeStatus.Completed, InitiativeStatus.Suspended, InitiativeStatus.Cancelled],
        [InitiativeStatus.Suspended] = [InitiativeStatus.InProgress, InitiativeStatus.Cancelled],
        // An inspection may find a "completed" item unfinished: it can be reopened.
        [InitiativeStatus.Completed] = [InitiativeStatus.InProgress],
        [InitiativeStatus.Cancelled] = [],
    };

    public static IReadOnlyList<InitiativeStatus> AllowedTransitions(InitiativeStatus from) => Transitions[from];

    public void ChangeStatus(InitiativeStatus to, DateOnly today)
    {
        if (!Transitions[Status].Contains(to))
            throw new DomainException(ErrorCodes.StatusTransition, $"An initiative that is {Status} cannot become {to}.");
        Status = to;
        CompletedOn = to == InitiativeStatus.Completed ? today : null;
    }

    public void Publish(bool published)
    {
        if (published && !IsForDeputies)
            throw new DomainException(ErrorCodes.Publish, "Only livelihood items and items the deputies voted are published to the public.");
        IsPublished = published;
    }

    /// <summary>
    /// The plan is the yardstick once the item has started, been reported on or been published: from then on its dates,
    /// targets and milestones' dates move only through an approved <see cref="ChangeRequest"/>.
    /// </summary>
    public bool PlanFixed => IsPlanFixed(Status, IsPublished, LastReportedAt);

    /// <summary><see cref="PlanFixed"/> from the columns it reads, for a read that projects them rather than loading the item.</summary>
    public static bool IsPlanFixed(InitiativeStatus status, bool published, DateTimeOffset? lastReportedAt) =>
        status != InitiativeStatus.Planned || published || lastReportedAt is not null;

    /// <summary>The current approved plan's number: 0 while the plan is as it was fixed, then 2, 3… (1 is the fixed plan, kept at the first change).</summary>
    public int PlanVersionNumber { get; private set; }

    /// <summary>The fixed plan's deadline once an approved change has moved it (原定); null while it never moved.</summary>
    public DateOnly? OriginalDeadline { get; private set; }

    /// <summary>Approved changes that moved the deadline later (延期次数).</summary>
    public int Extensions { get; private set; }

    /// <summary>
    /// The lead department asks to move the plan to <paramref name="terms"/>. Refused while the plan is not yet fixed
    /// (it is edited directly), once the item is completed or cancelled, when the terms move nothing, or name targets
    /// or milestones that are not this item's or drop a target already reported on.
    /// </summary>
    public ChangeRequest RequestChange(PlanTerms terms, int departmentId, string by, string reason, DateTimeOffset now)
    {
        if (!PlanFixed)
            throw new DomainException(ErrorCodes.PlanNotFixed, "While the item is planned and unpublished, its lead department edits the plan directly.");
        if (Status is InitiativeStatus.Completed or InitiativeStatus.Cancelled)
            throw new DomainException(ErrorCodes.PlanClosed, $"The plan of an initiative that is {Status} is not changed.");
        CheckPlan(terms.Targets, terms.Milestones.Select(m => m.Id));
        if (PlanTerms.Of(this).Moves(terms).Count == 0)
            throw new DomainException(ErrorCodes.PlanUnchanged, "The request changes nothing in the plan.");
        return new ChangeRequest
        {
            InitiativeId = Id,
            DepartmentId = departmentId,
            RequestedBy = by,
            RequestedAt = now,
            Reason = reason,
            DeadlineBefore = Deadline,
            PlannedStart = terms.PlannedStart,
            Deadline = terms.Deadline,
            Targets = [.. terms.Targets],
            Milestones = [.. terms.Milestones],
        };
    }

    /// <summary>
    /// Applies an approved request: its terms become the plan (achieved milestones stay achieved), in a new version —
    /// and, at the first change, the plan as it was fixed is kept as version 1. Returns the versions to keep.
    /// </summary>
    public IReadOnlyList<PlanVersion> ApproveChange(ChangeRequest request, string by, string comment, DateTimeOffset now)
    {
        if (request.InitiativeId != Id)
            throw new DomainException(ErrorCodes.PlanUnchanged, "The change request is not this initiative's.");
        request.EnsurePending();
        var before = PlanTerms.Of(this);
        var terms = request.Terms;
        // Checked by ReplacePlan before anything changes.
        ReplacePlan(
            [.. terms.Targets],
            [.. terms.Milestones.Select(m => new MilestonePlan(m.Id, m.Name, m.PlannedOn, Milestones.FirstOrDefault(x => x.Id == m.Id)?.AchievedOn))]);

        var versions = new List<PlanVersion>();
        if (PlanVersionNumber == 0)
            versions.Add(PlanVersion.Of(Id, PlanVersionNumber = 1, before, now));
        PlannedStart = terms.PlannedStart;
        if (terms.Deadline != before.Deadline)
            OriginalDeadline ??= before.Deadline;
        if (terms.Deadline > before.Deadline)
            Extensions++;
        Deadline = terms.Deadline;
        request.Approve(by, comment, now);
        var version = PlanVersion.Of(Id, ++PlanVersionNumber, PlanTerms.Of(this), now);
        version.ChangeRequestId = request.Id;
        version.RequestedBy = request.RequestedBy;
        version.Reason = request.Reason;
        version.DecidedBy = by;
        versions.Add(version);
        return versions;
    }

    // The ids a plan names are this item's, and no target already reported on is dropped: checked before anything changes.
    private void CheckPlan(IReadOnlyList<TargetPlan> targets, IEnumerable<int?> milestoneIds)
    {
        if (targets.FirstOrDefault(t => t.Id is { } id && Targets.All(x => x.Id != id)) is { } strangerTarget)
            throw new DomainException(ErrorCodes.Target, $"Target {strangerTarget.Id} does not belong to this initiative.");
        if (milestoneIds.FirstOrDefault(m => m is { } id && Milestones.All(x => x.Id != id)) is { } strangerMilestone)
            throw new DomainException(ErrorCodes.Milestone, $"Milestone {strangerMilestone} does not belong to this initiative.");
        if (Targets.Any(t => t.Reported && targets.All(x => x.Id != t.Id)))
            throw new DomainException(ErrorCodes.ReportedTarget, "A target that progress has been reported against cannot be removed.");
    }

    /// <summary>Progress may be reported while the item is planned or in progress; the first report starts it.</summary>
    public bool AcceptsReports => IsActive(Status);

    public void ApplyReport(ProgressReport report, DateOnly today)
    {
        if (!AcceptsReports)
            throw new DomainException(ErrorCodes.NoProgress, $"Progress cannot be reported on an initiative that is {Status}.");
        if (!Phases.Allows(Kind, report.Phase))
            throw new DomainException(ErrorCodes.Phase, $"Phase {report.Phase} is not a phase of a {Kind} initiative.");

        // Check every id before changing anything: a refused report leaves the item as it was.
        var targets = report.Values.Select(v => (Value: v.Value, Target: Targets.SingleOrDefault(t => t.Id == v.TargetId)
            ?? throw new DomainException(ErrorCodes.Target, $"Target {v.TargetId} does not belong to this initiative."))).ToList();
        if (targets.FirstOrDefault(t => t.Target.Counts != LedgerCount.None) is { Target: { } linked })
            throw new DomainException(ErrorCodes.TargetByLedger, $"Target {linked.Id} ({linked.Metric}) counts the ledger's rows; a report does not set it.");
        var milestones = report.MilestonesAchieved.Select(id => Milestones.SingleOrDefault(m => m.Id == id)
            ?? throw new DomainException(ErrorCodes.Milestone, $"Milestone {id} does not belong to this initiative.")).ToList();

        foreach (var (value, target) in targets)
            target.CurrentValue = value;
        foreach (var milestone in milestones)
            milestone.AchievedOn ??= today;

        Phase = report.Phase;
        if (Status == InitiativeStatus.Planned)
            Status = InitiativeStatus.InProgress;
        LastReportedAt = report.ReportedAt;
        LastReportedOn = today;
        report.ReportedOn = today;
        Refresh();
        report.ProgressAfter = Progress;
        if (today.Year <= Year)
        {
            // A new array, not a changed one, so that the change is seen as one.
            var from = today.Year < Year ? 0 : today.Month - 1;
            ProgressByMonth = [.. ProgressByMonth.Select((p, m) => m >= from ? Progress : p)];
        }
    }

    /// <summary>
    /// The targets linked to the ledger take its counts (closed rows, or rows not closed), and the item's progress and
    /// health follow, as after a report; nothing else of the item changes (a ledger step is not a progress report).
    /// </summary>
    public void ApplyLedger(LedgerTally tally)
    {
        foreach (var target in Targets.Where(t => t.Counts != LedgerCount.None))
            target.CurrentValue = target.Counts == LedgerCount.ClosedRows ? tally.Closed : tally.NotClosed;
        Refresh();
    }

    /// <summary>
    /// Replaces the plan's targets and milestones: those given with an id are kept and updated, those without one are
    /// added, the rest removed. Nothing changes when the plan is refused: an id that is not this item's, or a target
    /// already reported on that the plan leaves out (its figures are part of the record).
    /// </summary>
    public void ReplacePlan(IReadOnlyList<TargetPlan> targets, IReadOnlyList<MilestonePlan> milestones)
    {
        CheckPlan(targets, milestones.Select(m => m.Id));

        Targets.RemoveAll(t => targets.All(x => x.Id != t.Id));
        foreach (var t in targets)
        {
            var target = t.Id is { } id ? Targets.Single(x => x.Id == id) : null;
            if (target is null)
                Targets.Add(target = new Target { Metric = "", Unit = "" });
            target.Metric = t.Metric;
            target.Unit = t.Unit;
            target.Baseline = t.Baseline;
            target.TargetValue = t.TargetValue;
            target.Weight = t.Weight;
            target.Counts = t.Counts;
        }

        Milestones.RemoveAll(m => milestones.All(x => x.Id != m.Id));
        foreach (var m in milestones)
        {
            var milestone = m.Id is { } id ? Milestones.Single(x => x.Id == id) : null;
            if (milestone is null)
                Milestones.Add(milestone = new Milestone { Name = "" });
            milestone.Name = m.Name;
            milestone.PlannedOn = m.PlannedOn;
            milestone.AchievedOn = m.AchievedOn;
        }
        Refresh();
    }

    /// <summary>Writes the health of <paramref name="context"/>'s day onto the row, by the same rules the day's refresh runs in SQL.</summary>
    public void StampHealth(HealthContext context)
    {
        var health = HealthRules.Evaluate(this, context);
        HealthColour = health.Colour;
        Overdue = health.Overdue;
        DaysOverdue = health.DaysOverdue;
        MilestoneOverdue = health.MilestoneOverdue;
        Silent = health.Silent;
        Lagging = health.Lagging;
        LaggingRed = health.LaggingRed;
        Due = HealthRules.IsDue(this, context);
        StartDue = HealthRules.IsStartDue(this, context);
        ExpectedProgress = HealthRules.Round(health.ExpectedProgress);
        HealthOn = context.Today;
    }

    /// <summary>The kept health as the record the rules return; the days since the last report count from <paramref name="today"/>.</summary>
    public Health KeptHealth(DateOnly today) => new(
        HealthColour, Overdue, DaysOverdue, MilestoneOverdue, Silent,
        LastReportedOn is { } last ? today.DayNumber - last.DayNumber : null,
        Lagging, LaggingRed, Progress, ExpectedProgress, LastReportedAt is null);

    /// <summary>Recomputes the derived figures after targets or milestones changed.</summary>
    public void Refresh()
    {
        Progress = ProgressMath.Overall(Targets);
        NextMilestoneDue = Milestones.Where(m => m.AchievedOn is null).Min(m => (DateOnly?)m.PlannedOn);
    }
}

/// <summary>A target as a plan gives it: with the id of one the item has, or none for a new one.</summary>
/// <summary>A target as a plan gives it; <see cref="Counts"/> links it to the item's ledger.</summary>
public sealed record TargetPlan(int? Id, string Metric, string Unit, decimal Baseline, decimal TargetValue, decimal Weight = 1, LedgerCount Counts = LedgerCount.None);

/// <summary>A milestone as a plan gives it: with the id of one the item has, or none for a new one.</summary>
public sealed record MilestonePlan(int? Id, string Name, DateOnly PlannedOn, DateOnly? AchievedOn = null);

public sealed class InitiativeCoDepartment
{
    public long InitiativeId { get; set; }
    public int DepartmentId { get; set; }
    public Department? Department { get; set; }
}

/// <summary>A quantified target: "adapt 1,000 elderly homes", "26 roads".</summary>
public sealed class Target
{
    public int Id { get; set; }
    public long InitiativeId { get; set; }
    public required string Metric { get; set; }
    public required string Unit { get; set; }
    public decimal Baseline { get; set; }
    public decimal TargetValue { get; set; }
    public decimal Weight { get; set; } = 1;

    /// <summary>The value reached in the latest report naming this target (or, for a target linked to the ledger, its count); null until one does.</summary>
    public decimal? CurrentValue { get; set; }

    /// <summary>A target linked to the item's ledger counts its rows, never a report's figure.</summary>
    public LedgerCount Counts { get; set; }

    public bool Reported => CurrentValue is not null;
    public decimal Completion => ProgressMath.Completion(Baseline, TargetValue, CurrentValue);
}

public sealed class Milestone
{
    public int Id { get; set; }
    public long InitiativeId { get; set; }
    public required string Name { get; set; }
    public DateOnly PlannedOn { get; set; }
    public DateOnly? AchievedOn { get; set; }
}
