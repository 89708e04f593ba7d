using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Livelihood;

/// <summary>
/// A deputy's ballot in a session of their congress: for/against/abstain on each candidate, or "choose up to N".
/// Cast through <see cref="CastBallot"/>, as the API does; afterwards the page shows the deputy's own choices, and nobody else's.
/// </summary>
[Authorize(Policy = Policies.Represent)]
public sealed class BallotModel(TrackerDbContext db, OfficeClock clock, ReadSession sessions, CastBallot cast) : TrackerPage
{
    /// <summary>The text the view shows when a candidate was left without a choice (a key of the page's resources).</summary>
    public const string MissingChoice = "请选择赞成、反对或弃权。";

    public sealed record Row(long Id, string Title, string Department, decimal EstimatedCost, string Description);

    public SessionDto Session { get; private set; } = null!;
    public IReadOnlyList<Row> Candidates { get; private set; } = [];
    public BallotDto? Mine { get; private set; }
    public bool IsOpen { get; private set; }
    public bool NotYetOpen { get; private set; }

    /// <summary>Only deputies of the session's own congress vote; a deputy from above reads the ballot without a form.</summary>
    public bool MayVote => Viewer.Is(Roles.Deputy) && Viewer.JurisdictionId == Session.JurisdictionId;

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
        var voted = await TrySubmitAsync(async () =>
        {
            // A paper ballot is complete: every candidate gets a choice before it goes in the box.
            var missing = Session.Mode == BallotMode.ForAgainstAbstain
                ? Session.CandidateIds.Where(c => choices.GetValueOrDefault(c) is null).ToList()
                : [];
            if (missing.Count > 0)
                throw new ValidationException([.. missing.Select(c => new ValidationFailure($"Choices[{c}]", MissingChoice))]);
            await cast.RunAsync(id, input, ct);
        });
        if (voted)
        {
            Done = "您的选票已投出。";
            return RedirectToPage(new { id });
        }
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        Session = await sessions.GetAsync(id, ct);
        var now = clock.Now;
        IsOpen = Session.OpensAt <= now && now < Session.ClosesAt;
        NotYetOpen = now < Session.OpensAt;
        // The session's own candidates (whoever reads the session reads its ballot), with their departments.
        var order = Session.CandidateIds.ToList();
        var candidates = await db.Candidates.AsNoTracking().Where(c => order.Contains(c.Id))
            .Select(c => new { c.Id, c.Title, Department = db.Departments.Where(d => d.Id == c.DepartmentId).Select(d => d.Name).FirstOrDefault(), c.EstimatedCost, c.Description })
            .ToListAsync(ct);
        Candidates = [.. candidates.OrderBy(c => order.IndexOf(c.Id)).Select(c => new Row(c.Id, c.Title, c.Department ?? "", c.EstimatedCost, c.Description))];
        Mine = await sessions.MineAsync(id, ct);
    }
}
