using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Supervision;

/// <summary>Raises a supervision notice by hand through <see cref="RaiseNotice"/>.</summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class NewNoticeModel(TrackerDbContext db, OfficeClock clock, HealthPolicy policy, RaiseNotice raise) : TrackerPage
{
    [BindProperty(SupportsGet = true)] public long InitiativeId { get; set; }

    [BindProperty] public NoticeForm Input { get; set; } = new();

    public sealed class NoticeForm
    {
        public string? Reason { get; set; }
        public DateOnly? AnswerDue { get; set; }
    }

    public sealed record ItemSummary(long Id, string Code, string Title, string Jurisdiction, string Department, Health Health);

    public ItemSummary Item { get; private set; } = null!;

    /// <summary>The item's open notice, when a raise was refused because of it.</summary>
    public long? OpenNoticeId { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Input.AnswerDue = await raise.DefaultAnswerDueAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        NoticeDto? raised = null;
        var refused = false;
        var ok = await TrySubmitAsync(async () =>
        {
            try
            {
                raised = await raise.RunAsync(InitiativeId, new NoticeInput(Input.Reason, Input.AnswerDue), ct);
            }
            catch (DomainException e) when (e.Code == ErrorCodes.NoticeOpen)
            {
                refused = true;
            }
        }, nameof(Input));
        if (ok && raised is not null)
            return RedirectToPage("/Supervision/Notices", new { Done = raised.Id, Outcome = "raised" });
        if (refused)
            OpenNoticeId = await db.Notices.Where(n => n.InitiativeId == InitiativeId && n.Status != NoticeStatus.Closed)
                .Select(n => (long?)n.Id).FirstOrDefaultAsync(ct);
        return Page();
    }

    /// <summary>The item, if the viewer may raise a notice on it: 404 when unreadable, 403 when not supervised.</summary>
    private async Task LoadAsync(CancellationToken ct)
    {
        await raise.RequireRaiserAsync(InitiativeId, ct);
        var row = await db.Initiatives.AsNoTracking().Where(i => i.Id == InitiativeId)
            .Select(i => new { Item = i, Jurisdiction = i.Jurisdiction!.Name, Department = i.LeadDepartment!.Name })
            .SingleAsync(ct);
        Item = new ItemSummary(row.Item.Id, row.Item.Code, row.Item.Title, row.Jurisdiction, row.Department,
            HealthRules.Evaluate(row.Item, new HealthContext(clock.Today, policy)));
    }
}
