using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Ledgers;

/// <summary>An item's ledger (台账): counts by status and category, filters, the rows a page at a time, export and import.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class LedgerModel(ReadLedger read, LedgerAccess access, TrackerDbContext db) : TrackerPage
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty(SupportsGet = true)] public LedgerRowStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Category { get; set; }
    [BindProperty(SupportsGet = true)] public LedgerSeverity? Severity { get; set; }
    [BindProperty(SupportsGet = true)] public bool? Overdue { get; set; }
    [BindProperty(SupportsGet = true)] public long? After { get; set; }

    public LedgerPage Ledger { get; private set; } = null!;
    public string Code { get; private set; } = "";
    public string Title { get; private set; } = "";
    public bool MayRecord { get; private set; }

    /// <summary>The filters as query values, for the export links and the next page.</summary>
    public Dictionary<string, string> Filters => new[]
    {
        ("status", Status?.ToString()), ("category", Category), ("severity", Severity?.ToString()), ("overdue", Overdue == true ? "true" : null),
    }.Where(f => f.Item2 is not null).ToDictionary(f => f.Item1, f => f.Item2!);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var item = await access.ReadableAsync(Id, ct);
        MayRecord = access.MayRecord(item);
        var named = await db.Initiatives.Where(i => i.Id == Id).Select(i => new { i.Code, i.Title }).SingleAsync(ct);
        (Code, Title) = (named.Code, named.Title);
        Ledger = await read.PageAsync(Id, new LedgerQuery(Status, Category, Severity, null, Overdue, After, 50), ct);
    }
}
