namespace Tracker.Web.Infrastructure;

/// <summary>Strong ETags from the row version (PostgreSQL's xmin).</summary>
public static class ETags
{
    public static string Format(uint version) => $"\"{version}\"";

    public static uint? FromIfMatch(HttpRequest request)
    {
        var value = request.Headers.IfMatch.ToString().Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
            value = value[2..];
        return uint.TryParse(value.Trim('"'), out var version) ? version : null;
    }
}
