using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Directory;

/// <summary>
/// A department or jurisdiction as a picker lists it. <c>Within</c> tells apart the many 民政局 and 城关镇 of a province:
/// a department's jurisdiction, or a jurisdiction's parent.
/// </summary>
public sealed record UnitOption(int Id, string Name, string? Within);

/// <summary>
/// What a picker asks for: names containing <c>Q</c> (any case), within the jurisdiction <c>JurisdictionId</c> and
/// everything below it, at most <c>Limit</c> (1–50, default 20).
/// </summary>
public sealed record UnitQuery(string? Q, int? JurisdictionId, int? Limit);

/// <summary>What a picker on a page shows: the unit chosen, when the viewer reaches it, then others matching the text; <c>More</c> when more match than are listed.</summary>
public sealed record UnitPick(UnitOption? Chosen, IReadOnlyList<UnitOption> Others, bool More)
{
    /// <summary>The chosen jurisdiction's path, for a department picker narrowed to it.</summary>
    internal string? ChosenPath { get; init; }

    public static readonly UnitPick None = new(null, [], false);
}

/// <summary>
/// The departments and jurisdictions a picker offers, narrowed to what the person typed rather than the thousands a
/// province has: admins reach all of them; supervisors and deputies their jurisdiction and everything below it;
/// officials their own department and its jurisdiction; the public page every jurisdiction. Each list is one query,
/// at most <see cref="MaxLimit"/> rows: the names that start with the text first, then the higher levels, then by name.
/// </summary>
public sealed class FindUnits(TrackerDbContext db, Viewer viewer, IValidator<UnitQuery> validator) : IUseCase
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 50;
    public const int MaxText = 50;

    /// <summary>Jurisdictions the viewer reaches (with <paramref name="everyone"/>: all of them, as the public page offers).</summary>
    public async Task<IReadOnlyList<UnitOption>> JurisdictionsAsync(UnitQuery query, bool everyone, CancellationToken ct)
    {
        await validator.ValidateAndThrowAsync(query, ct);
        var within = await WithinAsync(query.JurisdictionId, everyone, ct);
        var (rows, _) = await ListJurisdictionsAsync(null, query.Q, within, query.Limit ?? DefaultLimit, everyone, ct);
        return [.. rows.Select(r => r.Option)];
    }

    /// <summary>Departments the viewer reaches.</summary>
    public async Task<IReadOnlyList<UnitOption>> DepartmentsAsync(UnitQuery query, CancellationToken ct)
    {
        await validator.ValidateAndThrowAsync(query, ct);
        var within = await WithinAsync(query.JurisdictionId, false, ct);
        var (rows, _) = await ListDepartmentsAsync(null, query.Q, within, query.Limit ?? DefaultLimit, ct);
        return rows;
    }

    /// <summary>
    /// A page's jurisdiction picker: <paramref name="chosenId"/> (dropped when the viewer does not reach it) and up to
    /// <see cref="DefaultLimit"/> others whose name contains <paramref name="text"/>. With nothing chosen and
    /// <paramref name="firstByDefault"/>, the first one listed is chosen. One query.
    /// </summary>
    public async Task<UnitPick> PickJurisdictionAsync(int? chosenId, string? text, bool everyone, bool firstByDefault, CancellationToken ct)
    {
        text = Clip(text);
        var (rows, more) = await ListJurisdictionsAsync(chosenId, text, null, DefaultLimit, everyone, ct);
        var chosen = rows.FirstOrDefault(r => r.Option.Id == chosenId);
        if (chosen is null && firstByDefault && rows.Count > 0 && text is null)
            chosen = rows[0];
        return new UnitPick(chosen?.Option, [.. rows.Where(r => r != chosen).Select(r => r.Option)], more) { ChosenPath = chosen?.Path };
    }

    /// <summary>
    /// A page's department picker: <paramref name="chosenId"/> (dropped when the viewer does not reach it) and up to
    /// <see cref="DefaultLimit"/> others whose name contains <paramref name="text"/>, within the jurisdiction chosen in
    /// <paramref name="jurisdiction"/> when there is one. One query.
    /// </summary>
    public async Task<UnitPick> PickDepartmentAsync(int? chosenId, string? text, UnitPick jurisdiction, CancellationToken ct)
    {
        text = Clip(text);
        var (rows, more) = await ListDepartmentsAsync(chosenId, text, jurisdiction.ChosenPath, DefaultLimit, ct);
        var chosen = rows.FirstOrDefault(r => r.Id == chosenId);
        return new UnitPick(chosen, [.. rows.Where(r => r != chosen)], more);
    }

    /// <summary>A page's text box holds at most <see cref="MaxText"/> characters (the API refuses more).</summary>
    private static string? Clip(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Trim() is { Length: > MaxText } whole ? whole[..MaxText] : text.Trim();

    /// <summary>The path of the jurisdiction to search within: 404 for one the viewer does not reach, as if it did not exist.</summary>
    private async Task<string?> WithinAsync(int? jurisdictionId, bool everyone, CancellationToken ct) =>
        jurisdictionId is not { } id ? null
            : await Reachable(everyone).Where(j => j.Id == id).Select(j => j.Path).SingleOrDefaultAsync(ct)
                ?? throw new NotFoundException($"No jurisdiction {jurisdictionId}.");

    private sealed record Found(UnitOption Option, string Path);

    private async Task<(List<Found> Rows, bool More)> ListJurisdictionsAsync(
        int? chosenId, string? text, string? withinPath, int limit, bool everyone, CancellationToken ct)
    {
        var chosen = chosenId ?? 0;
        var (contains, startsWith) = Patterns(text);
        var matching = Reachable(everyone);
        if (withinPath is not null)
            matching = matching.Where(j => j.Path.StartsWith(withinPath));
        if (contains is not null)
            matching = matching.Where(j => EF.Functions.ILike(j.Name, contains, Escape));
        // The chosen one is listed whatever the text, first.
        var listed = chosenId is null ? matching : Reachable(everyone).Where(j => j.Id == chosen).Union(matching);
        var ordered = listed.OrderByDescending(j => j.Id == chosen);
        if (startsWith is not null)
            ordered = ordered.ThenByDescending(j => EF.Functions.ILike(j.Name, startsWith, Escape));
        var rows = await ordered
            .ThenBy(j => j.Path.Length - j.Path.Replace("/", "").Length)
            .ThenBy(j => j.Name).ThenBy(j => j.Id)
            .Select(j => new Found(
                new UnitOption(j.Id, j.Name, db.Jurisdictions.Where(p => p.Id == j.ParentId).Select(p => p.Name).FirstOrDefault()), j.Path))
            .Take(limit + 2)
            .ToListAsync(ct);
        return Trim(rows, r => r.Option.Id == chosen, limit);
    }

    private async Task<(List<UnitOption> Rows, bool More)> ListDepartmentsAsync(
        int? chosenId, string? text, string? withinPath, int limit, CancellationToken ct)
    {
        var chosen = chosenId ?? 0;
        var (contains, startsWith) = Patterns(text);
        var matching = ReachableDepartments();
        if (withinPath is not null)
            matching = matching.Where(d => d.Jurisdiction!.Path.StartsWith(withinPath));
        if (contains is not null)
            matching = matching.Where(d => EF.Functions.ILike(d.Name, contains, Escape));
        var listed = chosenId is null ? matching : ReachableDepartments().Where(d => d.Id == chosen).Union(matching);
        var ordered = listed.OrderByDescending(d => d.Id == chosen);
        if (startsWith is not null)
            ordered = ordered.ThenByDescending(d => EF.Functions.ILike(d.Name, startsWith, Escape));
        var rows = await ordered
            .ThenBy(d => d.Jurisdiction!.Path.Length - d.Jurisdiction.Path.Replace("/", "").Length)
            .ThenBy(d => d.Name).ThenBy(d => d.Id)
            .Select(d => new UnitOption(d.Id, d.Name, d.Jurisdiction!.Name))
            .Take(limit + 2)
            .ToListAsync(ct);
        return Trim(rows, r => r.Id == chosen, limit);
    }

    /// <summary>The chosen row (first, when found) plus at most <paramref name="limit"/> others; more when one was left over.</summary>
    private static (List<T> Rows, bool More) Trim<T>(List<T> rows, Func<T, bool> isChosen, int limit)
    {
        var kept = rows.Count > 0 && isChosen(rows[0]) ? limit + 1 : limit;
        return rows.Count > kept ? (rows[..kept], true) : (rows, false);
    }

    private IQueryable<Jurisdiction> Reachable(bool everyone)
    {
        var all = db.Jurisdictions.AsNoTracking();
        if (everyone || viewer.Is(Roles.Admin))
            return all;
        var (path, department) = Reach();
        return (path, department) switch
        {
            ({ } p, null) => all.Where(j => j.Path.StartsWith(p)),
            (null, { } d) => all.Where(j => db.Departments.Any(x => x.Id == d && x.JurisdictionId == j.Id)),
            ({ } p, { } d) => all.Where(j => j.Path.StartsWith(p) || db.Departments.Any(x => x.Id == d && x.JurisdictionId == j.Id)),
            _ => all.Where(_ => false),
        };
    }

    private IQueryable<Department> ReachableDepartments()
    {
        var all = db.Departments.AsNoTracking();
        if (viewer.Is(Roles.Admin))
            return all;
        var (path, department) = Reach();
        return (path, department) switch
        {
            ({ } p, null) => all.Where(d => d.Jurisdiction!.Path.StartsWith(p)),
            (null, { } id) => all.Where(d => d.Id == id),
            ({ } p, { } id) => all.Where(d => d.Jurisdiction!.Path.StartsWith(p) || d.Id == id),
            _ => all.Where(_ => false),
        };
    }

    /// <summary>Supervisors and deputies reach their jurisdiction's subtree; officials their department.</summary>
    private (string? Path, int? Department) Reach() => (
        viewer.Is(Roles.Supervisor) || viewer.Is(Roles.Deputy) ? viewer.JurisdictionPath : null,
        viewer.Is(Roles.Official) ? viewer.DepartmentId : null);

    private const string Escape = "\\";

    /// <summary>LIKE patterns for "contains" and "starts with" the text, its own % and _ taken literally.</summary>
    private static (string? Contains, string? StartsWith) Patterns(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return (null, null);
        var literal = text.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
        return ($"%{literal}%", $"{literal}%");
    }
}

internal sealed class UnitQueryValidator : AbstractValidator<UnitQuery>
{
    public UnitQueryValidator()
    {
        RuleFor(q => q.Q).MaximumLength(FindUnits.MaxText);
        RuleFor(q => q.Limit).InclusiveBetween(1, FindUnits.MaxLimit);
    }
}
