using Tracker.Web.Features.Access;

namespace Tracker.Web.Infrastructure;

/// <summary>
/// A use case as one checked operation: it checks who may act (404 for what they may not read, 403 for what they
/// may read but not do), then validates the input, then acts, and returns its result. Its failures are typed
/// exceptions — <see cref="NotFoundException"/>, <see cref="ForbiddenException"/>, FluentValidation's
/// <c>ValidationException</c>, <see cref="Tracker.Domain.DomainException"/> — which the API turns into problem
/// documents (<see cref="ProblemExceptionHandler"/>) and pages into their status page or form errors
/// (<see cref="Web.TrackerPage"/>). The endpoint and the page both call it; neither checks again.
/// See docs/decisions/0009-checked-operations.md.
/// </summary>
public interface IUseCase;

public static class UseCaseSetup
{
    /// <summary>Registers every <see cref="IUseCase"/> of the service, scoped, so that it shares the request's DbContext.</summary>
    public static IServiceCollection AddUseCases(this IServiceCollection services)
    {
        foreach (var type in typeof(IUseCase).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IUseCase).IsAssignableFrom(t)))
            services.AddScoped(type);
        return services;
    }
}

public static class Require
{
    /// <summary>403 with <paramref name="refusal"/> unless the viewer holds one of <paramref name="roles"/>.</summary>
    public static void Role(Viewer viewer, string refusal, params string[] roles)
    {
        if (!roles.Any(viewer.Is))
            throw new ForbiddenException(refusal);
    }

    /// <summary>Supervisors and admins: the board, notices, ranking, negative list, the sweep.</summary>
    public static void Supervisor(Viewer viewer) =>
        Role(viewer, "Only supervisors and admins do this.", Roles.Supervisor, Roles.Admin);

    public static void That(bool allowed, string refusal)
    {
        if (!allowed)
            throw new ForbiddenException(refusal);
    }
}
