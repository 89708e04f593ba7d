using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Directory;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Admin;

/// <summary>A jurisdiction of the tree as the admin's page lists it: its depth below the top, its parent, its departments.</summary>
public sealed record DirectoryJurisdiction(int Id, string Code, string Name, JurisdictionLevel Level, int? ParentId, string? ParentName, int Depth,
    IReadOnlyList<DirectoryDepartment> Departments);

public sealed record DirectoryDepartment(int Id, string Code, string Name);

/// <summary>A page of the tree, depth first, with how many jurisdictions match and how many departments there are in all.</summary>
public sealed record DirectoryPage(IReadOnlyList<DirectoryJurisdiction> Items, int Page, int PageSize, bool HasMore, int Total, int Departments);

/// <summary>The jurisdictions, nested, with their departments: a page at a time, in five queries whatever its size.</summary>
public sealed class ReadDirectory(TrackerDbContext db, Viewer viewer) : IUseCase
{
    public const int DefaultPageSize = 20;

    public async Task<DirectoryPage> ListAsync(string? q, int? page, int? pageSize, CancellationToken ct)
    {
        AdminOnly.Check(viewer);
        q = q?.Trim();
        if (q is { Length: > 100 })
            throw new ValidationException([new FluentValidation.Results.ValidationFailure("Q", "Search with at most 100 characters.")]);
        var jurisdictions = db.Jurisdictions.AsNoTracking();
        if (!string.IsNullOrEmpty(q))
            jurisdictions = jurisdictions.Where(j => j.Code.Contains(q) || j.Name.Contains(q));
        var total = await jurisdictions.CountAsync(ct);
        var departments = await db.Departments.CountAsync(ct);
        // Byte order of the path ("/1/4/" before "/1/4/17/" before "/1/40/") lists each jurisdiction right above those below it.
        var found = await jurisdictions.OrderBy(j => EF.Functions.Collate(j.Path, "C"))
            .Select(j => new { j.Id, j.Code, j.Name, j.Level, j.ParentId, j.Path })
            .ToPagedAsync(PageRequest.Of(page, pageSize, DefaultPageSize, 100), ct);
        var ids = found.Items.Select(j => j.Id).ToList();
        var parentIds = found.Items.Where(j => j.ParentId is not null).Select(j => j.ParentId!.Value).Distinct().ToList();
        var parents = await db.Jurisdictions.Where(j => parentIds.Contains(j.Id)).ToDictionaryAsync(j => j.Id, j => j.Name, ct);
        var byJurisdiction = (await db.Departments.AsNoTracking().Where(d => ids.Contains(d.JurisdictionId)).OrderBy(d => d.Code)
            .Select(d => new { d.JurisdictionId, Department = new DirectoryDepartment(d.Id, d.Code, d.Name) }).ToListAsync(ct))
            .ToLookup(d => d.JurisdictionId, d => d.Department);
        return new DirectoryPage([.. found.Items.Select(j => new DirectoryJurisdiction(j.Id, j.Code, j.Name, j.Level, j.ParentId,
                j.ParentId is { } p ? parents.GetValueOrDefault(p) : null, j.Path.Count(c => c == '/') - 2, [.. byJurisdiction[j.Id]]))],
            found.Page, found.PageSize, found.HasMore, total, departments);
    }
}

/// <summary>An admin adds a department to a jurisdiction. A code already used is refused (409 for the API, beside the code on the page).</summary>
public sealed class CreateDepartment(TrackerDbContext db, Viewer viewer, IValidator<DepartmentInput> validator) : IUseCase
{
    public async Task<DepartmentDto> RunAsync(DepartmentInput input, CancellationToken ct)
    {
        AdminOnly.Check(viewer);
        await validator.ValidateAndThrowAsync(input, ct);
        var department = new Department { Code = input.Code!.Trim(), Name = input.Name!.Trim(), JurisdictionId = input.JurisdictionId!.Value };
        db.Departments.Add(department);
        await db.SaveChangesAsync(ct);
        var jurisdiction = await db.Jurisdictions.Where(j => j.Id == department.JurisdictionId).Select(j => j.Name).SingleAsync(ct);
        return new DepartmentDto(department.Id, department.Code, department.Name, new NamedRef(department.JurisdictionId, jurisdiction));
    }
}

/// <summary>An admin adds a jurisdiction, at the top or under another. A code already used is refused as for departments.</summary>
public sealed class CreateJurisdiction(TrackerDbContext db, Viewer viewer, IValidator<JurisdictionInput> validator) : IUseCase
{
    public async Task<JurisdictionNode> RunAsync(JurisdictionInput input, CancellationToken ct)
    {
        AdminOnly.Check(viewer);
        await validator.ValidateAndThrowAsync(input, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var parentPath = input.ParentId is null ? null
            : await db.Jurisdictions.Where(j => j.Id == input.ParentId).Select(j => j.Path).SingleAsync(ct);
        var jurisdiction = new Jurisdiction { Code = input.Code!.Trim(), Name = input.Name!.Trim(), Level = input.Level!.Value, ParentId = input.ParentId };
        db.Jurisdictions.Add(jurisdiction);
        await db.SaveChangesAsync(ct);
        jurisdiction.Path = Jurisdiction.PathOf(parentPath, jurisdiction.Id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new JurisdictionNode(jurisdiction.Id, jurisdiction.Code, jurisdiction.Name, jurisdiction.Level, []);
    }
}

internal sealed class DepartmentInputValidator : AbstractValidator<DepartmentInput>
{
    public DepartmentInputValidator(TrackerDbContext db)
    {
        RuleFor(d => d.Code).NotEmpty().MaximumLength(64).Matches("^[A-Za-z0-9][A-Za-z0-9._-]*$").WithErrorCode(ErrorCodes.CodeFormat)
            .WithMessage("A code holds letters, digits, '.', '_' and '-', starting with a letter or digit.");
        RuleFor(d => d.Name).NotEmpty().MaximumLength(200);
        RuleFor(d => d.JurisdictionId).NotNull()
            .MustAsync((id, ct) => db.Jurisdictions.AnyAsync(j => j.Id == id, ct)).WithErrorCode(ErrorCodes.NoSuchUnit).WithMessage("No such jurisdiction.");
    }
}

internal sealed class JurisdictionInputValidator : AbstractValidator<JurisdictionInput>
{
    public JurisdictionInputValidator(TrackerDbContext db)
    {
        RuleFor(j => j.Code).NotEmpty().MaximumLength(64).Matches("^[A-Za-z0-9][A-Za-z0-9._-]*$").WithErrorCode(ErrorCodes.CodeFormat)
            .WithMessage("A code holds letters, digits, '.', '_' and '-', starting with a letter or digit.");
        RuleFor(j => j.Name).NotEmpty().MaximumLength(200);
        RuleFor(j => j.Level).NotNull().IsInEnum();
        RuleFor(j => j.ParentId).MustAsync((id, ct) => db.Jurisdictions.AnyAsync(j => j.Id == id, ct))
            .When(j => j.ParentId is not null).WithErrorCode(ErrorCodes.NoSuchUnit).WithMessage("No such parent jurisdiction.");
    }
}
