namespace Tracker.Web.Infrastructure;

/// <summary>Strong ETags from the row version (PostgreSQL's xmin).</summary>
public static class ETags
{
    public static string Format(uint version) => $"\"{version}\"";

    /// <summary>
    /// The change applies to the version the client read (an entity's <c>Version</c>, PostgreSQL's xmin): a stale one is
    /// a conflict now, and the UPDATE carries "WHERE xmin = (that version)", so a concurrent change in between matches no
    /// row and is a conflict too.
    /// </summary>
    public static void Expect(Microsoft.EntityFrameworkCore.DbContext db, object entity, uint expected)
    {
        var version = db.Entry(entity).Property("Version");
        version.OriginalValue = expected;
        if ((uint)version.CurrentValue! != expected)
            throw new Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException("Stale ETag.");
    }

    public static uint? FromIfMatch(HttpRequest request) => TryParse(request.Headers.IfMatch.ToString());

    /// <summary>The version an ETag names (a form's hidden field, an If-Match header), or null for none.</summary>
    public static uint? TryParse(string? etag)
    {
        var value = etag?.Trim() ?? "";
        if (value.StartsWith("W/", StringComparison.Ordinal))
            value = value[2..];
        return uint.TryParse(value.Trim('"'), out var version) ? version : null;
    }
}
