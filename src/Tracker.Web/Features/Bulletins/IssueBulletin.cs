using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Initiatives;
using Tracker.Web.Features.Supervision;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Bulletins;

/// <summary>An item as a bulletin lists it.</summary>
public sealed record BulletinItem(long Id, string Code, string Title, string Department, int DaysOverdue);

public sealed record KindCount(InitiativeKind Kind, int Items, int Red, int Amber, int Green, int Overdue, int Silent, int Completed);

public sealed record BulletinCounts(int Items, int Red, int Amber, int Green, int Grey, int Overdue, int Silent, int Completed);

public sealed record LedgerLine(long Id, string Code, string Title, string Department, int OverdueRows);

public sealed record NoticeCounts(int Raised, int Answered, int Overdue);

/// <summary>A department's place in the ranking, with its move since the previous bulletin of the kind.</summary>
public sealed record RankLine(int Rank, int DepartmentId, string Department, decimal? OnTimeRate, decimal AverageProgress, int Red, int Extensions, int? Change);

/// <summary>A department's answers in a dispatch round that fell due in the bulletin's period (周调度).</summary>
public sealed record RoundLine(long RoundId, string Round, DateTimeOffset DueAt, int DepartmentId, string Department, int Items, int OnTime, int Late)
{
    public DispatchTally Tally => new(Items, OnTime, Late);
}

/// <summary>
/// A bulletin's figures as they stood on its day, stored whole. Lists are capped (<see cref="BuildBulletin.Listed"/>)
/// with their totals beside them; the ids of every overdue and every red item are kept so that the next bulletin can
/// say which are new.
/// </summary>
public sealed record BulletinContent(
    BulletinCounts Counts,
    IReadOnlyList<KindCount> ByKind,
    IReadOnlyList<BulletinItem> NewlyOverdue, int NewlyOverdueTotal,
    IReadOnlyList<BulletinItem> NewlyRed, int NewlyRedTotal,
    IReadOnlyList<BulletinItem> Silent,
    IReadOnlyList<LedgerLine> OverdueLedgerRows, int OverdueLedgerRowsTotal,
    NoticeCounts Notices,
    IReadOnlyList<BulletinItem> Completed, int CompletedTotal,
    IReadOnlyList<RankLine> Ranking,
    IReadOnlyList<NegativeDepartment> NegativeList,
    IReadOnlyList<long> OverdueIds,
    IReadOnlyList<long> RedIds,
    IReadOnlyList<RoundLine>? Rounds = null)
{
    /// <summary>The dispatch rounds of the period by department (none in a bulletin issued before rounds existed).</summary>
    public IReadOnlyList<RoundLine> RoundLines => Rounds ?? [];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static BulletinContent Read(string json) => JsonSerializer.Deserialize<BulletinContent>(json, Json)!;
}

/// <summary>
/// Works out a bulletin's figures for a jurisdiction (its whole subtree) on the office's today: this year's items and
/// any earlier one still open, cancelled ones left out; the period's notices and completions; the ranking and the
/// negative list as a supervisor of the jurisdiction sees them, with the changes since the previous bulletin.
/// </summary>
public sealed class BuildBulletin(TrackerDbContext db, OfficeClock clock, KeptHealth kept) : IUseCase
{
    /// <summary>At most this many entries per list; the totals count them all.</summary>
    public const int Listed = 100;

