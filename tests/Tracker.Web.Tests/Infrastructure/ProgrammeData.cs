using System.Net.Http.Json;
using Tracker.Web.Features.Programmes;

namespace Tracker.Web.Tests.Infrastructure;

public static class ProgrammeData
{
    /// <summary>A programme of the jurisdiction and year set up by its supervisor through the API, with these items in it.</summary>
    public static async Task<int> NewProgrammeAsync(this HttpClient supervisor, int jurisdictionId, int year, string code, params long[] items)
    {
        var created = await supervisor.PostAsJsonAsync("/api/programmes", new ProgrammeInput(jurisdictionId, year, code, $"{code} 专项", null, null), TrackerApp.Json);
        var programme = (await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<ProgrammeDetail>(TrackerApp.Json))!;
        (await supervisor.PutAsJsonAsync($"/api/programmes/{programme.Id}/items", new ProgrammeItemsInput(items, null), TrackerApp.Json)).EnsureSuccessStatusCode();
        return programme.Id;
    }
}
