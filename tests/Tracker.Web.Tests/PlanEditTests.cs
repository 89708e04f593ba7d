using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

public sealed class PlanEditTests(TrackerApp app) : IClassFixture<TrackerApp>
{
    [Fact]
    public async Task Moving_an_overdue_items_deadline_resolves_its_open_overdue_reminder_at_once_not_at_the_next_sweep()
    {
        var place = await app.NewPlaceAsync();
        var today = DateOnly.FromDateTime(TrackerApp.Start.UtcDateTime);
        var input = TestData.NewInitiative(place.CountyId, place.CountyDepartmentId, "LATE") with
        {
            PlannedStart = today.AddDays(-60),
            Deadline = today.AddDays(-10),
            Targets = [new TargetInput(null, "完成量", "%", 0, 100, 1)],
        };
        var (item, etag) = await app.CreateAsync(input);
        await app.SweepAsync();
        Assert.Equal([ReminderStatus.Open], await OverdueReminders(item.Id));

        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/initiatives/{item.Id}")
        {
            Content = JsonContent.Create(input with
            {
                Deadline = today.AddDays(60),
                Milestones = [.. item.Milestones.Select(m => new MilestoneInput(m.Id, m.Name, m.PlannedOn, m.AchievedOn))],
            }, options: TrackerApp.Json),
        };
        put.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        var answer = await (await app.OfficialOf(place.CountyDepartmentId)).SendAsync(put);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal([ReminderStatus.Resolved], await OverdueReminders(item.Id));
    }

    private async Task<ReminderStatus[]> OverdueReminders(long itemId)
    {
        await using var db = app.Db();
        return await db.Reminders.Where(r => r.InitiativeId == itemId && r.Reason == ReminderReason.Overdue).Select(r => r.Status).ToArrayAsync();
    }
}
