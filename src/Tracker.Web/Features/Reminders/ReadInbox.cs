using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Reminders;

public sealed record InboxItem(long Id, DateOnly Period, string Subject, string Body, int ItemCount, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

/// <summary>The signed-in person's digests (matched by their email): a page of them, the unread count, marking one read.</summary>
public sealed class ReadInbox(TrackerDbContext db, Viewer viewer, OfficeClock clock) : IUseCase
{
    public async Task<Paged<InboxItem>> ListAsync(bool? unreadOnly, int? page, int? pageSize, CancellationToken ct)
    {
        var messages = await MineAsync(ct);
        if (unreadOnly == true)
            messages = messages.Where(m => m.ReadAt == null);
        return await messages.OrderByDescending(m => m.Period).ThenByDescending(m => m.Id)
            .Select(m => new InboxItem(m.Id, m.Period, m.Subject, m.Body, m.ItemCount, m.CreatedAt, m.ReadAt))
            .ToPagedAsync(PageRequest.Of(page, pageSize), ct);
    }

    public async Task<int> UnreadCountAsync(CancellationToken ct) =>
        await (await MineAsync(ct)).CountAsync(m => m.ReadAt == null, ct);

    /// <summary>Marks one of the viewer's messages read (once: the first reading's time is kept); 404 for anyone else's.</summary>
    public async Task MarkReadAsync(long id, CancellationToken ct)
    {
        var now = clock.Now;
        var marked = await (await MineAsync(ct)).Where(m => m.Id == id)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.ReadAt, x => x.ReadAt ?? now), ct);
        if (marked == 0)
            throw new NotFoundException($"No message {id} in your inbox.");
    }

    private async Task<IQueryable<InboxMessage>> MineAsync(CancellationToken ct)
    {
        Require.That(viewer.IsAuthenticated, "Sign in to read your inbox.");
        var email = (await db.Users.Where(u => u.Id == viewer.UserId).Select(u => u.Email).SingleOrDefaultAsync(ct))?.ToLowerInvariant() ?? "-";
        return db.Inbox.Where(m => m.RecipientEmail == email);
    }
}
