using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Supervision;

/// <summary>Notices in the supervisor's scope with their steps; review an answered plan, or close a notice.</summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class NoticesModel(ReadNotices notices) : TrackerPage
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
    public int Total { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostReviewAsync(long id, bool accept, [FromServices] ReviewNotice review, CancellationToken ct)
    {
        if (await TrySubmitAsync(() => review.RunAsync(id, new NoticeReview(accept, Comment), ct)))
            return RedirectToPage(new { All, p = PageNumber, Done = id, Outcome = accept ? "accepted" : "returned" });
        FailedId = id;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCloseAsync(long id, [FromServices] CloseNotice close, CancellationToken ct)
    {
        if (await TrySubmitAsync(() => close.RunAsync(id, new NoticeAnswer(Comment), ct)))
            return RedirectToPage(new { All, p = PageNumber, Done = id, Outcome = "closed" });
        FailedId = id;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        PageNumber = Math.Clamp(PageNumber ?? 1, 1, 10_000);
        var query = new NoticeQuery(null, All ? null : true, PageNumber, PageSize);
        Notices = await notices.ListAsync(query, ct);
        Total = await notices.CountAsync(query, ct);
    }
}
