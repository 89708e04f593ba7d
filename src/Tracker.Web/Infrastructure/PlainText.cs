using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Tracker.Web.Infrastructure;

/// <summary>
/// One rule for every text the service is sent — JSON fields, query and route values, form fields: no control
/// characters but tab, line feed and carriage return (U+0000–U+001F, U+007F). PostgreSQL refuses NUL in text
/// outright (error 22021) and the others are never meant by a person; they are refused with a 400 naming the field,
/// before anything is read or written.
/// </summary>
public static class PlainText
{
    public const string Refusal = "Text may not contain control characters (other than tab and line breaks).";

    public static bool HasControlCharacters(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (c < ' ' && c is not ('\t' or '\n' or '\r') || c == '\u007F')
                return true;
        return false;
    }

    /// <summary>Query strings and paths: checked before routing, for the API and the pages alike.</summary>
    public static IApplicationBuilder UsePlainTextRequests(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // The error page re-executed for a refusal keeps the refused query string: it is not checked twice.
        var offending = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null ? null
            : HasControlCharacters(context.Request.Path.Value) ? "path"
            : context.Request.Query.FirstOrDefault(q => HasControlCharacters(q.Key) || q.Value.Any(v => HasControlCharacters(v))).Key;
        if (offending is null)
        {
            if (UnknownCharset(context.Request) is { } charset && Web.PagesSetup.IsApi(context))
            {
                await Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type.",
                    detail: $"The charset '{charset}' is not one this service reads; send UTF-8.").ExecuteAsync(context);
                return;
            }
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        if (Web.PagesSetup.IsApi(context))
            await Results.ValidationProblem(new Dictionary<string, string[]> { [offending] = [Refusal] }, title: "One or more fields are invalid.")
                .ExecuteAsync(context);
    });

    /// <summary>The charset a request's body declares, when .NET knows no such encoding (reading it would throw).</summary>
    private static string? UnknownCharset(HttpRequest request)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.Charset is not { Length: > 0 } charset)
            return null;
        try
        {
            _ = System.Text.Encoding.GetEncoding(charset.ToString());
            return null;
        }
        catch (ArgumentException)
        {
            return charset.ToString();
        }
    }

    /// <summary>Strings in JSON bodies: a control character fails the body's reading, reported against its field.</summary>
    public sealed class JsonConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            return text is not null && HasControlCharacters(text) ? throw new JsonException(Refusal) : text;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        // Dictionary keys (the field names of a validation problem, for one) are text too.
        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString()!;
            return HasControlCharacters(text) ? throw new JsonException(Refusal) : text;
        }

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
    }

    /// <summary>Form fields of the pages: a form carrying a control character is refused (400 page) before its handler runs.</summary>
    internal sealed class PageFilter : IAsyncPageFilter
    {
        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            var http = context.HttpContext;
            // An error page re-executed for a refused form must not read that form again.
            var reExecuted = http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null
                || http.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null;
            if (!reExecuted && http.Request.HasFormContentType && !await IsPlainAsync(http))
            {
                context.Result = new Microsoft.AspNetCore.Mvc.BadRequestResult();
                return;
            }
            await next();
        }

        private static async Task<bool> IsPlainAsync(HttpContext http)
        {
            try
            {
                return !(await http.Request.ReadFormAsync(http.RequestAborted)).Any(f => f.Value.Any(v => HasControlCharacters(v)));
            }
            catch (InvalidDataException)
            {
                // The form reader itself refuses some (a NUL): the same refusal.
                return false;
            }
        }
    }
}
