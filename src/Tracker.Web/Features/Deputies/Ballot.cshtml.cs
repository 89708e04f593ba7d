using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Deputies;

/// <summary>
/// A deputy's ballot in a session of their congress: for/against/abstain on each candidate, or "choose up to N".
/// Cast through the API's own handler; afterwards the page shows the deputy's own choices, and nobody else's.
/// </summary>
public sealed class BallotModel(TrackerDbContext db, OfficeClock clock, IValidator<BallotInput> validator) : TrackerPage
{
    /// <summary>The text the view shows when a candidate was left without a choice (a key of the page's resources).</summary>
    public const string MissingChoice = "请选择赞成、反对或弃权。";

    /// <summary>The text shown for the API's "voted" refusal.</summary>
    public const string AlreadyVoted = "您已在本次会议投过票，每位代表只能投一次。";

    /// <summary>The text shown for the API's "ballot" refusal, which a ballot made on this form meets only by choosing too many; {0} is the limit.</summary>
    public const string TooMany = "最多只能选择 {0} 项，请减少选择。";

    public sealed record Row(long Id, string Title, string Department, decimal EstimatedCost, string Description);

    public SessionDto Session { get; private set; } = null!;
    public IReadOnlyList<Row> Candidates { get; private set; } = [];
    public BallotDto? Mine { get; private set; }
    public bool IsOpen { get; private set; }
    public bool NotYetOpen { get; private set; }

    // Named, so that a form without these fields never binds them from the other fields' names;
    // nullable, so that a form without them is not "required" to have them.

    /// <summary>For, against or abstain per candidate id (mode ForAgainstAbstain).</summary>
    [BindProperty(Name = nameof(Choices))] public Dictionary<long, VoteChoice?>? Choices { get; set; }

    /// <summary>The candidates marked "for" (mode ChooseUpTo).</summary>
    [BindProperty(Name = nameof(Chosen))] public List<long>? Chosen { get; set; }

    [TempData] public string? Done { get; set; }

    public async Task OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct);

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        var choices = Choices ?? [];
        var chosen = Chosen ?? [];
        var input = new BallotInput(Session.Mode == BallotMode.ChooseUpTo
            // Unmarked candidates are "not chosen", which the count takes as against.
            ? [.. Session.CandidateIds.Select(c => new ChoiceInput(c, chosen.Contains(c) ? VoteChoice.For : VoteChoice.Against))]
            : [.. Session.CandidateIds.Where(c => choices.GetValueOrDefault(c) is not null).Select(c => new ChoiceInput(c, choices[c]!.Value))]);
        var cast = await TrySubmitAsync(async () =>
        {
            // A paper ballot is complete: every candidate gets a choice before it goes in the box.
            var missing = Session.Mode == BallotMode.ForAgainstAbstain
                ? Session.CandidateIds.Where(c => choices.GetValueOrDefault(c) is null).ToList()
                : [];
            if (missing.Count > 0)
                throw new ValidationException([.. missing.Select(c => new ValidationFailure($"Choices[{c}]", MissingChoice))]);
            await validator.ValidateAndThrowAsync(input, ct);
            try
            {
                await VotingApi.Cast(id, input, Viewer, db, clock, ct);
            }
            catch (DomainException e) when (e.Code == "voted")
            {
                throw new DomainException(e.Code, AlreadyVoted);
            }
            catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
            {
                // Two submissions at once: the second meets the one-ballot-per-deputy key.
                throw new DomainException("voted", AlreadyVoted);
            }
            catch (DomainException e) when (e.Code == "ballot" && Session.Mode == BallotMode.ChooseUpTo)
            {
                throw new DomainException(e.Code, TooMany);
            }
        });
        if (cast)
        {
            Done = "您的选票已投出。";
            return RedirectToPage(new { id });
        }
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        var viewer = Viewer;
        Session = (await VotingApi.Get(id, viewer, db, ct)).Value!;
        var now = clock.Now;
        IsOpen = Session.OpensAt <= now && now < Session.ClosesAt;
        NotYetOpen = now < Session.OpensAt;
        var candidates = (await ProposalsApi.Candidates(Session.JurisdictionId, Session.Year, viewer, db, ct)).Value!
            .Where(c => Session.CandidateIds.Contains(c.Id)).ToList();
        var order = Session.CandidateIds.ToList();
        var departments = candidates.Select(c => c.DepartmentId).Distinct().ToList();
        var names = await db.Departments.AsNoTracking().Where(d => departments.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        Candidates = [.. candidates.OrderBy(c => order.IndexOf(c.Id))
            .Select(c => new Row(c.Id, c.Title, names.GetValueOrDefault(c.DepartmentId, ""), c.EstimatedCost, c.Description))];
        Mine = await db.Ballots.AnyAsync(b => b.SessionId == id && b.DeputyUserId == viewer.UserId, ct)
            ? (await VotingApi.Mine(id, viewer, db, ct)).Value
            : null;
    }
}
