"""Poll results, always counted from the stored answers (a recount, never a tally kept
on the side), and the figures a chart needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Sum

from participation.polls.models import Poll, PollAnswer, PollVote


@dataclass
class OptionResult:
    choice_id: int
    text: str
    votes: int = 0  # chosen (single, multiple), ranked at all (ranking), rated (rating)
    share: float = 0.0  # of the participants, 0..1
    points: int = 0  # ranking: Borda points (n for a first place ... 1 for the last)
    average: float | None = None  # rating: mean rating
    distribution: list[int] = field(default_factory=list)  # rating: count per scale step
    bar: float = 0.0  # 0..1, the length of the bar in the chart


@dataclass
class PollResult:
    poll_id: int
    kind: str
    participants: int
    options: list[OptionResult]
    other: int = 0
    scale_max: int = 0

    def as_dict(self) -> dict:
        return {
            "poll": self.poll_id,
            "kind": self.kind,
            "participants": self.participants,
            "other": self.other,
            "options": [
                {
                    "choice": o.choice_id,
                    "text": o.text,
                    "votes": o.votes,
                    "points": o.points,
                    "average": o.average,
                    "distribution": o.distribution,
                }
                for o in self.options
            ],
        }


def poll_result(poll: Poll) -> PollResult:
    choices = list(poll.choices.all())
    participants = PollVote.objects.filter(poll=poll).count()
    answers: Any = PollAnswer.objects.filter(poll=poll)
    options = {c.pk: OptionResult(choice_id=c.pk, text=c.text) for c in choices}
    n = len(choices)
    if poll.kind == Poll.Kind.RANKING:
        rows = answers.values("choice").annotate(votes=Count("id"), rank_sum=Sum("rank"))
        for row in rows:
            option = options.get(row["choice"])
            if option:
                option.votes = row["votes"]
                # rank 1 earns n points, rank n earns 1
                option.points = row["votes"] * (n + 1) - (row["rank_sum"] or 0)
        top = max((o.points for o in options.values()), default=0)
        for option in options.values():
            option.bar = option.points / top if top else 0.0
    elif poll.kind == Poll.Kind.RATING:
        scale = poll.scale_max
        for option in options.values():
            option.distribution = [0] * scale
        rows = answers.values("choice", "rating").annotate(votes=Count("id"))
        for row in rows:
            option = options.get(row["choice"])
            if option and row["rating"] and 1 <= row["rating"] <= scale:
                option.distribution[row["rating"] - 1] = row["votes"]
        averages = answers.values("choice").annotate(avg=Avg("rating"), votes=Count("id"))
        for row in averages:
            option = options.get(row["choice"])
            if option:
                option.votes = row["votes"]
                option.average = round(float(row["avg"]), 2) if row["avg"] is not None else None
        for option in options.values():
            option.bar = (option.average or 0) / scale
    else:
        for row in answers.values("choice").annotate(votes=Count("id")):
            option = options.get(row["choice"])
            if option:
                option.votes = row["votes"]
        for option in options.values():
            option.bar = option.votes / participants if participants else 0.0
    for option in options.values():
        option.share = option.votes / participants if participants else 0.0
    other = (
        PollVote.objects.filter(poll=poll).exclude(other_text="").count() if poll.allow_other else 0
    )
    ordered = [options[c.pk] for c in choices]
    if poll.kind == Poll.Kind.RANKING:
        ordered.sort(key=lambda o: -o.points)
    return PollResult(
        poll_id=poll.pk,
        kind=poll.kind,
        participants=participants,
        options=ordered,
        other=other,
        scale_max=poll.scale_max if poll.kind == Poll.Kind.RATING else 0,
    )
