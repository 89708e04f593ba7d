namespace Tracker.Domain;

/// <summary>A request that breaks a domain rule given the item's current state (answered with 409).</summary>
public sealed class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
