using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Reminders;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Supervision;

/// <summary>Notices in the supervisor's scope with their steps; review an answered plan, or close a notice.</summary>
public sealed class NoticesModel(TrackerDbContext db, OfficeClock clock, IOptions<ReminderOptions> options) : TrackerPage
{
    public const int PageSize = 20;

    /// <summary>Open notices only (the default), or all.</summary>
    [BindProperty(SupportsGet = true)] public bool All { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }

    /// <summary>The notice just raised, reviewed or closed, to confirm.</summary>
    [BindProperty(SupportsGet = true)] public long? Done { get; set; }
    [BindProperty(SupportsGet = true)] public string? Outcome { get; set; }

    [BindProperty] public string? Comment { get; set; }

    /// <summary>The notice whose form failed, to show its errors beside it.</summary>
    public long? FailedId { get; private set; }

    public Paged<NoticeDto> Notices { get; private set; } = new([], 1, PageSize, false);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostReviewAsync(long id, bool accept, [FromServices] IValidator<NoticeReview> validator, CancellationToken ct)
    {
        var review = new NoticeReview(accept, Comment);
        if (await TrySubmitAsync(async () =>
            {
                await validator.ValidateAndThrowAsync(review, ct);
                await RemindersApi.Review(id, review, Viewer, db, clock, options, ct);
            }))
            return RedirectToPage(new { All, p = PageNumber, Done = id, Outcome = accept ? "accepted" : "returned" });
        FailedId = id;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCloseAsync(long id, CancellationToken ct)
    {
        if (await TrySubmitAsync(() => RemindersApi.Close(id, new NoticeAnswer(Comment), Viewer, db, clock, ct)))
            return RedirectToPage(new { All, p = PageNumber, Done = id, Outcome = "closed" });
        FailedId = id;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        PageNumber = Math.Clamp(PageNumber ?? 1, 1, 10_000);
        Notices = (await RemindersApi.Notices(null, All ? null : true, PageNumber, PageSize, Viewer, db, ct)).Value!;
    }
}
