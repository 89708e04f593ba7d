using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Directory;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Admin;

public sealed record UserInput(string? Email, string? DisplayName, string? Phone, string? Password, string[]? Roles, int? DepartmentId, int? JurisdictionId, bool? Locked);

public sealed record UserDto(string Id, string Email, string DisplayName, string? Phone, IReadOnlyList<string> Roles, int? DepartmentId, int? JurisdictionId, DateTimeOffset? LockedUntil);

public sealed record SessionDto(Guid Id, SessionKind Kind, DateTimeOffset CreatedAt, DateTimeOffset? LastRefreshedAt, int Refreshes, DateTimeOffset? EndedAt, SessionEnd? EndedWhy, string? EndedBy);

public sealed record DepartmentInput(string? Code, string? Name, int? JurisdictionId);

public sealed record JurisdictionInput(string? Code, string? Name, JurisdictionLevel? Level, int? ParentId);

/// <summary>Users, roles, departments and jurisdictions: admins only. Every write lands in the audit trail.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Administration")
            .RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        admin.MapGet("/users", ListUsers);
        admin.MapPost("/users", CreateUser).Validate<UserInput>();
        admin.MapPut("/users/{id}", UpdateUser).Validate<UserInput>().ProducesProblem(404);
        admin.MapGet("/users/{id}/sessions", ListSessions).ProducesProblem(404);
        admin.MapPost("/users/{id}/sign-out", SignOutEverywhere).ProducesProblem(404);
        admin.MapPost("/departments", CreateDepartment).Validate<DepartmentInput>().ProducesProblem(409);
        admin.MapPost("/jurisdictions", CreateJurisdiction).Validate<JurisdictionInput>().ProducesProblem(409);
        return app;
    }

    public static async Task<Ok<Paged<UserDto>>> ListUsers(string? q, int? page, int? pageSize, UserManager<TrackerUser> users, TrackerDbContext db, CancellationToken ct)
    {
        var query = users.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
            query = query.Where(u => u.Email!.Contains(q) || u.DisplayName.Contains(q));
        var users1 = await query.OrderBy(u => u.Email).ToPagedAsync(PageRequest.Of(page, pageSize, 50, 200), ct);
        var ids = users1.Items.Select(u => u.Id).ToList();
        var roles = (await db.UserRoles.Where(ur => ids.Contains(ur.UserId))
                .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(ct))
            .ToLookup(x => x.UserId, x => x.Name!);
        return TypedResults.Ok(new Paged<UserDto>([.. users1.Items.Select(u => ToDto(u, [.. roles[u.Id].Order()]))], users1.Page, users1.PageSize, users1.HasMore));
    }

    public static async Task<Results<Created<UserDto>, ValidationProblem>> CreateUser(
        UserInput input, UserManager<TrackerUser> users, TrackerDbContext db, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(input.Password))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Password"] = ["A new user needs a password."] });
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = new TrackerUser { UserName = input.Email!.Trim(), Email = input.Email.Trim(), EmailConfirmed = true };
        Apply(input, user);
        if (await users.CreateAsync(user, input.Password) is { Succeeded: false } created)
            return Problem(created);
        if (await users.AddToRolesAsync(user, input.Roles!.Distinct()) is { Succeeded: false } added)
            return Problem(added);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/admin/users/{user.Id}", ToDto(user, [.. input.Roles!.Distinct().Order()]));
    }

    public static async Task<Results<Ok<UserDto>, ValidationProblem>> UpdateUser(
        string id, UserInput input, UserManager<TrackerUser> users, TrackerDbContext db, TimeProvider time, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id) ?? throw new NotFoundException($"No user {id}.");
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        Apply(input, user);
        if (input.Locked is { } locked)
            user.LockoutEnd = locked ? DateTimeOffset.MaxValue : null;
        if (await users.UpdateAsync(user) is { Succeeded: false } updated)
            return Problem(updated);
        var current = await users.GetRolesAsync(user);
        var wanted = input.Roles!.Distinct().ToList();
        if (await users.RemoveFromRolesAsync(user, current.Except(wanted)) is { Succeeded: false } removed)
            return Problem(removed);
        if (await users.AddToRolesAsync(user, wanted.Except(current)) is { Succeeded: false } added)
            return Problem(added);
        if (!string.IsNullOrEmpty(input.Password))
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            if (await users.ResetPasswordAsync(user, token, input.Password) is { Succeeded: false } reset)
                return Problem(reset);
        }
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(ToDto(user, [.. wanted.Order()]));
    }

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

    public static async Task<Created<DepartmentDto>> CreateDepartment(DepartmentInput input, TrackerDbContext db, CancellationToken ct)
    {
        var department = new Department { Code = input.Code!.Trim(), Name = input.Name!.Trim(), JurisdictionId = input.JurisdictionId!.Value };
        db.Departments.Add(department);
        await db.SaveChangesAsync(ct);
        var jurisdiction = await db.Jurisdictions.Where(j => j.Id == department.JurisdictionId).Select(j => j.Name).SingleAsync(ct);
        return TypedResults.Created($"/api/departments?jurisdictionId={department.JurisdictionId}",
            new DepartmentDto(department.Id, department.Code, department.Name, new NamedRef(department.JurisdictionId, jurisdiction)));
    }

    public static async Task<Created<JurisdictionNode>> CreateJurisdiction(JurisdictionInput input, TrackerDbContext db, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var parentPath = input.ParentId is null ? null
            : await db.Jurisdictions.Where(j => j.Id == input.ParentId).Select(j => j.Path).SingleAsync(ct);
        var jurisdiction = new Jurisdiction { Code = input.Code!.Trim(), Name = input.Name!.Trim(), Level = input.Level!.Value, ParentId = input.ParentId };
        db.Jurisdictions.Add(jurisdiction);
        await db.SaveChangesAsync(ct);
        jurisdiction.Path = Jurisdiction.PathOf(parentPath, jurisdiction.Id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/jurisdictions?rootId={jurisdiction.Id}",
            new JurisdictionNode(jurisdiction.Id, jurisdiction.Code, jurisdiction.Name, jurisdiction.Level, []));
    }

    private static void Apply(UserInput input, TrackerUser user)
    {
        user.DisplayName = input.DisplayName!.Trim();
        user.PhoneNumber = input.Phone?.Trim();
        user.DepartmentId = input.DepartmentId;
        user.JurisdictionId = input.JurisdictionId;
    }

    private static UserDto ToDto(TrackerUser u, IReadOnlyList<string> roles) =>
        new(u.Id, u.Email!, u.DisplayName, u.PhoneNumber, roles, u.DepartmentId, u.JurisdictionId, u.LockoutEnd);

    private static ValidationProblem Problem(IdentityResult result) =>
        TypedResults.ValidationProblem(result.Errors.GroupBy(e => e.Code.Contains("Password") ? "Password" : e.Code.Contains("Email") || e.Code.Contains("UserName") ? "Email" : "User")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
}

