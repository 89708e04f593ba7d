namespace Tracker.Domain;

// 民生实事代表票决制: the public proposes, supervisors screen proposals into candidates, the deputies
// of the jurisdiction's congress vote, passing candidates become the year's livelihood items, deputy
// groups supervise them, and at the year's end every deputy rates them.

public enum ProposerKind
{
    Public,
    Deputy,
    Department,
}

public enum ProposalStatus
{
    Submitted,
    /// <summary>Screened into a candidate (on its own or merged with others).</summary>
    Candidate,
    Rejected,
}

public sealed class Proposal
{
    public long Id { get; set; }
    public int JurisdictionId { get; set; }
    public int Year { get; set; }
    public required string Title { get; set; }
    public string Description { get; set; } = "";
    public ProposerKind ProposerKind { get; set; }

    /// <summary>Set for deputies and departments; the public stays anonymous.</summary>
    public string? ProposerUserId { get; set; }

    /// <summary>What the proposer keeps to follow the proposal, and the only way to see it anonymously.</summary>
    public required string ReceiptCode { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }
    public ProposalStatus Status { get; set; }
    public long? CandidateId { get; set; }
    public string? RejectionReason { get; set; }

    public void Reject(string reason)
    {
        EnsureSubmitted();
        Status = ProposalStatus.Rejected;
        RejectionReason = reason;
    }

    public void Join(Candidate candidate)
    {
        EnsureSubmitted();
        if (candidate.JurisdictionId != JurisdictionId || candidate.Year != Year)
            throw new DomainException(ErrorCodes.ProposalScope, "A proposal joins a candidate of its own jurisdiction and year.");
        Status = ProposalStatus.Candidate;
        CandidateId = candidate.Id;
    }

    private void EnsureSubmitted()
    {
        if (Status != ProposalStatus.Submitted)
            throw new DomainException(ErrorCodes.ProposalState, $"The proposal was screened already ({Status}).");
    }
}

/// <summary>A screened candidate for the vote, with the estimated cost and the department that would carry it out.</summary>
public sealed class Candidate
{
    public long Id { get; set; }
    public int JurisdictionId { get; set; }
    public int Year { get; set; }
    public required string Title { get; set; }
    public string Description { get; set; } = "";
    public decimal EstimatedCost { get; set; }
    public int DepartmentId { get; set; }

    /// <summary>The livelihood item the vote made of it.</summary>
    public long? InitiativeId { get; set; }
}

public enum BallotMode
{
    /// <summary>For, against or abstain on each candidate.</summary>
    ForAgainstAbstain,
    /// <summary>Mark at most <see cref="CongressSession.ItemsToChoose"/> candidates "for".</summary>
    ChooseUpTo,
}

public enum PassRule
{
    /// <summary>More than half of all the session's deputies in favour.</summary>
    MajorityOfDeputies,
    /// <summary>More than half of the ballots cast in favour.</summary>
    MajorityOfBallots,
}

public enum VoteChoice
{
    For,
    Against,
    Abstain,
}

