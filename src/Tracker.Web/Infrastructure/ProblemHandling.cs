using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;

namespace Tracker.Web.Infrastructure;

/// <summary>Thrown by handlers for a resource that does not exist (or must not be seen to exist).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>Thrown by handlers when the viewer may see the resource but not do this to it.</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>Turns every failure into an RFC 9457 problem document; nothing reaches the client as a bare 500 page.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        // A page's failure is left to the error page (the middleware logs it).
        if (!Web.PagesSetup.IsApi(context))
            return false;
        ProblemDetails problem = exception switch
        {
            ValidationException v => new HttpValidationProblemDetails(v.Errors
                .GroupBy(e => e.PropertyName)
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "One or more fields are invalid.",
            },
            NotFoundException nf => new() { Status = StatusCodes.Status404NotFound, Title = "Not found.", Detail = nf.Message },
            ForbiddenException f => new() { Status = StatusCodes.Status403Forbidden, Title = "Not allowed.", Detail = f.Message },
            DomainException d => new()
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The request conflicts with the item's current state.",
                Detail = d.Message,
                Extensions = { ["code"] = d.Code },
            },
            DbUpdateConcurrencyException => new()
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The item was changed by someone else.",
                Detail = "Reload it and apply your change again.",
            },
            DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation } unique } => new()
            {
                Status = StatusCodes.Status409Conflict,
                Title = "An item with the same key already exists.",
                Detail = unique.ConstraintName == "ix_initiatives_jurisdiction_id_year_code"
                    ? "The code is already used by another initiative of this jurisdiction and year."
                    : unique.MessageText,
            },
            BadHttpRequestException bad => new()
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "The request is too large.",
                    StatusCodes.Status415UnsupportedMediaType => "Unsupported media type.",
                    _ => "The request could not be read.",
                },
                Detail = bad.Message,
            },
            _ => new() { Status = StatusCodes.Status500InternalServerError, Title = "An unexpected error occurred." },
        };

        if (problem.Status == StatusCodes.Status500InternalServerError)
            logger.LogError(exception, "Unhandled exception");

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new() { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }
}

/// <summary>Validates the endpoint's argument of type <typeparamref name="T"/> with its FluentValidation validator.</summary>
internal sealed class ValidationFilter<T> : IEndpointFilter where T : class
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var validator = context.HttpContext.RequestServices.GetRequiredService<IValidator<T>>();
        if (context.Arguments.OfType<T>().FirstOrDefault() is { } argument)
            await validator.ValidateAndThrowAsync(argument, context.HttpContext.RequestAborted);
        return await next(context);
    }
}

internal static class ValidationExtensions
{
    public static RouteHandlerBuilder Validate<T>(this RouteHandlerBuilder builder) where T : class =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();
}
