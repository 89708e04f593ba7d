namespace Tracker.Domain.Tests;

public sealed class TallyTests
{
    private static CongressSession Session(int deputies, int choose, BallotMode mode = BallotMode.ForAgainstAbstain, PassRule rule = PassRule.MajorityOfDeputies) => new()
    {
        Name = "会议",
        Deputies = deputies,
        ItemsToChoose = choose,
        Mode = mode,
        PassRule = rule,
        CandidateIds = [1, 2, 3, 4],
        OpensAt = new(2026, 1, 10, 0, 0, 0, TimeSpan.Zero),
        ClosesAt = new(2026, 1, 10, 4, 0, 0, TimeSpan.Zero),
    };

    private static Ballot Ballot(params (long Candidate, VoteChoice Choice)[] choices) => new()
    {
        DeputyUserId = Guid.NewGuid().ToString(),
        Choices = [.. choices.Select(c => new BallotChoice { CandidateId = c.Candidate, Choice = c.Choice })],
    };

    private static Ballot For(params long[] candidates) => Ballot([.. candidates.Select(c => (c, VoteChoice.For))]);

    [Fact]
    public void More_than_half_of_all_deputies_is_needed_even_if_few_voted()
    {
        var result = Tally.Count(Session(deputies: 10, choose: 4), [For(1, 2), For(1, 2), For(1), For(1), For(1), For(1)]);

        Assert.Equal(6, result.VotesNeeded);
        Assert.Equal([1L], result.Chosen);
        Assert.False(result.Candidates.Single(c => c.CandidateId == 2).Passes);
    }

    [Fact]
    public void The_majority_of_ballots_rule_counts_the_ballots_cast()
    {
        var result = Tally.Count(Session(deputies: 10, choose: 4, rule: PassRule.MajorityOfBallots), [For(1, 2), For(1, 2), For(1)]);

        Assert.Equal(2, result.VotesNeeded);
        Assert.Equal([1L, 2L], result.Chosen);
    }

    [Fact]
    public void A_tie_at_the_cut_off_is_reported_and_none_of_the_tied_is_chosen()
    {
        var result = Tally.Count(Session(deputies: 3, choose: 2), [For(1, 2, 3), For(1, 2, 3), For(1)]);

        Assert.Equal([1L], result.Chosen);
        Assert.Equal([2L, 3L], result.TiedAtCutoff);
        Assert.All(result.Candidates.Where(c => c.CandidateId is 2 or 3), c => Assert.Equal(2, c.Rank));
    }

    [Fact]
    public void A_tie_above_the_cut_off_is_no_problem()
    {
        var result = Tally.Count(Session(deputies: 3, choose: 2), [For(1, 2, 3), For(1, 2), For(1, 2, 3)]);

        Assert.Equal([1L, 2L], result.Chosen);
        Assert.Empty(result.TiedAtCutoff);
    }

    [Fact]
    public void Against_and_abstain_are_counted_and_a_missing_choice_abstains()
    {
        var result = Tally.Count(Session(deputies: 3, choose: 1), [Ballot((1, VoteChoice.Against)), Ballot((1, VoteChoice.Abstain)), Ballot((2, VoteChoice.For))]);

        var first = result.Candidates.Single(c => c.CandidateId == 1);
        Assert.Equal((0, 1, 2), (first.For, first.Against, first.Abstain));
    }

    [Fact]
    public void In_choose_up_to_mode_a_ballot_may_not_choose_more_than_the_items_and_unmarked_counts_against()
    {
        var session = Session(deputies: 3, choose: 2, mode: BallotMode.ChooseUpTo);
        var open = session.OpensAt.AddMinutes(1);

        var tooMany = Assert.Throws<DomainException>(() => session.Check([new() { CandidateId = 1 }, new() { CandidateId = 2 }, new() { CandidateId = 3 }], open));
        var result = Tally.Count(session, [For(1, 2), For(1)]);

        Assert.Equal(ErrorCodes.BallotTooMany, tooMany.Code);
        Assert.Equal((1, 1, 0), (result.Candidates.Single(c => c.CandidateId == 2).For, result.Candidates.Single(c => c.CandidateId == 2).Against, result.Candidates.Single(c => c.CandidateId == 2).Abstain));
    }

    [Theory]
    [InlineData(-1, "voting-closed")]
    [InlineData(240, "voting-closed")]
    public void Ballots_outside_the_window_are_refused(int minutesAfterOpening, string code)
    {
        var session = Session(3, 1);

        var refused = Assert.Throws<DomainException>(() => session.Check([new() { CandidateId = 1 }], session.OpensAt.AddMinutes(minutesAfterOpening)));

        Assert.Equal(code, refused.Code);
    }

    [Fact]
    public void A_ballot_naming_a_stranger_or_a_candidate_twice_is_refused()
    {
        var session = Session(3, 1);
        var open = session.OpensAt.AddMinutes(1);

        Assert.Throws<DomainException>(() => session.Check([new() { CandidateId = 99 }], open));
        Assert.Throws<DomainException>(() => session.Check([new() { CandidateId = 1 }, new() { CandidateId = 1, Choice = VoteChoice.Against }], open));
    }

    [Fact]
    public void Ratings_are_summarised_and_flagged_above_the_dissatisfied_share()
    {
        var summary = RatingSummary.Of([Rating.Satisfied, Rating.Satisfied, Rating.BasicallySatisfied, Rating.Dissatisfied], 0.2m);
        var fine = RatingSummary.Of([Rating.Satisfied, Rating.Dissatisfied, Rating.Satisfied, Rating.Satisfied, Rating.Satisfied], 0.2m);

        Assert.Equal((2, 1, 1, 0.5m, 0.25m, true), (summary.Satisfied, summary.BasicallySatisfied, summary.Dissatisfied, summary.SatisfiedShare, summary.DissatisfiedShare, summary.NeedsRectification));
        Assert.False(fine.NeedsRectification);      // exactly at the threshold is not above it
        Assert.False(RatingSummary.Of([], 0.2m).NeedsRectification);
    }
}
