"""What the consultation page shows of each poll, built in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cooperative.permissions import allowed
from participation.polls.forms import OTHER, BallotForm, ballot_values
from participation.polls.models import Poll
from participation.polls.results import PollResult, poll_result
from participation.polls.selectors import polls_for_viewer


@dataclass
class PollView:
    poll: Poll
    can_vote: bool
    can_change: bool
    can_close: bool
    voted: bool
    closed: bool
    phase_open: bool
    show_results: bool
    result: PollResult | None
    form: BallotForm | None
    ballot: dict
    choice_rows: list[dict]
    other_value: str = OTHER
    # The viewer's own answer, as marks per option id (and OTHER for a free-text answer):
    # rendered for the viewer alone, never into what is broadcast or published.
    own_marks: dict[str, str] = field(default_factory=dict)

    @property
    def show_form(self) -> bool:
        return (self.can_vote and not self.voted) or (self.voted and self.can_change)


def own_marks(user, poll: Poll) -> dict[str, str]:
    """What the viewer answered, as a short mark per option ("Your choice", "Your place: 2",
    "Your rating: 4"), from the vote the selector loaded for this viewer only."""
    vote = getattr(poll, "viewer_vote", None)
    if vote is None or not user.is_authenticated or getattr(poll, "viewer_id", None) != user.pk:
        return {}
    marks: dict[str, str] = {}
    for answer in vote.answers.all():
        if poll.kind == Poll.Kind.RANKING and answer.rank:
            marks[str(answer.choice_id)] = _("Your place: %(place)d") % {"place": answer.rank}
        elif poll.kind == Poll.Kind.RATING and answer.rating:
            marks[str(answer.choice_id)] = _("Your rating: %(rating)d") % {"rating": answer.rating}
        else:
            marks[str(answer.choice_id)] = _("Your choice")
    if vote.other_text and poll.allow_other:
        marks[OTHER] = _("Your choice")
    return marks


def poll_view(user, poll: Poll, form: BallotForm | None = None) -> PollView:
    voted = bool(getattr(poll, "viewer_voted", False))
    can_vote = allowed(user, "participation_polls.vote_poll", poll)
    show_results = allowed(user, "participation_polls.view_results_poll", poll)
    phase = poll.page.current_phase()
    values = ballot_values(poll, form)
    marks = own_marks(user, poll)
    rows = [
        {
            "id": str(c.pk),
            "own": marks.get(str(c.pk), ""),
            "text": c.text,
            "checked": str(c.pk) in values["selected"],
            "rank": values["ranks"].get(str(c.pk), ""),
            "rating": values["ratings"].get(str(c.pk), ""),
            "errors": form.errors.get(f"rank_{c.pk}") or form.errors.get(f"rating_{c.pk}")
            if form is not None and form.is_bound
            else None,
        }
        for c in poll.choices.all()
    ]
    return PollView(
        poll=poll,
        can_vote=can_vote,
        can_change=can_vote and poll.allow_change,
        can_close=allowed(user, "participation_polls.close_poll", poll),
        voted=voted,
        closed=poll.is_closed(),
        phase_open=bool(phase and phase.allows("vote")),
        show_results=show_results,
        result=poll_result(poll) if show_results else None,
        form=form,
        ballot={
            **values,
            "places": [str(i) for i in range(1, len(rows) + 1)],
            "steps": [str(i) for i in range(1, poll.scale_max + 1)],
        },
        choice_rows=rows,
        own_marks=marks,
    )


def polls_context(request, consultation) -> dict:
    user = request.user
    return {"polls": [poll_view(user, poll) for poll in polls_for_viewer(user, consultation)]}
