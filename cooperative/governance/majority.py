"""The arithmetic of a ballot's result: exact, in integers and fractions, never floats.

- Votes cast are yes and no; abstentions are not cast (they count towards the quorum,
  because an abstaining member took part).
- Simple majority: more yes than no. Two-thirds / three-quarters: at least that share
  of the votes cast (GenG §16: "drei Viertel der abgegebenen Stimmen"), so exactly 75 %
  passes a three-quarters majority.
- Quorum: the members taking part (yes, no, abstain) are at least the given share of the
  eligible members.
- Majority in every member group: each group in which votes were cast reaches the
  majority among its own votes; a group that cast none does not block.
- No votes cast: nothing is adopted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

THRESHOLDS = {
    "simple": None,
    "two_thirds": Fraction(2, 3),
    "three_quarters": Fraction(3, 4),
}


@dataclass(frozen=True)
class Count:
    yes: int = 0
    no: int = 0
    abstain: int = 0

    @property
    def cast(self) -> int:
        return self.yes + self.no

    @property
    def participants(self) -> int:
        return self.yes + self.no + self.abstain

    def as_dict(self) -> dict[str, int]:
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain}


def count_of(choices: Iterable[str]) -> Count:
    c = Counter(choices)
    return Count(yes=c["yes"], no=c["no"], abstain=c["abstain"])


def majority_reached(count: Count, majority: str) -> bool:
    if count.cast == 0:
        return False
    threshold = THRESHOLDS[majority]
    if threshold is None:
        return count.yes > count.no
    return Fraction(count.yes, count.cast) >= threshold


def quorum_reached(participants: int, eligible: int, quorum: Fraction) -> bool:
    if quorum <= 0:
        return True
    if eligible == 0:
        return False
    return Fraction(participants, eligible) >= quorum


@dataclass(frozen=True)
class Outcome:
    adopted: bool
    total: Count
    eligible: int
    quorum_met: bool
    majority_met: bool
    groups: dict[str, Count] = field(default_factory=dict)
    groups_met: dict[str, bool] = field(default_factory=dict)

    @property
    def every_group_met(self) -> bool:
        return all(self.groups_met.values())

    def as_dict(self) -> dict:
        return {
            "adopted": self.adopted,
            "total": self.total.as_dict(),
            "eligible": self.eligible,
            "participants": self.total.participants,
            "quorum_met": self.quorum_met,
            "majority_met": self.majority_met,
            "groups": {g: c.as_dict() for g, c in sorted(self.groups.items())},
            "groups_met": dict(sorted(self.groups_met.items())),
        }


def ballot_outcome(
    votes: Iterable[tuple[str, str]],
    *,
    eligible: int,
    majority: str,
    quorum: Fraction = Fraction(0),
    every_group: bool = False,
) -> Outcome:
    """The outcome of (member group, choice) pairs, one pair per participating member."""
    by_group: dict[str, Counter] = {}
    totals: Counter = Counter()
    for group, choice in votes:
        if choice not in ("yes", "no", "abstain"):
            raise ValueError(f"unknown choice {choice!r}")
        by_group.setdefault(group, Counter())[choice] += 1
        totals[choice] += 1
    return outcome_from_counts(
        total=Count(totals["yes"], totals["no"], totals["abstain"]),
        groups={g: Count(c["yes"], c["no"], c["abstain"]) for g, c in by_group.items()},
        eligible=eligible,
        majority=majority,
        quorum=quorum,
        every_group=every_group,
    )


def outcome_from_counts(
    *,
    total: Count,
    groups: Mapping[str, Count],
    eligible: int,
    majority: str,
    quorum: Fraction = Fraction(0),
    every_group: bool = False,
) -> Outcome:
    quorum_met = quorum_reached(total.participants, eligible, quorum)
    majority_met = majority_reached(total, majority)
    groups_met = (
        {g: majority_reached(c, majority) for g, c in groups.items() if c.cast > 0}
        if every_group
        else {}
    )
    adopted = quorum_met and majority_met and all(groups_met.values())
    return Outcome(
        adopted=adopted,
        total=total,
        eligible=eligible,
        quorum_met=quorum_met,
        majority_met=majority_met,
        groups=dict(groups),
        groups_met=groups_met,
    )


def group_count_disclosable(count: Count, min_voters: int) -> bool:
    """May the count of one member group be published without giving away a vote?

    - At least `min_voters` members of the group voted, and
    - the votes stay split between at least two choices however any one vote is taken
      away: three choices with votes, or two with at least two votes each.

    The second rule is what makes a single vote impossible to infer. A group whose votes
    all went one way tells everyone who knows that a member of it took part how that
    member voted, whatever the group's size; and a group such as 7 yes, 1 no tells the
    one who voted no that all the others voted yes (they subtract their own vote). The
    first rule keeps groups large enough that a few voters comparing notes are unlikely
    to learn the rest.
    """
    if count.participants < min_voters:
        return False
    with_votes = [n for n in (count.yes, count.no, count.abstain) if n > 0]
    return len(with_votes) == 3 or (len(with_votes) == 2 and min(with_votes) >= 2)


def groups_disclosable(groups: Mapping[str, Count], min_voters: int) -> bool:
    """All or nothing: one group held back while the others and the total are shown
    could be worked out by subtraction, so every group with votes must qualify."""
    return all(
        group_count_disclosable(count, min_voters)
        for count in groups.values()
        if count.participants > 0
    )


def result_without_groups(result: dict) -> dict:
    """A stored result (`Outcome.as_dict()`) with the per-group counts and findings
    replaced by one finding for all groups together, as the outcome needs it."""
    kept = {k: v for k, v in result.items() if k not in ("groups", "groups_met")}
    kept["groups_withheld"] = True
    if result.get("groups_met"):
        kept["every_group_met"] = all(result["groups_met"].values())
    return kept
