using Microsoft.EntityFrameworkCore;

namespace Tracker.Web.Infrastructure;

/// <summary>A page of a list. <see cref="HasMore"/> instead of a total: counting a province's rows on every page costs more than it tells.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, bool HasMore);

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
