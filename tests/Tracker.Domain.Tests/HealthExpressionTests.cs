using System.Linq.Expressions;
using static Tracker.Domain.Tests.InitiativeBuilder;

namespace Tracker.Domain.Tests;

/// <summary>
/// The rules are handed to EF Core as expression trees bound to one day with <c>On</c>; these tests
/// make sure the bound, single-parameter form used for list filters says the same as <see cref="HealthRules.Evaluate"/>.
/// </summary>
public class HealthExpressionTests
{
    private static readonly DateOnly[] Days = [Day(-5), Day(0), Day(1), Day(8), Day(35), Day(50), Day(100), Day(101), Day(140)];

    private static readonly InitiativeStatus[] Statuses = Enum.GetValues<InitiativeStatus>();
    private static readonly ReportingInterval[] Intervals = Enum.GetValues<ReportingInterval>();

    // (start, deadline) offsets, including a one-day item and a deadline before the start.
    private static readonly (int Start, int Deadline)[] Schedules = [(0, 100), (-20, 60), (10, 10), (30, 20)];

    // null: never reported.
    private static readonly decimal?[] Progresses = [null, 0m, 0.25m, 0.4m, 0.75m, 1m, 1.4m];

    private static readonly int[] LastReportDays = [-3, 0, 6, 7, 8, 30, 49, 50, 100];

    private static readonly int?[] MilestoneDays = [null, 8, 50];

    private static IEnumerable<Initiative> Grid()
    {
        foreach (var status in Statuses)
            foreach (var interval in Intervals)
                foreach (var (start, deadline) in Schedules)
                    foreach (var progress in Progresses)
                        foreach (var reportDay in progress is null ? [0] : LastReportDays)
                            foreach (var milestone in MilestoneDays)
                            {
                                // A report starts a planned item, so "planned and reported" cannot exist.
                                if (status == InitiativeStatus.Planned && progress is not null)
                                    continue;
                                var builder = new InitiativeBuilder()
                                    .Status(status)
                                    .Reporting(interval)
                                    .Starting(Day(start))
                                    .Due(Day(deadline));
                                if (milestone is { } m)
                                    builder.WithMilestone(1, Day(m));
                                if (progress is { } p)
                                    builder.Reported(p, Day(reportDay));
                                yield return builder.Build();
                            }
    }

    private static readonly Initiative[] Items = [.. Grid()];

    private static IEnumerable<HealthContext> Contexts() => Days.Select(d => new HealthContext(d, new HealthPolicy()));