    public async Task<BulletinContent> RunAsync(int jurisdictionId, BulletinPeriod period, BulletinContent? previous, CancellationToken ct)
    {
        await kept.EnsureTodayAsync(ct);
        var today = clock.Today;
        var jurisdiction = await db.Jurisdictions.Where(j => j.Id == jurisdictionId).Select(j => new { j.Path }).SingleAsync(ct);
        var path = jurisdiction.Path;
        var year = period.To.Year;
        var items = db.Initiatives.AsNoTracking().Where(i => i.JurisdictionPath.StartsWith(path) && i.Status != InitiativeStatus.Cancelled
            && (i.Year == year || i.Status == InitiativeStatus.Planned || i.Status == InitiativeStatus.InProgress || i.Status == InitiativeStatus.Suspended));

        var byKind = await items.GroupBy(i => i.Kind).Select(g => new KindCount(g.Key, g.Count(),
            g.Count(i => i.HealthColour == HealthColour.Red), g.Count(i => i.HealthColour == HealthColour.Amber), g.Count(i => i.HealthColour == HealthColour.Green),
            g.Count(i => i.Overdue), g.Count(i => i.Silent), g.Count(i => i.Status == InitiativeStatus.Completed))).ToListAsync(ct);
        byKind = [.. byKind.OrderBy(k => k.Kind)];
        var counts = new BulletinCounts(byKind.Sum(k => k.Items), byKind.Sum(k => k.Red), byKind.Sum(k => k.Amber), byKind.Sum(k => k.Green),
            byKind.Sum(k => k.Items - k.Red - k.Amber - k.Green), byKind.Sum(k => k.Overdue), byKind.Sum(k => k.Silent), byKind.Sum(k => k.Completed));

        var overdueIds = await items.Where(i => i.Overdue).OrderByDescending(i => i.DaysOverdue).ThenBy(i => i.Id).Select(i => i.Id).ToListAsync(ct);
        var redIds = await items.Where(i => i.HealthColour == HealthColour.Red).OrderBy(i => i.Deadline).ThenBy(i => i.Id).Select(i => i.Id).ToListAsync(ct);
        var newlyOverdue = BulletinRules.Newly(overdueIds, previous?.OverdueIds);
        var newlyRed = BulletinRules.Newly(redIds, previous?.RedIds);

        var shown = newlyOverdue.Take(Listed).Concat(newlyRed.Take(Listed)).Distinct().ToList();
        var lines = await Lines(items.Where(i => shown.Contains(i.Id))).ToDictionaryAsync(i => i.Id, ct);
        var silent = await Lines(items.Where(i => i.Silent).OrderBy(i => i.LastReportedOn).ThenBy(i => i.Id)).Take(Listed).ToListAsync(ct);
        var completedQuery = items.Where(i => i.Status == InitiativeStatus.Completed && i.CompletedOn >= period.From && i.CompletedOn <= period.To);
        var completed = await Lines(completedQuery.OrderBy(i => i.CompletedOn).ThenBy(i => i.Id)).Take(Listed).ToListAsync(ct);
        var completedTotal = await completedQuery.CountAsync(ct);

        var overdueRow = LedgerRow.OverdueOn(today);
        var ledger = db.LedgerRows.Where(overdueRow).Join(items, r => r.InitiativeId, i => i.Id, (r, i) => r)
            .GroupBy(r => r.InitiativeId).Select(g => new { Id = g.Key, Rows = g.Count() });
        var ledgerTotal = await ledger.SumAsync(g => (int?)g.Rows, ct) ?? 0;
        var ledgerTop = await ledger.OrderByDescending(g => g.Rows).ThenBy(g => g.Id).Take(Listed).ToListAsync(ct);
        var ledgerIds = ledgerTop.Select(g => g.Id).ToList();
        var ledgerLines = await Lines(items.Where(i => ledgerIds.Contains(i.Id))).ToDictionaryAsync(i => i.Id, ct);

        var (from, to) = (clock.StartOf(period.From), clock.StartOf(period.To.AddDays(1)));
        var notices = db.Notices.Join(items, n => n.InitiativeId, i => i.Id, (n, i) => n);
        var noticeCounts = new NoticeCounts(
            await notices.CountAsync(n => n.RaisedOn >= period.From && n.RaisedOn <= period.To, ct),
            await db.NoticeSteps.Where(s => s.Action == nameof(NoticeStatus.Answered) && s.At >= from && s.At < to)
                .Join(notices, s => s.NoticeId, n => n.Id, (s, n) => s.NoticeId).Distinct().CountAsync(ct),
            await notices.CountAsync(n => (n.Status == NoticeStatus.Raised || n.Status == NoticeStatus.Returned) && n.AnswerDue < today, ct));

        // The ranking and the negative list as the jurisdiction's supervisors see them on their pages.
        var office = new Viewer(null, "bulletin", new HashSet<string> { Roles.Supervisor }, null, jurisdictionId, path);
        var ranking = await new RankDepartments(db, office, clock, kept).RunAsync(year, ct);
        var before = previous?.Ranking.ToDictionary(r => r.DepartmentId, r => r.Rank);
        var negative = await new ReadNegativeList(db, office, clock, kept).RunAsync(1, ct);
        var rounds = await RoundsAsync(path, from, to, ct);

        return new BulletinContent(
            counts, byKind,
            [.. newlyOverdue.Take(Listed).Where(lines.ContainsKey).Select(id => lines[id])], newlyOverdue.Count,
            [.. newlyRed.Take(Listed).Where(lines.ContainsKey).Select(id => lines[id])], newlyRed.Count,
            silent,
            [.. ledgerTop.Where(g => ledgerLines.ContainsKey(g.Id)).Select(g => (Item: ledgerLines[g.Id], g.Rows))
                .Select(x => new LedgerLine(x.Item.Id, x.Item.Code, x.Item.Title, x.Item.Department, x.Rows))], ledgerTotal,
            noticeCounts,
            completed, completedTotal,
            [.. ranking.Select(r => new RankLine(r.Rank, r.DepartmentId, r.Department, r.OnTimeRate, r.AverageProgress, r.Red, r.Extensions,
                before is null ? null : BulletinRules.RankChange(r.Rank, before.TryGetValue(r.DepartmentId, out var rank) ? rank : null)))],
            negative.Items,
            overdueIds, redIds,
            rounds);
    }

