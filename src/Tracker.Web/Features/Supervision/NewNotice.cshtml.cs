using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Supervision;

/// <summary>Raises a supervision notice by hand through <see cref="SupervisionApi.RaiseAsync"/>.</summary>
public sealed class NewNoticeModel(TrackerDbContext db, OfficeClock clock, HealthPolicy policy, IOptions<ReminderOptions> options) : TrackerPage
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
        Input.AnswerDue = SupervisionApi.DefaultAnswerDue(clock.Today, options.Value);
    }

    public async Task<IActionResult> OnPostAsync([FromServices] IValidator<NoticeInput> validator, CancellationToken ct)
    {
        await LoadAsync(ct);
        NoticeDto? raised = null;
        var refused = false;
        var ok = await TrySubmitAsync(async () =>
        {
            try
            {
                raised = await SupervisionApi.RaiseAsync(InitiativeId, new NoticeInput(Input.Reason, Input.AnswerDue), Viewer, db, clock, validator, options.Value, ct);
            }
            catch (DomainException e) when (e.Code == SupervisionApi.OpenNoticeCode)
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
        await SupervisionApi.RequireRaiserAsync(db, Viewer, InitiativeId, ct);
        var row = await db.Initiatives.AsNoTracking().Where(i => i.Id == InitiativeId)
            .Select(i => new { Item = i, Jurisdiction = i.Jurisdiction!.Name, Department = i.LeadDepartment!.Name })
            .SingleAsync(ct);
        Item = new ItemSummary(row.Item.Id, row.Item.Code, row.Item.Title, row.Jurisdiction, row.Department,
            HealthRules.Evaluate(row.Item, new HealthContext(clock.Today, policy)));
    }
}
