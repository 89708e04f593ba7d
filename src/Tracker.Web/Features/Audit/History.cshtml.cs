using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Audit;

/// <summary>
/// An item's audit trail through <see cref="ReadAudit"/>: who changed what, before and after, filtered by action, kind
/// of record, person and office dates, a page at a time with the total. Whoever reads the item reads its history.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class HistoryModel(ReadAudit read, OfficeClock clock, Data.TrackerDbContext db) : TrackerPage
{
    public const int PageSize = 25;

    public sealed record Change(string Field, string? Before, string? After);

    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty(SupportsGet = true)] public string? Action { get; set; }
    [BindProperty(SupportsGet = true)] public string? EntityType { get; set; }
    [BindProperty(SupportsGet = true)] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }

    public string Code { get; private set; } = "";
    public string Title { get; private set; } = "";
    public Paged<AuditDto> Entries { get; private set; } = new([], 1, PageSize, false);
    public int Total { get; private set; }
    public AuditChoices Choices { get; private set; } = new([], []);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Clamp(PageNumber ?? 1, 1, 10_000);
        // The choices check that the viewer reads the item (404 otherwise) before anything of it is shown.
        Choices = await read.ChoicesAsync(Id, ct);
        var item = await db.Initiatives.AsNoTracking().Where(i => i.Id == Id).Select(i => new { i.Code, i.Title }).SingleAsync(ct);
        (Code, Title) = (item.Code, item.Title);
        if (!ModelState.IsValid)
            return Page();

        // Office dates, both days whole: from the start of From to the start of the day after To.
        var query = new AuditQuery(Id, Blank(EntityType), null, Blank(UserId), From is { } from ? clock.StartOf(from) : null,
            To is { } to ? clock.StartOf(to.AddDays(1)) : null, PageNumber, PageSize, Blank(Action));
        try
        {
            var trail = await read.ListAsync(query, withTotal: true, ct);
            (Entries, Total) = (trail.Entries, trail.Total ?? 0);
        }
        catch (ValidationException e)
        {
            // A filter refused is said beside its field; the page shows no rows rather than rows the filter did not ask for.
            foreach (var failure in e.Errors)
                ModelState.AddModelError(failure.PropertyName,
                    ErrorMessages.For(failure.ErrorCode, failure.CustomState as IReadOnlyList<object>) ?? failure.ErrorMessage);
        }
        return Page();
    }

    /// <summary>The fields a write changed, each with its value before and after (a creation has no before, a deletion no after).</summary>
    public static IReadOnlyList<Change> Changes(AuditDto entry)
    {
        var before = Fields(entry.Before);
        var after = Fields(entry.After);
        return [.. before.Keys.Union(after.Keys).Select(k => new Change(k, before.GetValueOrDefault(k), after.GetValueOrDefault(k)))];
    }

    /// <summary>The query string of these filters on another page.</summary>
    public object Route(int page) => new { Id, Action, EntityType, UserId, From = From?.ToString("yyyy-MM-dd"), To = To?.ToString("yyyy-MM-dd"), p = page };

    private static Dictionary<string, string?> Fields(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return [];
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind != JsonValueKind.Object
            ? new() { ["—"] = json }
            : document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => p.Value.GetString(),
                _ => p.Value.GetRawText(),
            });
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
