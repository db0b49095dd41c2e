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
