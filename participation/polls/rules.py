"""Who may vote in a poll, change a vote, see its results and close it.

Voting is open while the consultation's current phase allows it and the poll has not
closed. Results follow the poll's setting; the organisation's editors and speakers, and
the platform admin, see them at any time (they answer for the consultation).
"""

import rules
from django.utils import timezone

from cooperative.accounts.rules import is_verified
from participation.consultations.rules import (
    is_admin,
    is_editor,
    is_published,
    is_speaker,
    phase_allows,
)


def _on_page(predicate):
    """Apply a consultation predicate to a poll's consultation."""

    @rules.predicate(name=f"poll_{predicate.name}")
    def wrapped(user, poll) -> bool:
        return poll is not None and predicate.test(user, poll.page)

    return wrapped


@rules.predicate
def poll_is_open(user, poll) -> bool:
    return poll is not None and not poll.is_closed()


@rules.predicate
def poll_allows_change(user, poll) -> bool:
    return poll is not None and poll.allow_change


@rules.predicate
def has_voted(user, poll) -> bool:
    if poll is None or not user.is_authenticated:
        return False
    voted = getattr(poll, "viewer_voted", None)  # set by the selectors for the page's viewer
    if voted is not None and getattr(poll, "viewer_id", None) == user.pk:
        return bool(voted)
    return poll.votes.filter(user=user).exists()


@rules.predicate
def results_live(user, poll) -> bool:
    return poll is not None and poll.results_visibility == "live"


@rules.predicate
def results_after_vote(user, poll) -> bool:
    return poll is not None and poll.results_visibility == "after_vote"


@rules.predicate
def phase_allows_vote(user, poll) -> bool:
    """The consultation's current phase opens voting; from the phases the selector loaded
    where it did (the same rule as ConsultationPage.current_phase)."""
    if poll is None:
        return False
    phases = getattr(poll, "phases_loaded", None)
    if phases is None:
        return phase_allows("vote").test(user, poll.page)
    now = timezone.now()
    current = next(
        (p for p in sorted(phases, key=lambda p: p.starts_at) if p.starts_at <= now < p.ends_at),
        None,
    )
    return bool(current and current.allows("vote"))


can_vote = is_verified & _on_page(is_published) & phase_allows_vote & poll_is_open
answers_for_organisation = _on_page(is_editor) | _on_page(is_speaker) | is_admin

rules.add_perm("participation_polls.vote_poll", can_vote)
rules.add_perm("participation_polls.change_vote_poll", can_vote & poll_allows_change)
rules.add_perm(
    "participation_polls.view_results_poll",
    _on_page(is_published) & (results_live | (results_after_vote & has_voted) | ~poll_is_open)
    | answers_for_organisation,
)
rules.add_perm("participation_polls.close_poll", (_on_page(is_editor) | is_admin) & poll_is_open)
