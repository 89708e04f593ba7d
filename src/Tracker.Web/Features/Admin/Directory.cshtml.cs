using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Admin;

/// <summary>
/// The jurisdictions nested with their departments, a page at a time (<see cref="ReadDirectory"/>), and the forms that add a
/// jurisdiction (<see cref="CreateJurisdiction"/>) and a department (<see cref="CreateDepartment"/>). The forms offer the
/// jurisdictions of the page: find one by its name or code, then add beside or below it.
/// </summary>
[Authorize(Policy = Policies.Administer)]
public sealed class DirectoryModel(ReadDirectory read) : TrackerPage
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    [BindProperty] public JurisdictionFields NewJurisdiction { get; set; } = new();
    [BindProperty] public DepartmentFields NewDepartment { get; set; } = new();

    public DirectoryPage Tree { get; private set; } = new([], 1, PageSize, false, 0, 0);

    public sealed class JurisdictionFields
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public JurisdictionLevel? Level { get; set; }
        public int? ParentId { get; set; }
    }

    public sealed class DepartmentFields
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public int? JurisdictionId { get; set; }
    }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostJurisdictionAsync([FromServices] CreateJurisdiction create, CancellationToken ct)
    {
        var f = NewJurisdiction;
        if (await SubmitAsync(() => create.RunAsync(new JurisdictionInput(f.Code, f.Name, f.Level, f.ParentId), ct), nameof(NewJurisdiction)))
            return Redirect($"/admin/directory?q={Uri.EscapeDataString(f.Code!.Trim())}&done=jurisdiction");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDepartmentAsync([FromServices] CreateDepartment create, CancellationToken ct)
    {
        var f = NewDepartment;
        if (await SubmitAsync(() => create.RunAsync(new DepartmentInput(f.Code, f.Name, f.JurisdictionId), ct), nameof(NewDepartment)))
            return Redirect($"/admin/directory?q={Uri.EscapeDataString(Q ?? "")}&p={PageNumber ?? 1}&done=department");
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>As <see cref="TrackerPage.TrySubmitAsync"/>, and a code already used (the API's 409) said beside the code.</summary>
    private async Task<bool> SubmitAsync(Func<Task> write, string prefix)
    {
        try
        {
            return await TrySubmitAsync(write, prefix);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            ModelState.AddModelError($"{prefix}.Code", ErrorMessages.For(ErrorCodes.UnitCode)!);
            return false;
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        PageNumber = Math.Clamp(PageNumber ?? 1, 1, 10_000);
        if (Q is { Length: > 100 })
            Q = Q[..100];
        Tree = await read.ListAsync(Q, PageNumber, PageSize, ct);
    }
}
