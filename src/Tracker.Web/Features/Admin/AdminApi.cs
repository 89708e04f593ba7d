using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Directory;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Admin;

public sealed record UserInput(string? Email, string? DisplayName, string? Phone, string? Password, string[]? Roles, int? DepartmentId, int? JurisdictionId, bool? Locked);

public sealed record UserDto(string Id, string Email, string DisplayName, string? Phone, IReadOnlyList<string> Roles, int? DepartmentId, int? JurisdictionId, DateTimeOffset? LockedUntil);

public sealed record SessionDto(Guid Id, SessionKind Kind, DateTimeOffset CreatedAt, DateTimeOffset? LastRefreshedAt, int Refreshes, DateTimeOffset? EndedAt, SessionEnd? EndedWhy, string? EndedBy);

public sealed record DepartmentInput(string? Code, string? Name, int? JurisdictionId);

public sealed record JurisdictionInput(string? Code, string? Name, JurisdictionLevel? Level, int? ParentId);

/// <summary>
/// Users, roles, departments, jurisdictions and the holiday calendar: admins only (the group's role, and each use case's own
/// check). Every write lands in the audit trail.
/// </summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Administration")
            .RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        admin.MapGet("/users", ListUsers).ProducesValidationProblem();
        admin.MapPost("/users", CreateUser).ProducesValidationProblem();
        admin.MapPut("/users/{id}", UpdateUser).ProducesValidationProblem().ProducesProblem(404);
        admin.MapPost("/users/{id}/lock", LockUser).ProducesValidationProblem().ProducesProblem(404);
        admin.MapPost("/users/{id}/reset-link", IssueResetLink).ProducesProblem(404);
        admin.MapGet("/users/{id}/sessions", ListSessions).ProducesProblem(404);
        admin.MapPost("/users/{id}/sign-out", SignOutEverywhere).ProducesProblem(404);
        admin.MapPost("/departments", CreateDepartment).ProducesValidationProblem().ProducesProblem(409);
        admin.MapPost("/jurisdictions", CreateJurisdiction).ProducesValidationProblem().ProducesProblem(409);
        admin.MapGet("/calendar", ListCalendarYears);
        admin.MapPut("/calendar/{year:int}", ImportCalendarYear).Accepts<CalendarDay[]>("application/json").ProducesValidationProblem()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(CalendarModel.MaxBytes));
        return app;
    }

    /// <summary>Users by email, with the total the search (<c>q</c>: part of an email or a name) matches.</summary>
    public static async Task<Ok<UserPage>> ListUsers(string? q, int? page, int? pageSize, ReadUsers read, CancellationToken ct) =>
        TypedResults.Ok(await read.ListAsync(q, page, pageSize, ct));

    public static async Task<Created<UserDto>> CreateUser(UserInput input, CreateUser create, CancellationToken ct)
    {
        var user = await create.RunAsync(input, ct);
        return TypedResults.Created($"/api/admin/users/{user.Id}", user);
    }

    public static async Task<Ok<UserDto>> UpdateUser(string id, UserInput input, EditUser edit, CancellationToken ct) =>
        TypedResults.Ok(await edit.RunAsync(id, input, ct));

    /// <summary>Locks the user out until unlocked (their sessions end), or lifts a lock.</summary>
    public static async Task<Ok<UserDto>> LockUser(string id, LockChange change, LockUser lockUser, CancellationToken ct) =>
        TypedResults.Ok(await lockUser.RunAsync(id, change, ct));

    /// <summary>A link (a path of this service) with which the user sets a new password; good once, kept nowhere.</summary>
    public static async Task<Ok<ResetLink>> IssueResetLink(string id, IssueResetLink issue, CancellationToken ct) =>
        TypedResults.Ok(await issue.RunAsync(id, ct));

    /// <summary>A user's sign-ins, newest first: open ones and ended ones, with when, why and by whom they ended.</summary>
    public static async Task<Ok<Paged<SessionDto>>> ListSessions(string id, int? page, int? pageSize, UserManager<TrackerUser> users, TrackerDbContext db, CancellationToken ct)
    {
        if (!await users.Users.AnyAsync(u => u.Id == id, ct))
            throw new NotFoundException($"No user {id}.");
        return TypedResults.Ok(await db.UserSessions.AsNoTracking().Where(s => s.UserId == id).OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Select(s => new SessionDto(s.Id, s.Kind, s.CreatedAt, s.LastRefreshedAt, s.RefreshGeneration, s.EndedAt, s.EndedWhy, s.EndedBy))
            .ToPagedAsync(PageRequest.Of(page, pageSize, 50, 200), ct));
    }

    /// <summary>Ends every session of the user at once: their cookies and tokens stop working on the next request.</summary>
    public static async Task<Ok<SessionsEnded>> SignOutEverywhere(string id, EndSessions end, CancellationToken ct) =>
        TypedResults.Ok(await end.EverywhereAsync(id, ct));

    public static async Task<Created<DepartmentDto>> CreateDepartment(DepartmentInput input, CreateDepartment create, CancellationToken ct)
    {
        var department = await create.RunAsync(input, ct);
        return TypedResults.Created($"/api/departments?jurisdictionId={department.Jurisdiction.Id}", department);
    }

    public static async Task<Created<JurisdictionNode>> CreateJurisdiction(JurisdictionInput input, CreateJurisdiction create, CancellationToken ct)
    {
        var jurisdiction = await create.RunAsync(input, ct);
        return TypedResults.Created($"/api/jurisdictions?rootId={jurisdiction.Id}", jurisdiction);
    }

    /// <summary>The years of the holiday calendar loaded, with their days off and weekend working days.</summary>
    public static async Task<Ok<IReadOnlyList<CalendarYear>>> ListCalendarYears(ReadCalendar read, CancellationToken ct) =>
        TypedResults.Ok(await read.YearsAsync(ct));

    /// <summary>
    /// Replaces a year of the holiday calendar with the body: seed/holidays.json's shape, an array of
    /// <c>{ "day": "2027-01-01", "kind": "Holiday", "name": "元旦" }</c>. A bad entry refuses all, naming its line.
    /// </summary>
    public static async Task<Ok<CalendarImported>> ImportCalendarYear(int year, HttpRequest request, ImportCalendar import, CancellationToken ct)
    {
        // The endpoint's size limit stops a long body as it is read; checked here too for a clear problem document.
        if (request.ContentLength > CalendarModel.MaxBytes)
            throw new BadHttpRequestException("A year's calendar is far smaller than this.", StatusCodes.Status413PayloadTooLarge);
        var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        if (body.Length > CalendarModel.MaxBytes)
            throw new BadHttpRequestException("A year's calendar is far smaller than this.", StatusCodes.Status413PayloadTooLarge);
        return TypedResults.Ok(await import.RunAsync(year, CalendarFiles.FromJson(body.ToArray()), ct));
    }
}