internal sealed class UserInputValidator : AbstractValidator<UserInput>
{
    public UserInputValidator(TrackerDbContext db)
    {
        RuleFor(u => u.Email).NotEmpty().EmailAddress().MaximumLength(256);
        RuleFor(u => u.DisplayName).NotEmpty().MaximumLength(100);
        RuleFor(u => u.Phone).MaximumLength(40).Matches(@"^[0-9+\-() ]{3,40}$").When(u => !string.IsNullOrEmpty(u.Phone));
        RuleFor(u => u.Roles).NotEmpty()
            .Must(r => r!.All(Roles.All.Contains)).WithMessage($"Roles are among: {string.Join(", ", Roles.All)}.");
        RuleFor(u => u.DepartmentId).NotNull().When(u => u.Roles?.Contains(Roles.Official) == true)
            .WithMessage("An official belongs to a department.");
        RuleFor(u => u.JurisdictionId).NotNull().When(u => u.Roles?.Any(r => r is Roles.Deputy or Roles.Supervisor) == true)
            .WithMessage("Deputies and supervisors belong to a jurisdiction.");
        RuleFor(u => u.DepartmentId).MustAsync((id, ct) => db.Departments.AnyAsync(d => d.Id == id, ct))
            .When(u => u.DepartmentId is not null).WithMessage("No such department.");
        RuleFor(u => u.JurisdictionId).MustAsync((id, ct) => db.Jurisdictions.AnyAsync(j => j.Id == id, ct))
            .When(u => u.JurisdictionId is not null).WithMessage("No such jurisdiction.");
    }
}

internal sealed class DepartmentInputValidator : AbstractValidator<DepartmentInput>
{
    public DepartmentInputValidator(TrackerDbContext db)
    {
        RuleFor(d => d.Code).NotEmpty().MaximumLength(64).Matches("^[A-Za-z0-9][A-Za-z0-9._-]*$");
        RuleFor(d => d.Name).NotEmpty().MaximumLength(200);
        RuleFor(d => d.JurisdictionId).NotNull()
            .MustAsync((id, ct) => db.Jurisdictions.AnyAsync(j => j.Id == id, ct)).WithMessage("No such jurisdiction.");
    }
}

internal sealed class JurisdictionInputValidator : AbstractValidator<JurisdictionInput>
{
    public JurisdictionInputValidator(TrackerDbContext db)
    {
        RuleFor(j => j.Code).NotEmpty().MaximumLength(64).Matches("^[A-Za-z0-9][A-Za-z0-9._-]*$");
        RuleFor(j => j.Name).NotEmpty().MaximumLength(200);
        RuleFor(j => j.Level).NotNull().IsInEnum();
        RuleFor(j => j.ParentId).MustAsync((id, ct) => db.Jurisdictions.AnyAsync(j => j.Id == id, ct))
            .When(j => j.ParentId is not null).WithMessage("No such parent jurisdiction.");
    }
}
