using Microsoft.EntityFrameworkCore;

namespace Tracker.Web.Infrastructure;

/// <summary>A page of a list. <see cref="HasMore"/> instead of a total: counting a province's rows on every page costs more than it tells.</summary>
/// <remarks><see cref="Next"/>: where the next page starts (sent back as <c>after</c>), for lists read by keyset.</remarks>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, bool HasMore, string? Next = null);

public sealed record PageRequest(int Page, int Size)
{
    public static PageRequest Of(int? page, int? pageSize, int defaultSize = 20, int maxSize = 100) =>
        new(Math.Max(page ?? 1, 1), Math.Clamp(pageSize ?? defaultSize, 1, maxSize));
}

public static class Paging
{
    /// <summary>Reads one row more than the page holds, to know whether another page follows.</summary>
    public static async Task<Paged<T>> ToPagedAsync<TRow, T>(
        this IQueryable<TRow> ordered, PageRequest request, Func<IReadOnlyList<TRow>, IEnumerable<T>> map, CancellationToken ct)
    {
        var rows = await ordered.Skip((request.Page - 1) * request.Size).Take(request.Size + 1).ToListAsync(ct);
        return new Paged<T>([.. map(rows.Take(request.Size).ToList())], request.Page, request.Size, rows.Count > request.Size);
    }

    public static Task<Paged<T>> ToPagedAsync<T>(this IQueryable<T> ordered, PageRequest request, CancellationToken ct) =>
        ordered.ToPagedAsync(request, rows => rows, ct);
}

/// <summary>
/// Where a list ordered by (deadline, id) stands, optionally after a leading flag (overdue first): sent back as
/// <c>after</c> to read the next page by keyset, so that page 1,000 costs what page 1 does.
/// </summary>
public sealed record DeadlineCursor(bool? Flag, DateOnly Deadline, long Id)
{
    public override string ToString() =>
        $"{(Flag is { } flag ? (flag ? "1." : "0.") : "")}{Deadline:yyyy-MM-dd}.{Id}";

    public static DeadlineCursor? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        var parts = text.Split('.');
        bool? flag = parts.Length == 3 ? parts[0] switch { "1" => true, "0" => false, _ => null } : null;
        if (parts.Length is < 2 or > 3 || (parts.Length == 3 && flag is null)
            || !DateOnly.TryParseExact(parts[^2], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var deadline)
            || !long.TryParse(parts[^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            throw new FormatException("Not a cursor of this list.");
        return new DeadlineCursor(flag, deadline, id);
    }

    public static bool IsValid(string? text)
    {
        try { Parse(text); return true; }
        catch (FormatException) { return false; }
    }
}
