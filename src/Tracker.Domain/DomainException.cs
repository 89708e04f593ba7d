namespace Tracker.Domain;

/// <summary>A request that breaks a domain rule given the current state (answered with 409); <see cref="Code"/> (one of <see cref="ErrorCodes"/>) says which.</summary>
public sealed class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>The figures the message names (a limit, a count), for a page to say it in its own words.</summary>
    public IReadOnlyList<object> Args { get; init; } = [];
}
