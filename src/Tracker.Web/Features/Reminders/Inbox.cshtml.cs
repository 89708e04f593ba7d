using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Features.Supervision;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Reminders;

/// <summary>
/// Everyone's inbox: the reminder digests, the open supervision notices (answered here by the department they
/// are addressed to) and the deputies' open follow-up requests on the viewer's items. Every list and every
/// write is the use case the API calls.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class InboxModel(TrackerDbContext db, ReadInbox inbox, ReadNotices notices, ReadFollowUps followUps) : TrackerPage
{
    public const int PageSize = 10;

    public sealed record ItemRef(string Code, string Title);

    [BindProperty(SupportsGet = true, Name = "p")] public int MessagesPage { get; set; } = 1;
    [BindProperty(SupportsGet = true, Name = "np")] public int NoticesPage { get; set; } = 1;
    [BindProperty(SupportsGet = true, Name = "fp")] public int FollowUpsPage { get; set; } = 1;

    /// <summary>The notice answered, and its rectification plan as typed.</summary>
    [BindProperty] public long? NoticeId { get; set; }
    [BindProperty] public string? Text { get; set; }

    /// <summary>The follow-up request answered, and the answer as typed.</summary>
    [BindProperty] public long? FollowUpId { get; set; }
    [BindProperty] public string? Answer { get; set; }

    public Paged<InboxItem> Messages { get; private set; } = new([], 1, PageSize, false);
    public Paged<NoticeDto> Notices { get; private set; } = new([], 1, PageSize, false);
    public Paged<FollowUpDto> FollowUps { get; private set; } = new([], 1, PageSize, false);
    public IReadOnlyDictionary<long, ItemRef> Items { get; private set; } = new Dictionary<long, ItemRef>();

    /// <summary>Whether to show the answer form: the same rule the use cases apply when the answer is sent.</summary>
    public bool Answers(NoticeDto n) => Viewer.SpeaksFor(n.Department.Id) && n.Status is NoticeStatus.Raised or NoticeStatus.Returned;

    public bool Answers(FollowUpDto f) => Viewer.SpeaksFor(f.DepartmentId);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostReadAsync(long messageId, CancellationToken ct)
    {
        await inbox.MarkReadAsync(messageId, ct);
        return Back("read");
    }

    public async Task<IActionResult> OnPostAnswerAsync([FromServices] AnswerNotice answer, CancellationToken ct)
    {
        if (NoticeId is { } id && await TrySubmitAsync(() => answer.RunAsync(id, new NoticeAnswer(Text), ct)))
            return Back("answered");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostFollowUpAsync([FromServices] AnswerFollowUp answer, CancellationToken ct)
    {
        if (FollowUpId is { } id && await TrySubmitAsync(() => answer.RunAsync(id, new FollowUpAnswer(Answer), ct)))
            return Back("follow-up");
        await LoadAsync(ct);
        return Page();
    }

    private IActionResult Back(string done)
    {
        TempData["Done"] = done;
        return Redirect($"/inbox?p={MessagesPage}&np={NoticesPage}&fp={FollowUpsPage}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Messages = await inbox.ListAsync(null, MessagesPage, PageSize, ct);
        Notices = await notices.ListAsync(new NoticeQuery(null, true, NoticesPage, PageSize), ct);
        FollowUps = await followUps.RunAsync(null, true, FollowUpsPage, PageSize, ct);
        var ids = FollowUps.Items.Select(f => f.InitiativeId).Distinct().ToList();
        Items = await db.Initiatives.AsNoTracking().Where(i => ids.Contains(i.Id))
            .ToDictionaryAsync(i => i.Id, i => new ItemRef(i.Code, i.Title), ct);
    }
}