    /// <summary>
    /// The rounds of the subtree that closed at a due time within the period, a line per round and department with its
    /// answers as they stand now (late answers included, from the kept counts), the least complete first within a round.
    /// </summary>
    private async Task<List<RoundLine>> RoundsAsync(string path, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var rounds = db.DispatchRounds.Where(r => r.Status == DispatchStatus.Closed && r.DueAt >= from && r.DueAt < to
            && db.Jurisdictions.Any(j => j.Id == r.JurisdictionId && j.Path.StartsWith(path)));
        var lines = await db.DispatchCounts.Join(rounds, c => c.RoundId, r => r.Id, (c, r) => new { c, Round = r.Id, r.Title, r.DueAt })
            .Join(db.Departments, x => x.c.DepartmentId, d => d.Id, (x, d) => new
            {
                x.Round,
                x.Title,
                x.DueAt,
                x.c.DepartmentId,
                Department = d.Name,
                x.c.Items,
                x.c.OnTime,
                x.c.Late,
            })
            .ToListAsync(ct);
        return [.. lines.Select(l => new RoundLine(l.Round, l.Title, l.DueAt, l.DepartmentId, l.Department, l.Items, l.OnTime, l.Late))
            .OrderBy(l => l.DueAt).ThenBy(l => l.RoundId).ThenBy(l => l.Tally.CompletionRate).ThenBy(l => l.Department, StringComparer.Ordinal)];
    }

    private static IQueryable<BulletinItem> Lines(IQueryable<Initiative> items) =>
        items.Select(i => new BulletinItem(i.Id, i.Code, i.Title, i.LeadDepartment!.Name, i.DaysOverdue));
}

/// <summary>
/// Issues a jurisdiction's bulletin of a kind for today's period, once: a second call (a retry, another server) finds
/// the one issued and returns it; two racing inserts meet the unique key and the loser reads the winner's. Numbered
/// after the last of its kind that year.
/// </summary>
public sealed class IssueBulletin(TrackerDbContext db, OfficeClock clock, BuildBulletin build, IBackgroundJobClient jobs) : IUseCase
{
    public async Task<Bulletin> RunAsync(int jurisdictionId, BulletinKind kind, CancellationToken ct)
    {
        var period = BulletinPeriod.Of(kind, clock.Today);
        if (await FindAsync(jurisdictionId, kind, period.Key, ct) is { } issued)
            return Send(issued);
        var previous = await PreviousAsync(jurisdictionId, kind, ct);
        var content = await build.RunAsync(jurisdictionId, period, previous, ct);
        var title = $"{await NameAsync(jurisdictionId, ct)}{TitleOf(kind)}";
        try
        {
            return Send(await InsertAsync(jurisdictionId, kind, period, title, "", content, BulletinRunner.System, ct));
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
            return Send(await FindAsync(jurisdictionId, kind, period.Key, ct)
                ?? throw new InvalidOperationException("A bulletin of the same number was issued for another period at the same moment.", e));
        }
    }

