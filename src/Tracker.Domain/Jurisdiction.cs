namespace Tracker.Domain;

/// <summary>A city, county/district or township/street; nests to any depth.</summary>
public sealed class Jurisdiction
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public JurisdictionLevel Level { get; set; }
    public int? ParentId { get; set; }

    /// <summary>Materialized path of ids, e.g. "/1/4/17/": descendants share the prefix.</summary>
    public string Path { get; set; } = "/";

    public static string PathOf(string? parentPath, int id) => $"{parentPath ?? "/"}{id}/";
}

/// <summary>A responsible department (责任单位) of one jurisdiction.</summary>
public sealed class Department
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public int JurisdictionId { get; set; }
    public Jurisdiction? Jurisdiction { get; set; }

    /// <summary>The department's head, told from escalation level 2 on.</summary>
    public string? HeadName { get; set; }

    public string? HeadEmail { get; set; }
}
