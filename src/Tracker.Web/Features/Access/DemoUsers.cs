using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;

namespace Tracker.Web.Features.Access;

/// <summary>
/// One demo user per role, made only in Development (passwords in the README). Anywhere else the
/// service refuses to start while any of them still has its demo password.
/// </summary>
public sealed class DemoUsers(UserManager<TrackerUser> users, RoleManager<IdentityRole> roles, TrackerDbContext db, ILogger<DemoUsers> logger)
{
    public const string Password = "Demo-2026-tracker";

    public sealed record Demo(string Email, string DisplayName, string Role, string? Department, string? Jurisdiction);

    public static readonly Demo[] All =
    [
        new("official@demo.tracker", "演示·衡水市民政局科员", Roles.Official, "HS-MZJ", null),
        new("deputy@demo.tracker", "演示·衡水市人大代表", Roles.Deputy, null, "HS"),
        new("supervisor@demo.tracker", "演示·衡水市督查室", Roles.Supervisor, null, "HS"),
        new("admin@demo.tracker", "演示·系统管理员", Roles.Admin, null, null),
    ];

    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All.Where(r => !roles.Roles.Any(x => x.Name == r)))
            await roles.CreateAsync(new IdentityRole(role));
    }

    public async Task SeedAsync()
    {
        foreach (var demo in All)
        {
            if (await users.FindByEmailAsync(demo.Email) is not null)
                continue;
            var user = new TrackerUser
            {
                UserName = demo.Email,
                Email = demo.Email,
                EmailConfirmed = true,
                DisplayName = demo.DisplayName,
                DepartmentId = demo.Department is null ? null : await db.Departments.Where(d => d.Code == demo.Department).Select(d => d.Id).SingleAsync(),
                JurisdictionId = demo.Jurisdiction is null ? null : await db.Jurisdictions.Where(j => j.Code == demo.Jurisdiction).Select(j => j.Id).SingleAsync(),
            };
            Check(await users.CreateAsync(user, Password));
            Check(await users.AddToRoleAsync(user, demo.Role));
            logger.LogInformation("Demo user {Email} ({Role}) created", demo.Email, demo.Role);
        }
        await EnsureDeputyGroupAsync();
    }

    /// <summary>
    /// The demo deputy supervises the city's livelihood and voted items in a group of their own, so that their home, the
    /// inspection form and the rating form have something to show.
    /// </summary>
    private async Task EnsureDeputyGroupAsync()
    {
        var deputy = await users.FindByEmailAsync(All.Single(d => d.Role == Roles.Deputy).Email);
        if (deputy?.JurisdictionId is not { } city || await db.DeputyGroups.AnyAsync(g => g.MemberUserIds.Contains(deputy.Id)))
            return;
        var items = await db.Initiatives.Where(Initiative.ForDeputies).Where(i => i.JurisdictionId == city)
            .OrderBy(i => i.Code).Select(i => i.Id).ToListAsync();
        if (items.Count == 0)
            return;
        db.DeputyGroups.Add(new DeputyGroup { JurisdictionId = city, Name = "演示·民生实事代表监督小组", MemberUserIds = [deputy.Id], InitiativeIds = items });
        await db.SaveChangesAsync();
    }

    /// <summary>The demo accounts whose password is still the published one.</summary>
    public async Task<IReadOnlyList<string>> WithDemoPasswordAsync()
    {
        var found = new List<string>();
        foreach (var demo in All)
            if (await users.FindByEmailAsync(demo.Email) is { } user && await users.CheckPasswordAsync(user, Password))
                found.Add(demo.Email);
        return found;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
