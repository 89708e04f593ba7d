using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Seed;

namespace Tracker.Web.Infrastructure;

public static class ServiceSetup
{
    public static void AddTrackerServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrackerOptions>()
            .BindConfiguration(TrackerOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => TryFindZone(o.TimeZone) is not null, "Tracker:TimeZone is not a known time zone id.")
            .Validate(o => o.AmberLagMargin <= o.RedLagMargin, "Tracker:AmberLagMargin must not exceed Tracker:RedLagMargin.")
            .ValidateOnStart();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TrackerOptions>>().Value;
            return new OfficeClock(sp.GetRequiredService<TimeProvider>(), TryFindZone(options.TimeZone)!);
        });
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TrackerOptions>>().Value;
            return new HealthPolicy { AmberLagMargin = options.AmberLagMargin, RedLagMargin = options.RedLagMargin };
        });
        builder.Services.AddScoped<Seeder>();
        builder.Services.AddSingleton<KeptDay>();
        builder.Services.AddScoped<KeptHealth>();

        // A field's rules stop at its first failure: a later rule never reads a value an earlier one found missing
        // (a null list, a null entry), so a malformed request is a 400 by field, never a validator's exception.
        ValidatorOptions.Global.DefaultRuleLevelCascadeMode = CascadeMode.Stop;
        builder.Services.AddValidatorsFromAssemblyContaining<TrackerOptions>(ServiceLifetime.Scoped, includeInternalTypes: true);
        builder.Services.AddUseCases();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.Converters.Add(new PlainText.JsonConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        builder.Services.AddOpenApi();
    }

    private static TimeZoneInfo? TryFindZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
}
