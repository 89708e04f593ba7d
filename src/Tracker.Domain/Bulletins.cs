using System.Globalization;

namespace Tracker.Domain;

/// <summary>日通报、周调度通报、月通报, and a supervisor's own 专项通报.</summary>
public enum BulletinKind
{
    Daily,
    Weekly,
    Monthly,
    Special,
}

/// <summary>
/// What a recurring bulletin covers, and its key: one bulletin per (jurisdiction, kind, key), whatever retries or
/// servers. A daily bulletin covers its day; a weekly one the last whole week (Monday to Sunday) before the day it is
/// issued; a monthly one the month before.
/// </summary>
public readonly record struct BulletinPeriod(DateOnly From, DateOnly To, string Key)
{
    public static BulletinPeriod Of(BulletinKind kind, DateOnly issuedOn)
    {
        switch (kind)
        {
            case BulletinKind.Daily:
                return new(issuedOn, issuedOn, issuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            case BulletinKind.Weekly:
                var sunday = issuedOn.AddDays(-(issuedOn.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)issuedOn.DayOfWeek));
                var monday = sunday.AddDays(-6);
                var date = monday.ToDateTime(TimeOnly.MinValue);
                return new(monday, sunday, $"{ISOWeek.GetYear(date)}-W{ISOWeek.GetWeekOfYear(date):00}");
            case BulletinKind.Monthly:
                var first = new DateOnly(issuedOn.Year, issuedOn.Month, 1).AddMonths(-1);
                return new(first, first.AddMonths(1).AddDays(-1), first.ToString("yyyy-MM", CultureInfo.InvariantCulture));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "A special bulletin has no period: a supervisor issues it by hand.");
        }
    }
}

/// <summary>The rules a bulletin's figures follow.</summary>
public static class BulletinRules
{
    /// <summary>How a bulletin is numbered: per jurisdiction and kind, from 1 each year ("2026年第12期").</summary>
    public static string NumberText(int year, int number) => $"{year}年第{number}期";

    /// <summary>Items in <paramref name="now"/> that were not in the previous bulletin's list (all of them for the first), in order.</summary>
    public static IReadOnlyList<long> Newly(IEnumerable<long> now, IEnumerable<long>? previous)
    {
        var before = previous?.ToHashSet() ?? [];
        return [.. now.Where(id => !before.Contains(id))];
    }

    /// <summary>
    /// A department's move in the ranking since the previous bulletin: places gained (positive, ↑) or lost (negative, ↓),
    /// zero when unmoved, null when it was not ranked then (new, or the first bulletin).
    /// </summary>
    public static int? RankChange(int rank, int? previousRank) => previousRank is { } before ? before - rank : null;

    /// <summary>The change as a bulletin prints it: ↑2, ↓1, —, or 新 when there was nothing to compare with.</summary>
    public static string RankChangeText(int? change) => change switch
    {
        null => "新",
        0 => "—",
        > 0 => $"↑{change}",
        _ => $"↓{-change}",
    };
}
