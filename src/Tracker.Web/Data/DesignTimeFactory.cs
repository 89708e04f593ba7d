using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Tracker.Web.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the service or a database.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<TrackerDbContext>
{
    public TrackerDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<TrackerDbContext>()
        .UseNpgsql("Host=127.0.0.1;Database=tracker_design")
        .UseSnakeCaseNamingConvention()
        .Options);
}
