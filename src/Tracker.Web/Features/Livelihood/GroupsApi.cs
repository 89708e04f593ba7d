using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;

using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Livelihood;

public sealed record GroupInput(int? JurisdictionId, string? Name, string[]? MemberUserIds, long[]? InitiativeIds);

public sealed record GroupDto(long Id, int JurisdictionId, string Name, IReadOnlyList<string> MemberUserIds, IReadOnlyList<long> InitiativeIds);

/// <summary>Deputy supervision groups (代表小组): formed by the jurisdiction's supervisors, each assigned livelihood items.</summary>
public static class GroupsApi
{
    public static IEndpointRouteBuilder MapGroupsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/groups").WithTags("Livelihood items: deputy groups").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(404);
        api.MapPost("/", CreateGroup).ProducesValidationProblem();
        api.MapGet("/", Groups);
        return app;
    }

    public static async Task<Created<GroupDto>> CreateGroup(GroupInput input, FormGroup form, CancellationToken ct)
    {
        var group = await form.RunAsync(input, ct);
        return TypedResults.Created($"/api/groups?jurisdictionId={group.JurisdictionId}", group);
    }

    public static async Task<Ok<List<GroupDto>>> Groups(int? jurisdictionId, ReadGroups read, CancellationToken ct) =>
        TypedResults.Ok(await read.RunAsync(jurisdictionId, ct));

    internal static GroupDto ToDto(DeputyGroup g) => new(g.Id, g.JurisdictionId, g.Name, g.MemberUserIds, g.InitiativeIds);
}

/// <summary>A deputy supervision group of a jurisdiction, formed by its supervisors from its deputies, assigned to one or more of its livelihood items.</summary>
public sealed class FormGroup(TrackerDbContext db, Viewer viewer, IValidator<GroupInput> validator) : IUseCase
{
    public async Task<GroupDto> RunAsync(GroupInput input, CancellationToken ct)
    {
        ScreenProposals.RequireScreener(viewer);
        await validator.ValidateAndThrowAsync(input, ct);
        var path = await ItemAccess.RequireSupervisorOfAsync(db, viewer, input.JurisdictionId!.Value, "Only supervisors of the jurisdiction form its deputy groups.", ct);
        var members = input.MemberUserIds!.Distinct().ToList();
        var items = input.InitiativeIds!.Distinct().ToList();
        var errors = new List<FluentValidation.Results.ValidationFailure>();
        if (await VotingApi.DeputiesOf(db, input.JurisdictionId!.Value).CountAsync(u => members.Contains(u.Id), ct) != members.Count)
            errors.Add(new(nameof(GroupInput.MemberUserIds), "Members are deputies of this jurisdiction."));
        if (await db.Initiatives.Where(Initiative.ForDeputies).CountAsync(i => items.Contains(i.Id) && i.JurisdictionPath.StartsWith(path), ct) != items.Count)
            errors.Add(new(nameof(GroupInput.InitiativeIds), "Groups supervise livelihood items and voted items of this jurisdiction or below."));
        if (errors.Count > 0)
            throw new ValidationException(errors);

        var group = new DeputyGroup { JurisdictionId = input.JurisdictionId.Value, Name = input.Name!.Trim(), MemberUserIds = members, InitiativeIds = items };
        db.DeputyGroups.Add(group);
        await db.SaveChangesAsync(ct);
        return GroupsApi.ToDto(group);
    }
}

/// <summary>The groups a viewer reads: supervisors and admins those of their jurisdiction and below, a deputy the groups they are in.</summary>
public sealed class ReadGroups(TrackerDbContext db, Viewer viewer) : IUseCase
{
    public async Task<List<GroupDto>> RunAsync(int? jurisdictionId, CancellationToken ct)
    {
        var groups = db.DeputyGroups.AsNoTracking().Where(ProposalsApi.InScope<DeputyGroup>(db, viewer, g => g.JurisdictionId));
        if (viewer.Is(Roles.Deputy) && !viewer.Is(Roles.Supervisor) && !viewer.Is(Roles.Admin))
            groups = db.DeputyGroups.AsNoTracking().Where(g => g.MemberUserIds.Contains(viewer.UserId!));
        if (jurisdictionId is not null)
            groups = groups.Where(g => g.JurisdictionId == jurisdictionId);
        return [.. (await groups.OrderBy(g => g.Name).ThenBy(g => g.Id).Take(500).ToListAsync(ct)).Select(GroupsApi.ToDto)];
    }
}

internal sealed class GroupInputValidator : AbstractValidator<GroupInput>
{
    public GroupInputValidator()
    {
        RuleFor(g => g.JurisdictionId).NotNull();
        RuleFor(g => g.Name).NotEmpty().MaximumLength(200);
        RuleFor(g => g.MemberUserIds).NotEmpty().NoNullElements();
        RuleFor(g => g.InitiativeIds).NotEmpty();
    }
}
