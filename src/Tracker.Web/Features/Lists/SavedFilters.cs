using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Lists;

/// <summary>A list's filter a person saved under a name: the query string of the list page, only of its filter keys.</summary>
public sealed class SavedFilter
{
    public long Id { get; set; }
    public required string UserId { get; set; }

    /// <summary>Which list (<see cref="FilterLists"/>): "board" or "official".</summary>
    public required string List { get; set; }

    public required string Name { get; set; }
    public required string Query { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed record SavedFilterInput(string? List, string? Name, string? Query);

public sealed record SavedFilterDto(long Id, string List, string Name, string Query, string Url);

/// <summary>The lists whose filters can be saved: each page's path, filter keys, and the roles that read it.</summary>
public static class FilterLists
{
    public const string Board = "board";
    public const string Official = "official";

    public sealed record FilterList(string Path, string[] Keys, string[] Roles);

    public static readonly IReadOnlyDictionary<string, FilterList> All = new Dictionary<string, FilterList>
    {
        [Board] = new("/supervisor", ["JurisdictionId", "DepartmentId", "JurisdictionText", "DepartmentText", "Kind", "Year", "Extended"], [Roles.Supervisor, Roles.Admin]),
        [Official] = new("/official", ["Show", "Role"], [Roles.Official]),
    };

    /// <summary>
    /// The query string kept: its pairs with a value, as given, without the leading '?'; null when it holds a key that is no
    /// filter of the list (a page number, or anything else).
    /// </summary>
    public static string? Normalize(string list, string? query)
    {
        if (!All.TryGetValue(list, out var known))
            return null;
        var pairs = QueryHelpers.ParseQuery(query);
        if (pairs.Keys.Any(k => !known.Keys.Contains(k, StringComparer.OrdinalIgnoreCase)))
            return null;
        return QueryString.Create(pairs.SelectMany(p => p.Value.Where(v => !string.IsNullOrEmpty(v)).Select(v => new KeyValuePair<string, string?>(p.Key, v))))
            .ToUriComponent().TrimStart('?');
    }

    public static string UrlOf(string list, string query) => query.Length == 0 ? All[list].Path : $"{All[list].Path}?{query}";
}

internal sealed class SavedFilterValidator : AbstractValidator<SavedFilterInput>
{
    public const int NameLength = 40;
    public const int QueryLength = 1000;

    public SavedFilterValidator()
    {
        RuleFor(f => f.List).NotEmpty().Must(l => l is not null && FilterLists.All.ContainsKey(l)).WithMessage("Not a list whose filters are saved.");
        RuleFor(f => f.Name).NotEmpty().Must(n => n is null || n.Trim().Length > 0).MaximumLength(NameLength);
        RuleFor(f => f.Query).MaximumLength(QueryLength)
            .Must((f, q) => f.List is null || !FilterLists.All.ContainsKey(f.List) || FilterLists.Normalize(f.List, q) is not null)
            .WithErrorCode(ErrorCodes.SavedFilterQuery).WithMessage("Only the list's filter keys can be saved.");
    }
}

/// <summary>A person's saved filters of one list, by name: one query by (user_id, list, name).</summary>
public sealed class ReadSavedFilters(TrackerDbContext db, Viewer viewer) : IUseCase
{
    public async Task<IReadOnlyList<SavedFilterDto>> ListAsync(string list, CancellationToken ct)
    {
        if (!viewer.IsAuthenticated)
            throw new ForbiddenException("Sign in to read saved filters.");
        var rows = await db.SavedFilters.AsNoTracking().Where(f => f.UserId == viewer.UserId && f.List == list)
            .OrderBy(f => f.Name).Take(SaveFilter.Limit).Select(f => new { f.Id, f.List, f.Name, f.Query }).ToListAsync(ct);
        return [.. rows.Select(f => new SavedFilterDto(f.Id, f.List, f.Name, f.Query, FilterLists.UrlOf(f.List, f.Query)))];
    }
}

/// <summary>
/// Saves the current filter of a list under a name, for its reader only (others of the list's roles: 403). At most
/// <see cref="Limit"/> per person, names unique per list; the person's row is locked meanwhile, so two saves at the
/// limit cannot both pass.
/// </summary>
public sealed class SaveFilter(TrackerDbContext db, Viewer viewer, OfficeClock clock, IValidator<SavedFilterInput> validator) : IUseCase
{
    public const int Limit = 20;

    public async Task<SavedFilterDto> RunAsync(SavedFilterInput input, CancellationToken ct)
    {
        if (input.List is { } named && FilterLists.All.TryGetValue(named, out var known))
            Require.Role(viewer, "Only the list's readers save its filters.", known.Roles);
        else if (!viewer.IsAuthenticated)
            throw new ForbiddenException("Sign in to save filters.");
        await validator.ValidateAndThrowAsync(input, ct);
        var list = input.List!;
        var name = input.Name!.Trim();
        var query = FilterLists.Normalize(list, input.Query)!;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM users WHERE id = {viewer.UserId} FOR UPDATE", ct);
        var mine = db.SavedFilters.Where(f => f.UserId == viewer.UserId);
        var taken = await mine.Where(f => f.List == list).Select(f => f.Name).ToListAsync(ct);
        if (taken.Contains(name))
            throw new ValidationException([new ValidationFailure(nameof(SavedFilterInput.Name), "A saved filter of this list already has that name.") { ErrorCode = ErrorCodes.SavedFilterName }]);
        if (await mine.CountAsync(ct) >= Limit)
            throw new DomainException(ErrorCodes.SavedFilterLimit, $"At most {Limit} saved filters each.") { Args = [Limit] };
        var filter = new SavedFilter { UserId = viewer.UserId!, List = list, Name = name, Query = query, CreatedAt = clock.Now };
        db.SavedFilters.Add(filter);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new SavedFilterDto(filter.Id, list, name, query, FilterLists.UrlOf(list, query));
    }
}

/// <summary>Deletes one of the person's own saved filters; anyone else's is 404, as if it did not exist.</summary>
public sealed class DeleteFilter(TrackerDbContext db, Viewer viewer) : IUseCase
{
    public async Task RunAsync(long id, CancellationToken ct)
    {
        var deleted = viewer.IsAuthenticated
            ? await db.SavedFilters.Where(f => f.Id == id && f.UserId == viewer.UserId).ExecuteDeleteAsync(ct)
            : 0;
        if (deleted == 0)
            throw new NotFoundException($"No saved filter {id}.");
    }
}

public static class SavedFiltersApi
{
    public static IEndpointRouteBuilder MapSavedFiltersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/saved-filters").WithTags("Saved filters").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("/", List);
        group.MapPost("/", Save).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:long}", Delete).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<SavedFilterDto>>> List(string list, ReadSavedFilters read, CancellationToken ct) =>
        TypedResults.Ok(await read.ListAsync(list, ct));

    public static async Task<Created<SavedFilterDto>> Save(SavedFilterInput input, SaveFilter save, CancellationToken ct)
    {
        var saved = await save.RunAsync(input, ct);
        return TypedResults.Created($"/api/saved-filters?list={saved.List}", saved);
    }

    public static async Task<NoContent> Delete(long id, DeleteFilter delete, CancellationToken ct)
    {
        await delete.RunAsync(id, ct);
        return TypedResults.NoContent();
    }
}

/// <summary>
/// What a list page shows of its saved filters (<c>Shared/_SavedFilters</c>): the person's filters, and the form that
/// saves the filters now applied (<paramref name="Current"/>, also the route values the form posts back to, so that a
/// refused save shows the same list). <paramref name="Typed"/>: the name typed, kept when the save was refused.
/// </summary>
public sealed record SavedFiltersView(IReadOnlyList<SavedFilterDto> Filters, IDictionary<string, string> Current, string? Typed, string? JustSaved)
{
    public string Query => QueryString.Create(Current.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).ToUriComponent().TrimStart('?');

    /// <summary>The non-empty filter values of a page, as route values.</summary>
    public static Dictionary<string, string> Of(params (string Key, object? Value)[] filters) =>
        filters.Select(f => (f.Key, Text: Text(f.Value))).Where(f => !string.IsNullOrEmpty(f.Text)).ToDictionary(f => f.Key, f => f.Text!);

    private static string? Text(object? value) => value switch
    {
        null or false => null,
        bool => "true",
        IFormattable x => x.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        var x => x.ToString(),
    };
}
