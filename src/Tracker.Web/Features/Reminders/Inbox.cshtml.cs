using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Reminders;

/// <summary>
/// Everyone's inbox: the reminder digests, the open supervision notices (answered here by the department they
/// are addressed to) and the deputies' open follow-up requests on the viewer's items. Every list and every
/// write goes through the API's handlers.
/// </summary>
public sealed class InboxModel(TrackerDbContext db, OfficeClock clock, IValidator<NoticeAnswer> noticeAnswers) : TrackerPage
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

    public bool Answers(NoticeDto n) =>
        Viewer.Is(Roles.Official) && Viewer.DepartmentId == n.Department.Id && n.Status is NoticeStatus.Raised or NoticeStatus.Returned;

    public bool Answers(FollowUpDto f) =>
        Viewer.Is(Roles.Official) && f.DepartmentId == Viewer.DepartmentId;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostReadAsync(long messageId, CancellationToken ct)
    {
        await RemindersApi.MarkRead(messageId, Viewer, db, clock, ct);
        return Back("read");
    }

    public async Task<IActionResult> OnPostAnswerAsync(CancellationToken ct)
    {
        var answer = new NoticeAnswer(Text);
        if (NoticeId is { } id && await TrySubmitAsync(async () =>
            {
                await noticeAnswers.ValidateAndThrowAsync(answer, ct);
                await RemindersApi.Answer(id, answer, Viewer, db, clock, ct);
            }))
            return Back("answered");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostFollowUpAsync(CancellationToken ct)
    {
        if (FollowUpId is { } id && await TrySubmitAsync(() => DeputiesApi.AnswerFollowUp(id, new FollowUpAnswer(Answer), Viewer, db, clock, ct)))
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
        Messages = (await RemindersApi.Inbox(null, MessagesPage, PageSize, Viewer, db, ct)).Value!;
        Notices = (await RemindersApi.Notices(null, true, NoticesPage, PageSize, Viewer, db, ct)).Value!;
        FollowUps = (await DeputiesApi.FollowUps(null, true, FollowUpsPage, PageSize, Viewer, db, clock, ct)).Value!;
        var ids = FollowUps.Items.Select(f => f.InitiativeId).Distinct().ToList();
        Items = await db.Initiatives.AsNoTracking().Where(i => ids.Contains(i.Id))
            .ToDictionaryAsync(i => i.Id, i => new ItemRef(i.Code, i.Title), ct);
    }
}
