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
            // A JSON field that could not be read (a wrong type, a control character): a field error, like the validators'.
            BadHttpRequestException { InnerException: System.Text.Json.JsonException { Path: { Length: > 0 } path } json } => new HttpValidationProblemDetails(
                new Dictionary<string, string[]> { [FieldOf(path)] = [FirstLine(json.Message)] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "One or more fields are invalid.",
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
            _ when Failures.IsTransient(exception) => new()
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is restarting or out of reach.",
                Detail = $"Nothing was changed. Try again in {Failures.RetryAfterSeconds} seconds.",
            },
            _ when Failures.IsUnstorableInput(exception) => new()
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "A value cannot be stored.",
                Detail = "A text holds a character that cannot be stored, or a value is too long or out of range.",
            },
            InvalidDataException or IOException => new()
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request could not be read.",
                Detail = exception.Message,
            },
            _ => new() { Status = StatusCodes.Status500InternalServerError, Title = "An unexpected error occurred." },
        };

        if (problem.Status == StatusCodes.Status500InternalServerError)
            logger.LogError(exception, "Unhandled exception");

        context.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
            context.Response.Headers.RetryAfter = Failures.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new() { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>"$.targets[0].metric" is the field "targets[0].metric".</summary>
    private static string FieldOf(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>System.Text.Json appends the path and position on further lines; the field says where already.</summary>
    private static string FirstLine(string message) => message.Split(" Path: ")[0].Split('\n')[0].Trim();
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
    /// <summary>The dates the service plans with. 0001-01-01 and 9999-12-31 would be stored as PostgreSQL's -infinity and
    /// infinity, which no date arithmetic of the health rules can read back: a date outside these years is refused.</summary>
    public static readonly DateOnly FirstDate = new(2000, 1, 1), LastDate = new(2100, 12, 31);

    public static IRuleBuilderOptions<T, DateOnly?> PlausibleDate<T>(this IRuleBuilder<T, DateOnly?> rule) =>
        rule.InclusiveBetween(FirstDate, LastDate).WithMessage("'{PropertyName}' is a date between 2000-01-01 and 2100-12-31.");

    public static IRuleBuilderOptions<T, DateTimeOffset?> PlausibleTime<T>(this IRuleBuilder<T, DateTimeOffset?> rule) =>
        rule.Must(t => t is null || t.Value.Year is >= 2000 and <= 2100).WithMessage("'{PropertyName}' is a time between the years 2000 and 2100.");

    /// <summary>A list sent with a null in it (<c>"targets":[null]</c>) is refused by field, before any rule reads its elements.</summary>
    public static IRuleBuilderOptions<T, TElement[]?> NoNullElements<T, TElement>(this IRuleBuilder<T, TElement[]?> rule) =>
        rule.Must(list => list is null || list.All(e => e is not null)).WithMessage("'{PropertyName}' holds an empty (null) entry.");

    public static RouteHandlerBuilder Validate<T>(this RouteHandlerBuilder builder) where T : class =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();
}