public sealed class CongressSession
{
    public long Id { get; set; }
    public int JurisdictionId { get; set; }
    public int Year { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset OpensAt { get; set; }
    public DateTimeOffset ClosesAt { get; set; }
    public int ItemsToChoose { get; set; }
    public BallotMode Mode { get; set; }
    public PassRule PassRule { get; set; }

    /// <summary>The deputies of the jurisdiction's congress when the session was set up: the base of "more than half".</summary>
    public int Deputies { get; set; }

    public List<long> CandidateIds { get; set; } = [];
    public bool Adopted { get; set; }

    public bool IsOpen(DateTimeOffset now) => now >= OpensAt && now < ClosesAt;
    public bool IsClosed(DateTimeOffset now) => now >= ClosesAt;

    /// <summary>Checks a ballot against the session's window and rule; one ballot per deputy is the database's unique key.</summary>
    public void Check(IReadOnlyList<BallotChoice> choices, DateTimeOffset now)
    {
        if (!IsOpen(now))
            throw new DomainException(ErrorCodes.VotingClosed, now < OpensAt ? "Voting has not opened yet." : "Voting has closed.");
        if (choices.Select(c => c.CandidateId).Distinct().Count() != choices.Count)
            throw new DomainException(ErrorCodes.Ballot, "A candidate appears twice on the ballot.");
        if (choices.FirstOrDefault(c => !CandidateIds.Contains(c.CandidateId)) is { } stranger)
            throw new DomainException(ErrorCodes.Ballot, $"Candidate {stranger.CandidateId} is not on this session's ballot.");
        if (Mode == BallotMode.ChooseUpTo && choices.Count(c => c.Choice == VoteChoice.For) > ItemsToChoose)
            throw new DomainException(ErrorCodes.BallotTooMany, $"Choose at most {ItemsToChoose} candidates.") { Args = [ItemsToChoose] };
    }
}

/// <summary>A deputy's ballot. Who voted is kept (one ballot each); how they voted is shown to nobody else.</summary>
public sealed class Ballot
{
    public long Id { get; set; }
    public long SessionId { get; set; }
    public required string DeputyUserId { get; set; }
    public DateTimeOffset CastAt { get; set; }
    public List<BallotChoice> Choices { get; set; } = [];
}

public sealed class BallotChoice
{
    public long BallotId { get; set; }
    public long CandidateId { get; set; }
    public VoteChoice Choice { get; set; }
}

public sealed record CandidateResult(long CandidateId, int For, int Against, int Abstain, int Rank, bool Passes, bool Chosen, bool TiedAtCutoff);

public sealed record VoteResult(int Deputies, int BallotsCast, int VotesNeeded, IReadOnlyList<CandidateResult> Candidates)
{
    public IReadOnlyList<long> Chosen => [.. Candidates.Where(c => c.Chosen).Select(c => c.CandidateId)];
    public IReadOnlyList<long> TiedAtCutoff => [.. Candidates.Where(c => c.TiedAtCutoff).Select(c => c.CandidateId)];
}

public static class Tally
{
    /// <summary>
    /// Counts the stored ballots: candidates ranked by votes in favour; those with enough votes pass;
    /// the first <see cref="CongressSession.ItemsToChoose"/> passing ones are chosen. Candidates tied
    /// for the last place are reported as tied and none of them is chosen: the congress breaks the tie.
    /// </summary>
    public static VoteResult Count(CongressSession session, IEnumerable<Ballot> ballots)
    {
        var cast = ballots.ToList();
        var needed = (session.PassRule == PassRule.MajorityOfDeputies ? session.Deputies : cast.Count) / 2 + 1;
        var counts = session.CandidateIds.Select(id =>
        {
            var choices = cast.Select(b => b.Choices.FirstOrDefault(c => c.CandidateId == id)?.Choice).ToList();
            // In "choose up to N" a candidate not marked is not chosen by that deputy: it counts as against.
            var against = session.Mode == BallotMode.ChooseUpTo
                ? choices.Count(c => c != VoteChoice.For)
                : choices.Count(c => c == VoteChoice.Against);
            return (Id: id, For: choices.Count(c => c == VoteChoice.For), Against: against,
                Abstain: session.Mode == BallotMode.ChooseUpTo ? 0 : cast.Count - against - choices.Count(c => c == VoteChoice.For));
        }).OrderByDescending(c => c.For).ThenBy(c => c.Id).ToList();

        var passing = counts.Where(c => c.For >= needed).ToList();
        int? tiedAt = passing.Count > session.ItemsToChoose && session.ItemsToChoose > 0
            && passing[session.ItemsToChoose - 1].For == passing[session.ItemsToChoose].For
            ? passing[session.ItemsToChoose - 1].For
            : null;

        return new VoteResult(session.Deputies, cast.Count, needed, [.. counts.Select(c =>
        {
            var passes = c.For >= needed;
            var tied = passes && tiedAt == c.For;
            var chosen = passes && !tied && passing.IndexOf(c) < session.ItemsToChoose;
            return new CandidateResult(c.Id, c.For, c.Against, c.Abstain, 1 + counts.Count(o => o.For > c.For), passes, chosen, tied);
        })]);
    }
}

public enum InspectionKind
{
    SiteVisit,
    Research,
    SpecialReport,
    Inquiry,
}

/// <summary>A deputy supervision group (代表小组), assigned to one or more livelihood items.</summary>
public sealed class DeputyGroup
{
    public long Id { get; set; }
    public int JurisdictionId { get; set; }
    public required string Name { get; set; }
    public List<string> MemberUserIds { get; set; } = [];
    public List<long> InitiativeIds { get; set; } = [];
}

public sealed class Inspection
{
    public long Id { get; set; }
    public long InitiativeId { get; set; }
    public long? GroupId { get; set; }
    public required string DeputyUserId { get; set; }
    public InspectionKind Kind { get; set; }
    public DateOnly On { get; set; }
    public required string Findings { get; set; }
    public List<Attachment> Photos { get; set; } = [];
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>A request from an inspection that the responsible department must answer by a date.</summary>
public sealed class FollowUp
{
    public long Id { get; set; }
    public long InspectionId { get; set; }
    public long InitiativeId { get; set; }
    public int DepartmentId { get; set; }
    public required string Request { get; set; }
    public DateOnly DueOn { get; set; }
    public string? Answer { get; set; }
    public string? AnsweredBy { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }

    public bool IsOverdue(DateOnly today) => Answer is null && DueOn < today;

    public void Respond(string by, string answer, DateTimeOffset now)
    {
        if (Answer is not null)
            throw new DomainException(ErrorCodes.FollowUpAnswered, "The request was answered already.");
        Answer = answer;
        AnsweredBy = by;
        AnsweredAt = now;
    }
}

public enum Rating
{
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
}

/// <summary>A deputy's year-end rating of one item (民主评议).</summary>
public sealed class Evaluation
{
    public long Id { get; set; }
    public long InitiativeId { get; set; }
    public required string DeputyUserId { get; set; }
    public int Year { get; set; }
    public Rating Rating { get; set; }
    public string Comment { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

public sealed record RatingSummary(int Satisfied, int BasicallySatisfied, int Dissatisfied, decimal SatisfiedShare, decimal DissatisfiedShare, bool NeedsRectification)
{
    public int Total => Satisfied + BasicallySatisfied + Dissatisfied;

    /// <summary>Shares of the ratings given; flagged for rectification when the dissatisfied share exceeds the threshold.</summary>
    public static RatingSummary Of(IEnumerable<Rating> ratings, decimal rectifyAboveDissatisfiedShare)
    {
        var list = ratings.ToList();
        int s = list.Count(r => r == Rating.Satisfied), b = list.Count(r => r == Rating.BasicallySatisfied), d = list.Count(r => r == Rating.Dissatisfied);
        var total = list.Count;
        var dissatisfied = total == 0 ? 0m : Math.Round((decimal)d / total, 4);
        return new RatingSummary(s, b, d, total == 0 ? 0m : Math.Round((decimal)s / total, 4), dissatisfied, dissatisfied > rectifyAboveDissatisfiedShare);
    }
}
