using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;

namespace Tracker.Web.Features.Programmes;

/// <summary>
/// Item trees (a kindergarten programme and its kindergartens): where an item may hang, and its parts' progress rolled
/// up by weight (<see cref="RollUp.Tree"/>) over what the reader may read, the rest counted as hidden.
/// </summary>
public static class ItemTrees
{
    /// <summary>How deep a tree goes: a programme, its projects, their parts… five levels is more than any report names.</summary>
    public const int MaxDepth = 5;

    /// <summary>
    /// A parent the item names must be one the writer may read, of the item's jurisdiction or above it, not the item
    /// itself nor one of its parts, and not so deep that the item would pass <see cref="MaxDepth"/>. Refused as a field error.
    /// </summary>
    public static async Task CheckParentAsync(TrackerDbContext db, Viewer viewer, long? itemId, InitiativeInput input, CancellationToken ct)
    {
        if (input.ParentId is not { } parentId)
            return;
        var parent = await db.Initiatives.Where(viewer.CanRead()).Where(i => i.Id == parentId)
            .Select(i => new { i.JurisdictionPath, Path = db.Jurisdictions.Where(j => j.Id == input.JurisdictionId).Select(j => j.Path).FirstOrDefault() })
            .SingleOrDefaultAsync(ct);
        string? error = null;
        if (parent is null)
            error = $"No item {parentId}.";
        else if (parent.Path is null || !parent.Path.StartsWith(parent.JurisdictionPath, StringComparison.Ordinal))
            error = "A part lies in its parent's jurisdiction or below it.";
        else
        {
            var ancestors = await db.Database.SqlQuery<long>($"""
                WITH RECURSIVE up(id, parent_id, depth) AS (
                    SELECT id, parent_id, 1 FROM initiatives WHERE id = {parentId}
                    UNION ALL
                    SELECT i.id, i.parent_id, up.depth + 1 FROM initiatives i JOIN up ON i.id = up.parent_id WHERE up.depth <= {MaxDepth})
                SELECT id AS "Value" FROM up
                """).ToListAsync(ct);
            if (itemId is { } id && ancestors.Contains(id))
                error = "An item cannot be a part of itself or of one of its parts.";
            else if (ancestors.Count >= MaxDepth)
                error = $"An item tree is at most {MaxDepth} levels deep.";
        }
        if (error is not null)
            throw new ValidationException([new ValidationFailure(nameof(InitiativeInput.ParentId), error)]);
    }

    /// <summary>
    /// The rolled-up progress of those of <paramref name="ids"/> that have parts, over their whole trees: two queries
    /// whatever their number (the trees, and which of their items the viewer may read).
    /// </summary>
    public static async Task<IReadOnlyDictionary<long, RolledProgress>> RollAsync(TrackerDbContext db, Viewer viewer, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
            return new Dictionary<long, RolledProgress>();
        var roots = ids.ToArray();
        var rows = await db.Database.SqlQuery<TreeRow>($"""
            WITH RECURSIVE down(id, depth) AS (
                SELECT id, 0 FROM initiatives WHERE id = ANY({roots})
                UNION ALL
                SELECT i.id, down.depth + 1 FROM initiatives i JOIN down ON i.parent_id = down.id WHERE down.depth < {MaxDepth})
            SELECT i.id, i.parent_id, i.weight, i.status, i.progress, i.last_reported_at IS NOT NULL AS reported
            FROM initiatives i WHERE i.id IN (SELECT id FROM down)
            """).ToListAsync(ct);
        if (rows.Count <= roots.Length)
            return new Dictionary<long, RolledProgress>();
        var all = rows.Select(r => r.Id).ToList();
        var readable = (await db.Initiatives.Where(viewer.CanRead()).Where(i => all.Contains(i.Id)).Select(i => i.Id).ToListAsync(ct)).ToHashSet();
        var tree = RollUp.Tree(rows.Select(r => new RollUpItem(r.Id, r.ParentId, r.Weight, Enum.Parse<InitiativeStatus>(r.Status), Phase.Preparation,
            HealthColour.Grey, r.Progress, r.Reported, DateOnly.MinValue, Readable: readable.Contains(r.Id))));
        return roots.Where(id => tree.TryGetValue(id, out var rolled) && (rolled.FromChildren || rolled.Hidden > 0)).ToDictionary(id => id, id => tree[id]);
    }

    internal sealed record TreeRow(long Id, long? ParentId, decimal Weight, string Status, decimal Progress, bool Reported);
}

/// <summary>A key project's completed investment, kept by the reports that carry one: the month's figure, and the year's sum on its facts.</summary>
public static class KeptInvestment
{
    /// <summary>In the report's transaction: the month's figure set (a correction replaces it), then the year's sum and its twelve months on the facts.</summary>
    public static async Task RecordAsync(TrackerDbContext db, Initiative item, long reportId, DateOnly month, decimal invested, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO investment_months (initiative_id, month, completed, report_id) VALUES ({item.Id}, {month}, {invested}, {reportId})
            ON CONFLICT (initiative_id, month) DO UPDATE SET completed = excluded.completed, report_id = excluded.report_id
            """, ct);
        // The year's twelve months, and their sum.
        await db.Database.ExecuteSqlAsync($"""
            UPDATE key_projects SET (completed_by_month, completed_investment) = (
                SELECT array_agg(amount ORDER BY g), sum(amount) FROM (
                    SELECT g, coalesce(sum(m.completed), 0) AS amount FROM generate_series(1, 12) g
                    LEFT JOIN investment_months m ON m.initiative_id = {item.Id} AND m.month = make_date({item.Year}, g, 1)
                    GROUP BY g) months)
            WHERE initiative_id = {item.Id}
            """, ct);
    }
}
