"""Everything a consultation's results page shows, read in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch

from participation.polls.models import Poll
from participation.polls.results import PollResult, poll_result
from participation.polls.selectors import polls_of
from participation.proposals.models import Feedback, Proposal
from participation.proposals.selectors import proposals_visible_to


@dataclass
class ConsultationResults:
    consultation: Any
    polls: list[tuple[Poll, PollResult]] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)


def consultation_results(consultation) -> ConsultationResults:
    polls = []
    for poll in polls_of(consultation):
        poll.page = consultation
        polls.append((poll, poll_result(poll)))
    proposals = list(
        proposals_visible_to(AnonymousUser(), consultation)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "feedback",
                queryset=Feedback.objects.select_related("organisation").order_by("created_at"),
            )
        )
        .order_by("-support_count", "created_at")
    )
    return ConsultationResults(consultation=consultation, polls=polls, proposals=proposals)