    /// <summary>
    /// Queues the bulletin's delivery (committed first): found again on a retry, it is queued again, which sends only what
    /// was not sent — so a server lost between the insert and the queue loses no delivery.
    /// </summary>
    internal Bulletin Send(Bulletin bulletin)
    {
        jobs.Enqueue<DeliverBulletin>(d => d.RunAsync(bulletin.Id, CancellationToken.None));
        return bulletin;
    }

    /// <summary>Stores a bulletin numbered after the last of its kind this year (a special one's key is its number).</summary>
    internal async Task<Bulletin> InsertAsync(int jurisdictionId, BulletinKind kind, BulletinPeriod period, string title, string text,
        BulletinContent content, string by, CancellationToken ct)
    {
        var year = clock.Today.Year;
        var number = 1 + (await db.Bulletins.Where(b => b.JurisdictionId == jurisdictionId && b.Kind == kind && b.Year == year)
            .MaxAsync(b => (int?)b.Number, ct) ?? 0);
        var bulletin = new Bulletin
        {
            JurisdictionId = jurisdictionId,
            Kind = kind,
            PeriodKey = kind == BulletinKind.Special ? $"{year}-{number}" : period.Key,
            Year = year,
            Number = number,
            Title = title,
            Text = text,
            PeriodFrom = period.From,
            PeriodTo = period.To,
            IssuedOn = clock.Today,
            IssuedAt = clock.Now,
            IssuedBy = by,
            Content = content.Serialize(),
        };
        db.Bulletins.Add(bulletin);
        await db.SaveChangesAsync(ct);
        return bulletin;
    }

    private Task<Bulletin?> FindAsync(int jurisdictionId, BulletinKind kind, string key, CancellationToken ct) =>
        db.Bulletins.AsNoTracking().SingleOrDefaultAsync(b => b.JurisdictionId == jurisdictionId && b.Kind == kind && b.PeriodKey == key, ct);

    /// <summary>The last bulletin of the kind not withdrawn: what "new since" and the ranking's moves compare with.</summary>
    internal async Task<BulletinContent?> PreviousAsync(int jurisdictionId, BulletinKind kind, CancellationToken ct) =>
        await db.Bulletins.Where(b => b.JurisdictionId == jurisdictionId && b.Kind == kind && b.WithdrawnAt == null)
            .OrderByDescending(b => b.IssuedAt).ThenByDescending(b => b.Id).Select(b => b.Content).FirstOrDefaultAsync(ct) is { } json
            ? BulletinContent.Read(json)
            : null;

    internal Task<string> NameAsync(int jurisdictionId, CancellationToken ct) =>
        db.Jurisdictions.Where(j => j.Id == jurisdictionId).Select(j => j.Name).SingleAsync(ct);

    public static string TitleOf(BulletinKind kind) => kind switch
    {
        BulletinKind.Daily => "重点工作日通报",
        BulletinKind.Weekly => "重点工作周调度通报",
        BulletinKind.Monthly => "重点工作月度通报",
        _ => "专项通报",
    };
}

/// <summary>
/// The recurring job of a kind: issues that kind's bulletin for every jurisdiction that has it switched on, each in
/// its own scope (one jurisdiction's failure does not stop the others; the job fails at the end and Hangfire retries it,
/// which issues only what is missing).
/// </summary>
public sealed class BulletinRunner(TrackerDbContext db, IServiceScopeFactory scopes, ILogger<BulletinRunner> log)
{
    public const string System = "system";

    public async Task RunAsync(BulletinKind kind, CancellationToken ct)
    {
        var jurisdictions = await db.BulletinSettings.AsNoTracking()
            .Where(s => kind == BulletinKind.Daily ? s.Daily : kind == BulletinKind.Weekly ? s.Weekly : kind == BulletinKind.Monthly && s.Monthly)
            .OrderBy(s => s.JurisdictionId).Select(s => s.JurisdictionId).ToListAsync(ct);
        var failed = new List<Exception>();
        foreach (var jurisdiction in jurisdictions)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<IssueBulletin>().RunAsync(jurisdiction, kind, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "The {Kind} bulletin of jurisdiction {Jurisdiction} was not issued", kind, jurisdiction);
                failed.Add(e);
            }
        }
        if (failed.Count > 0)
            throw new AggregateException($"{failed.Count} of {jurisdictions.Count} {kind} bulletins were not issued.", failed);
    }
}
