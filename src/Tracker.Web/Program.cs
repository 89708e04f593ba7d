using Scalar.AspNetCore;
using Tracker.Web.Features.Directory;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Progress;
using Tracker.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddTrackerServices();
builder.AddTrackerDatabase();

var app = builder.Build();
await app.PrepareDatabaseAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapOpenApi();
app.MapScalarApiReference();
app.MapTrackerHealthChecks();
app.MapGet("/", () => Results.Redirect("/scalar/v1")).ExcludeFromDescription();
app.MapInitiativesApi();
app.MapProgressApi();
app.MapDirectoryApi();

await app.RunAsync();

public partial class Program;
