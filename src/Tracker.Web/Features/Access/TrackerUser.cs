using Microsoft.AspNetCore.Identity;

namespace Tracker.Web.Features.Access;

/// <summary>A person who signs in. Officials belong to a department, deputies and supervisors to a jurisdiction.</summary>
public sealed class TrackerUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public int? DepartmentId { get; set; }
    public int? JurisdictionId { get; set; }
}

public static class Roles
{
    /// <summary>Reports progress on, and edits, the items of their own department.</summary>
    public const string Official = "Official";

    /// <summary>A deputy of a jurisdiction's congress: reads its livelihood items and those below it.</summary>
    public const string Deputy = "Deputy";

    /// <summary>Reads everything in their jurisdiction and below; publishes, changes status, reads the audit trail.</summary>
    public const string Supervisor = "Supervisor";

    /// <summary>Manages users, roles, departments and jurisdictions.</summary>
    public const string Admin = "Admin";

    public static readonly string[] All = [Official, Deputy, Supervisor, Admin];
}

/// <summary>Policies for whole areas of pages (signed in with the cookie).</summary>
public static class Policies
{
    public const string SignedIn = "signed-in";
    public const string Supervise = "supervise";
    public const string Report = "report";
    public const string Represent = "represent";
    public const string Administer = "administer";
}