    private static (Expression<Func<Initiative, HealthContext, bool>> Rule, Func<Health, bool> Flag) FlagRule(string name) => name switch
    {
        "Overdue" => (HealthRules.Overdue, h => h.Overdue),
        "Silent" => (HealthRules.Silent, h => h.Silent),
        "Lagging" => (HealthRules.Lagging, h => h.Lagging),
        "MilestoneOverdue" => (HealthRules.MilestoneOverdue, h => h.MilestoneOverdue),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [InlineData(HealthColour.Green)]
    [InlineData(HealthColour.Amber)]
    [InlineData(HealthColour.Red)]
    [InlineData(HealthColour.Grey)]
    public void Colour_filter_matches_exactly_the_items_Evaluate_gives_that_colour(HealthColour colour)
    {
        var matched = 0;
        foreach (var ctx in Contexts())
        {
            var filter = HealthRules.ColourIs(colour).On(ctx).Compile();
            foreach (var item in Items)
            {
                var expected = HealthRules.Evaluate(item, ctx).Colour == colour;
                Assert.True(expected == filter(item), Describe(item, ctx, $"ColourIs({colour})", expected));
                if (expected)
                    matched++;
            }
        }

        // The grid must actually produce every colour, or the comparison above proves little.
        Assert.True(matched > 0, $"The grid produced no {colour} item.");
    }

    [Theory]
    [InlineData("Overdue")]
    [InlineData("Silent")]
    [InlineData("Lagging")]
    [InlineData("MilestoneOverdue")]
    public void Flag_filter_matches_exactly_the_items_Evaluate_flags(string name)
    {
        var (rule, flag) = FlagRule(name);
        int matched = 0, unmatched = 0;
        foreach (var ctx in Contexts())
        {
            var filter = rule.On(ctx).Compile();
            foreach (var item in Items)
            {
                var expected = flag(HealthRules.Evaluate(item, ctx));
                Assert.True(expected == filter(item), Describe(item, ctx, name, expected));
                if (expected)
                    matched++;
                else
                    unmatched++;
            }
        }

        Assert.True(matched > 0 && unmatched > 0, $"The grid never varied {name}.");
    }

    [Fact]
    public void The_kept_health_the_days_refresh_writes_from_the_bound_expressions_equals_Evaluate()
    {
        foreach (var ctx in Contexts())
        {
            var colour = HealthRules.Colour.Bind(ctx).Compile();
            var daysOverdue = HealthRules.DaysOverdue.Bind(ctx).Compile();
            var expected = HealthRules.Expected.Bind(ctx).Compile();
            var startDue = HealthRules.StartDue.Bind(ctx).Compile();
            foreach (var item in Items)
            {
                var health = HealthRules.Evaluate(item, ctx);
                Assert.True(health.Colour == colour(item), Describe(item, ctx, $"Colour {health.Colour}", true));
                Assert.True(health.DaysOverdue == daysOverdue(item), Describe(item, ctx, $"DaysOverdue {health.DaysOverdue}", true));
                Assert.True(health.ExpectedProgress == expected(item), Describe(item, ctx, $"Expected {health.ExpectedProgress}", true));

                // Stamping the row keeps exactly what Evaluate says, expected progress to four places.
                item.StampHealth(ctx);
                Assert.Equal(health with { ExpectedProgress = HealthRules.Round(health.ExpectedProgress) }, item.KeptHealth(ctx.Today));
                Assert.Equal(ctx.Today, item.HealthOn);
                Assert.True(item.StartDue == startDue(item), Describe(item, ctx, $"StartDue {item.StartDue}", true));
                Assert.Equal(item.PlannedStart <= ctx.Today, item.StartDue);
            }
        }
    }

    [Fact]
    public void Due_counts_what_is_completed_or_past_its_deadline_and_never_what_is_cancelled()
    {
        var due = HealthRules.Due.Compile();
        var ctx = new HealthContext(Day(50), new HealthPolicy());
        Assert.True(due(new InitiativeBuilder().Status(InitiativeStatus.InProgress).Starting(Day(0)).Due(Day(49)).Build(), ctx));
        Assert.False(due(new InitiativeBuilder().Status(InitiativeStatus.InProgress).Starting(Day(0)).Due(Day(50)).Build(), ctx));
        Assert.False(due(new InitiativeBuilder().Status(InitiativeStatus.Cancelled).Starting(Day(0)).Due(Day(10)).Build(), ctx));
        var completed = new InitiativeBuilder().Status(InitiativeStatus.InProgress).Starting(Day(0)).Due(Day(90)).Build();
        completed.ChangeStatus(InitiativeStatus.Completed, Day(40));
        Assert.True(due(completed, ctx));
        Assert.True(HealthRules.OnTime.Compile()(completed));
    }

    private static string Describe(Initiative i, HealthContext c, string rule, bool expected) =>
        $"{rule} should be {expected} on {c.Today:yyyy-MM-dd} for {i.Status} {i.ReportingInterval} item "
        + $"{i.PlannedStart:yyyy-MM-dd}→{i.Deadline:yyyy-MM-dd}, progress {i.Progress}, "
        + $"last report {i.LastReportedOn?.ToString("yyyy-MM-dd") ?? "none"}, next milestone {i.NextMilestoneDue?.ToString("yyyy-MM-dd") ?? "none"}.";
}
