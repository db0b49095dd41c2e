"""Property tests of the majority rules: exact integer and fraction arithmetic."""

import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from cooperative.governance.majority import Count, ballot_outcome, majority_reached, quorum_reached

GROUPS = ("citizens", "administration", "parties", "associations")
vote = st.tuples(st.sampled_from(GROUPS), st.sampled_from(("yes", "no", "abstain")))
votes = st.lists(vote, max_size=60)
majorities = st.sampled_from(("simple", "two_thirds", "three_quarters"))
SETTINGS = settings(max_examples=150, deadline=None)


@SETTINGS
@given(votes, majorities, st.integers(0, 100), st.booleans(), st.randoms(use_true_random=False))
def test_order_does_not_matter(ballots, majority, quorum, every_group, rnd):
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    kwargs = {
        "eligible": len(ballots) + 5,
        "majority": majority,
        "quorum": Fraction(quorum, 100),
        "every_group": every_group,
    }
    assert ballot_outcome(ballots, **kwargs) == ballot_outcome(shuffled, **kwargs)


@SETTINGS
@given(votes, majorities, st.integers(0, 30))
def test_abstentions_are_not_votes_cast(ballots, majority, extra_abstentions):
    more = ballots + [("citizens", "abstain")] * extra_abstentions
    a = ballot_outcome(ballots, eligible=100, majority=majority)
    b = ballot_outcome(more, eligible=100, majority=majority)
    assert a.majority_met == b.majority_met
    assert b.total.cast == a.total.cast


@SETTINGS
@given(st.integers(0, 400), st.integers(0, 400), st.integers(0, 50))
def test_thresholds_are_exact(yes, no, abstain):
    count = Count(yes, no, abstain)
    cast = yes + no
    assert majority_reached(count, "simple") == (yes > no)
    assert majority_reached(count, "two_thirds") == (cast > 0 and 3 * yes >= 2 * cast)
    assert majority_reached(count, "three_quarters") == (cast > 0 and 4 * yes >= 3 * cast)


def test_boundaries():
    # Exactly three quarters passes, one vote fewer does not.
    assert majority_reached(Count(75, 25), "three_quarters")
    assert not majority_reached(Count(74, 26), "three_quarters")
    assert majority_reached(Count(3, 1, 50), "three_quarters")  # abstentions do not count
    # Exactly two thirds passes.
    assert majority_reached(Count(2, 1), "two_thirds")
    assert majority_reached(Count(200, 100), "two_thirds")
    assert not majority_reached(Count(199, 101), "two_thirds")
    # A tie is no simple majority; no votes cast adopt nothing.
    assert not majority_reached(Count(5, 5), "simple")
    assert not majority_reached(Count(0, 0, 10), "simple")
    assert not majority_reached(Count(0, 0, 10), "three_quarters")
    # Quorum: exactly the share passes; abstentions take part.
    assert quorum_reached(25, 100, Fraction(1, 4))
    assert not quorum_reached(24, 100, Fraction(1, 4))
    assert quorum_reached(1, 3, Fraction(33, 100))
    assert not quorum_reached(0, 0, Fraction(1, 10))
    assert quorum_reached(0, 0, Fraction(0))


@SETTINGS
@given(st.integers(1, 300), st.integers(0, 300), st.integers(0, 100))
def test_quorum_is_exact(eligible, participants, percent):
    participants = min(participants, eligible)
    expected = 100 * participants >= percent * eligible
    assert quorum_reached(participants, eligible, Fraction(percent, 100)) == expected


@SETTINGS
@given(votes, majorities)
def test_majority_in_every_group(ballots, majority):
    outcome = ballot_outcome(ballots, eligible=len(ballots), majority=majority, every_group=True)
    plain = ballot_outcome(ballots, eligible=len(ballots), majority=majority)
    for group in GROUPS:
        own = [choice for g, choice in ballots if g == group]
        cast = sum(1 for c in own if c != "abstain")
        if cast == 0:
            assert group not in outcome.groups_met
        else:
            yes = own.count("yes")
            assert outcome.groups_met[group] == majority_reached(
                Count(yes, own.count("no")), majority
            )
    assert outcome.adopted == (plain.adopted and all(outcome.groups_met.values()))


def test_one_group_outvoted_blocks_the_motion():
    ballots = [("citizens", "yes")] * 90 + [("parties", "no")] * 6 + [("parties", "yes")] * 4
    assert ballot_outcome(ballots, eligible=100, majority="simple").adopted
    outcome = ballot_outcome(ballots, eligible=100, majority="simple", every_group=True)
    assert not outcome.adopted
    assert outcome.groups_met == {"citizens": True, "parties": False}


def test_random_large_ballot_matches_direct_count():
    rng = random.Random(3)
    ballots = [(rng.choice(GROUPS), rng.choice(("yes", "no", "abstain"))) for _ in range(1000)]
    outcome = ballot_outcome(ballots, eligible=1200, majority="simple", quorum=Fraction(1, 2))
    yes = sum(1 for _g, c in ballots if c == "yes")
    no = sum(1 for _g, c in ballots if c == "no")
    assert outcome.total.yes == yes and outcome.total.no == no
    assert outcome.adopted == (yes > no)
