using Microsoft.EntityFrameworkCore;
using Tracker.Browser.Tests.Infrastructure;

namespace Tracker.Browser.Tests;

/// <summary>Look-ups of seeded rows by their codes, for the supervision and public page tests.</summary>
public static class SupervisionHelpers
{
    public static async Task<long> ItemIdAsync(this BrowserApp app, string code)
    {
        await using var db = app.Db();
        return await db.Initiatives.Where(i => i.Code == code).Select(i => i.Id).SingleAsync();
    }

    public static async Task<int> JurisdictionIdAsync(this BrowserApp app, string code)
    {
        await using var db = app.Db();
        return await db.Jurisdictions.Where(j => j.Code == code).Select(j => j.Id).SingleAsync();
    }

    public static async Task<int> DepartmentIdAsync(this BrowserApp app, string code)
    {
        await using var db = app.Db();
        return await db.Departments.Where(d => d.Code == code).Select(d => d.Id).SingleAsync();
    }
}
