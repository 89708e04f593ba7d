using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Tracker.Web.Infrastructure;

public static class HealthEndpoint
{
    /// <summary>/health answers 200 with the database's state when it is reachable, 503 when not.</summary>
    public static void MapTrackerHealthChecks(this IEndpointRouteBuilder app) =>
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(context.Response.Body, new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.Select(e => new
                    {
                        name = e.Key,
                        status = e.Value.Status.ToString(),
                        description = e.Value.Description ?? e.Value.Exception?.Message,
                        durationMs = e.Value.Duration.TotalMilliseconds,
                    }),
                }, cancellationToken: context.RequestAborted);
            },
        });
}
