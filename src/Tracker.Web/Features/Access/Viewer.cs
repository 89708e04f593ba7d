using System.Linq.Expressions;
using System.Security.Claims;
using Tracker.Domain;
using Tracker.Web.Features.Audit;

namespace Tracker.Web.Features.Access;

/// <summary>
/// Who is asking, as the sign-in put it into the claims, and what that lets them read and write.
/// Reading is a filter (an expression EF runs in SQL), so lists, counts, searches and single items
/// are scoped by the same rule.
/// </summary>
public sealed class Viewer : IAuditActor
{
    public const string DepartmentClaim = "tracker:department";
    public const string JurisdictionClaim = "tracker:jurisdiction";
    public const string JurisdictionPathClaim = "tracker:jurisdiction_path";
    public const string DisplayNameClaim = "tracker:name";
    public const string SessionClaim = "tracker:session";

    public static readonly Viewer Anonymous = new(null, "anonymous", new HashSet<string>(), null, null, null);

    public Viewer(string? userId, string userName, IReadOnlySet<string> roles, int? departmentId, int? jurisdictionId, string? jurisdictionPath, Guid? sessionId = null)
    {
        SessionId = sessionId;
        UserId = userId;
        UserName = userName;
        Roles = roles;
        DepartmentId = departmentId;
        JurisdictionId = jurisdictionId;
        JurisdictionPath = jurisdictionPath;
    }

    public string? UserId { get; }
    public string UserName { get; }
    public IReadOnlySet<string> Roles { get; }
    public int? DepartmentId { get; }
    public int? JurisdictionId { get; }
    public string? JurisdictionPath { get; }

    /// <summary>The sign-in (<see cref="UserSession"/>) this request came with.</summary>
    public Guid? SessionId { get; }

    public bool IsAuthenticated => UserId is not null;
    public bool Is(string role) => Roles.Contains(role);

    public static Viewer From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
            return Anonymous;
        static int? Int(string? s) => int.TryParse(s, out var v) ? v : null;
        return new Viewer(
            principal.FindFirstValue(ClaimTypes.NameIdentifier),
            principal.FindFirstValue(DisplayNameClaim) ?? principal.Identity.Name ?? "",
            principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(),
            Int(principal.FindFirstValue(DepartmentClaim)),
            Int(principal.FindFirstValue(JurisdictionClaim)),
            principal.FindFirstValue(JurisdictionPathClaim),
            Guid.TryParse(principal.FindFirstValue(SessionClaim), out var session) ? session : null);
    }

    /// <summary>The initiatives this viewer may see: admins all; supervisors their jurisdiction and below;
    /// deputies the items they supervise there (livelihood items and voted items of any kind, <see cref="Initiative.ForDeputies"/>); officials those their department leads or co-operates on.</summary>
    public Expression<Func<Initiative, bool>> CanRead()
    {
        if (Is(Admin))
            return _ => true;
        var department = DepartmentId ?? -1;
        var path = JurisdictionPath ?? "-";
        var rules = new List<Expression<Func<Initiative, bool>>>();
        if (Is(Official) && DepartmentId is not null)
            rules.Add(i => i.LeadDepartmentId == department || i.CoDepartments.Any(c => c.DepartmentId == department));
        if (Is(Supervisor) && JurisdictionPath is not null)
            rules.Add(i => i.JurisdictionPath.StartsWith(path));
        else if (Is(Deputy) && JurisdictionPath is not null)
            rules.Add(Join(Initiative.ForDeputies, i => i.JurisdictionPath.StartsWith(path), Expression.AndAlso));
        return rules.Count == 0 ? _ => false : rules.Aggregate((a, b) => Join(a, b, Expression.OrElse));
    }

    /// <summary>Editing the item itself: the lead department's officials.</summary>
    public bool CanEdit(Initiative i) => Is(Official) && DepartmentId == i.LeadDepartmentId;

    /// <summary>Reporting progress: officials of the lead or a co-operating department.</summary>
    public bool CanReport(Initiative i) => CanReport(i.LeadDepartmentId, i.CoDepartments.Select(c => c.DepartmentId));

    /// <summary>The same, from the departments of an item already read.</summary>
    public bool CanReport(int leadDepartmentId, IEnumerable<int> coDepartmentIds) =>
        Is(Official) && DepartmentId is { } d && (leadDepartmentId == d || coDepartmentIds.Contains(d));

    /// <summary>Status changes: the lead department, or a supervisor over the item's jurisdiction.</summary>
    public bool CanChangeStatus(Initiative i, string jurisdictionPath) => CanEdit(i) || Supervises(jurisdictionPath);

    /// <summary>Answering what is addressed to a department (a supervision notice, a deputies' follow-up request): its officials.</summary>
    public bool SpeaksFor(int departmentId) => Is(Official) && DepartmentId == departmentId;

    public bool Supervises(string jurisdictionPath) =>
        Is(Supervisor) && JurisdictionPath is not null && jurisdictionPath.StartsWith(JurisdictionPath, StringComparison.Ordinal);

    private const string Admin = global::Tracker.Web.Features.Access.Roles.Admin;
    private const string Official = global::Tracker.Web.Features.Access.Roles.Official;
    private const string Supervisor = global::Tracker.Web.Features.Access.Roles.Supervisor;
    private const string Deputy = global::Tracker.Web.Features.Access.Roles.Deputy;

    private static Expression<Func<Initiative, bool>> Join(
        Expression<Func<Initiative, bool>> a, Expression<Func<Initiative, bool>> b, Func<Expression, Expression, BinaryExpression> join)
    {
        var body = new Rebind(b.Parameters[0], a.Parameters[0]).Visit(b.Body);
        return Expression.Lambda<Func<Initiative, bool>>(join(a.Body, body), a.Parameters);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
