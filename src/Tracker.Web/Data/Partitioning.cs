using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tracker.Web.Data;

/// <summary>
/// The history tables are partitioned by year in PostgreSQL (decision 0020), which EF Core does not model: their keys
/// carry the partition column only because PostgreSQL requires it. Marking that column lets the rest of the code keep
/// naming a row by its own id (the audit's entity ids).
/// </summary>
internal static class Partitioning
{
    private const string KeyAnnotation = "Tracker:PartitionKey";

    public static PropertyBuilder<T> IsPartitionKey<T>(this PropertyBuilder<T> property) => property.HasAnnotation(KeyAnnotation, true);

    public static bool IsPartitionKey(this IReadOnlyProperty property) => property[KeyAnnotation] is true;
}
