namespace Tracker.Domain.Tests;

/// <summary>
/// Builds an initiative with sensible defaults so each test states only what matters:
/// a key project from <see cref="Day0"/> to 100 days later, reporting monthly, with one target
/// (0 → 100) and no milestones.
/// </summary>
internal sealed class InitiativeBuilder
{
    public static readonly DateOnly Day0 = new(2026, 3, 2);

    /// <summary>A day counted from <see cref="Day0"/>.</summary>
    public static DateOnly Day(int n) => Day0.AddDays(n);

    private string code = "KP-2026-001";
    private string title = "Resurface 100 km of rural roads";
    private InitiativeKind kind = InitiativeKind.KeyProject;
    private DateOnly start = Day0;
    private DateOnly deadline = Day(100);
    private ReportingInterval interval = ReportingInterval.Monthly;
    private InitiativeStatus? status;
    private readonly List<Target> targets = [];
    private readonly List<Milestone> milestones = [];
    private (decimal Progress, DateOnly On)? report;

    public InitiativeBuilder Code(string value) { code = value; return this; }
    public InitiativeBuilder Title(string value) { title = value; return this; }
    public InitiativeBuilder Kind(InitiativeKind value) { kind = value; return this; }
    public InitiativeBuilder Starting(DateOnly value) { start = value; return this; }
    public InitiativeBuilder Due(DateOnly value) { deadline = value; return this; }
    public InitiativeBuilder Reporting(ReportingInterval value) { interval = value; return this; }

    /// <summary>
    /// The status the item ends in, reached through allowed transitions after any report.
    /// Unset, it is planned, or in progress once reported.
    /// </summary>
    public InitiativeBuilder Status(InitiativeStatus value) { status = value; return this; }

    public InitiativeBuilder WithTarget(int id, decimal baseline, decimal target, decimal weight = 1)
    {
        targets.Add(new Target
        {
            Id = id,
            Metric = $"Metric {id}",
            Unit = "units",
            Baseline = baseline,
            TargetValue = target,
            Weight = weight,
        });
        return this;
    }

    public InitiativeBuilder WithMilestone(int id, DateOnly plannedOn)
    {
        milestones.Add(new Milestone { Id = id, Name = $"Milestone {id}", PlannedOn = plannedOn });
        return this;
    }

    /// <summary>
    /// One report on <paramref name="on"/> putting the first target at <paramref name="progress"/>
    /// of the way from baseline to target (above 1 overshoots).
    /// </summary>
    public InitiativeBuilder Reported(decimal progress, DateOnly on)
    {
        report = (progress, on);
        return this;
    }

    public Initiative Build()
    {
        if (targets.Count == 0)
            WithTarget(1, 0, 100);

        var item = new Initiative
        {
            Id = 1,
            Code = code,
            Title = title,
            Year = start.Year,
            Kind = kind,
            PlannedStart = start,
            Deadline = deadline,
            ReportingInterval = interval,
            Status = InitiativeStatus.Planned,
            Phase = Phases.First(kind),
            Targets = [.. targets],
            Milestones = [.. milestones],
        };
        item.Refresh();

        var today = report?.On ?? start;
        if (report is { } r)
        {
            var t = item.Targets[0];
            item.ApplyReport(ReportOf(item, (t.Id, t.Baseline + r.Progress * (t.TargetValue - t.Baseline))), r.On);
        }

        if (status == InitiativeStatus.Completed && item.Status == InitiativeStatus.Planned)
            item.ChangeStatus(InitiativeStatus.InProgress, today);
        if (status is { } s && s != item.Status)
            item.ChangeStatus(s, today);
        return item;
    }

    /// <summary>A report in the item's first phase with the given target values.</summary>
    public static ProgressReport ReportOf(Initiative item, params (int TargetId, decimal Value)[] values) =>
        new()
        {
            InitiativeId = item.Id,
            ReportedBy = "reporter",
            ReportedAt = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)),
            Phase = Phases.First(item.Kind),
            Values = [.. values.Select(v => new ReportValue { TargetId = v.TargetId, Value = v.Value })],
        };
}
