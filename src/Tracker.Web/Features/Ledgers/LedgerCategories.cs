using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Ledgers;

/// <summary>
/// The industry fields (行业领域) a jurisdiction's ledger rows are filed under: its own list, after its ancestors'. Anyone
/// signed in reads a list; the jurisdiction's supervisors (or those above) and admins replace its own part.
/// </summary>
public sealed class LedgerCategories(TrackerDbContext db, Viewer viewer) : IUseCase
{
    public async Task<IReadOnlyList<string>> ListAsync(int jurisdictionId, CancellationToken ct)
    {
        var path = await db.Jurisdictions.Where(j => j.Id == jurisdictionId).Select(j => j.Path).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"No jurisdiction {jurisdictionId}.");
        return await LedgerChecks.CategoriesAsync(db, path, ct);
    }

    public async Task<IReadOnlyList<string>> SetAsync(int jurisdictionId, string[]? names, CancellationToken ct)
    {
        await ItemAccess.RequireSupervisorOfAsync(db, viewer, jurisdictionId, "Only the jurisdiction's supervisors keep its list of categories.", ct);
        var list = (names ?? throw Invalid("The list is missing.")).Select(n => n?.Trim() ?? "").ToList();
        if (list.Any(n => n.Length is 0 or > 50) || list.Count > 100 || list.Distinct().Count() != list.Count)
            throw Invalid("Categories are 1 to 50 characters, at most 100, each once.");

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.LedgerCategories.RemoveRange(await db.LedgerCategories.Where(c => c.JurisdictionId == jurisdictionId).ToListAsync(ct));
        await db.SaveChangesAsync(ct);
        db.LedgerCategories.AddRange(list.Select((n, i) => new LedgerCategory { JurisdictionId = jurisdictionId, Name = n, Position = i }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return await ListAsync(jurisdictionId, ct);
    }

    private static ValidationException Invalid(string message) => new([new ValidationFailure("names", message)]);
}
