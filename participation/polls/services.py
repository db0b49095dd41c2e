"""Casting, changing and counting votes; closing a poll.

One vote per participant and poll is the database's promise (a unique constraint); a
second attempt becomes a clear message, or a change of the vote where the poll allows
it. On PostgreSQL a vote holds a shared advisory lock on its poll while it is written and
closing takes that lock exclusively, so a vote is either in before the close or refused
after it, never half-counted. (Advisory locks queue fairly: a waiting close holds back new
votes until it is done. Row locks taken FOR SHARE do not, and a busy poll could keep an
editor's close waiting for as long as votes kept coming.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperative.sql import KeyedRows, advisory_lock, insert_or_nothing, read_locked
from participation.polls.live import results_changed
from participation.polls.models import (
    OTHER_MAX_LENGTH,
    Poll,
    PollAnswer,
    PollClosure,
    PollVote,
)


class VoteRefused(ValidationError):
    """A vote that is not taken, with a message for the participant."""


def _already_voted() -> VoteRefused:
    return VoteRefused(_("You have already voted in this poll."), code="duplicate")


def _closed() -> VoteRefused:
    return VoteRefused(
        _("This poll has closed; votes can no longer be cast or changed."), code="closed"
    )


def _answers(
    poll: Poll,
    *,
    choices: Iterable[int],
    ranks: Mapping[int, int] | None,
    ratings: Mapping[int, int] | None,
    other_text: str,
) -> tuple[list[PollAnswer], str]:
    """Check a ballot against the poll's kind; the answer rows to store."""
    valid = {c.pk for c in poll.choices.all()}
    other_text = (other_text or "").strip()
    if other_text and not poll.allow_other:
        raise VoteRefused(_("This poll takes no answers of your own."), code="other")
    if len(other_text) > OTHER_MAX_LENGTH:
        raise VoteRefused(
            _("Your own answer can be at most %(limit)d characters long.")
            % {"limit": OTHER_MAX_LENGTH},
            code="other",
        )
    kind = poll.kind
    if kind in (Poll.Kind.SINGLE, Poll.Kind.MULTIPLE):
        chosen = list(dict.fromkeys(int(c) for c in choices))
        if any(c not in valid for c in chosen):
            raise VoteRefused(_("Please choose among the options of this poll."), code="invalid")
        if not chosen and not other_text:
            raise VoteRefused(_("Please choose an option."), code="empty")
        if kind == Poll.Kind.SINGLE and len(chosen) + (1 if other_text else 0) > 1:
            raise VoteRefused(_("Please choose exactly one option."), code="too_many")
        limit = poll.choice_limit
        if limit is not None and len(chosen) + (1 if other_text else 0) > limit:
            raise VoteRefused(
                _("Please choose at most %(limit)d options.") % {"limit": limit}, code="too_many"
            )
        return [PollAnswer(poll=poll, choice_id=c) for c in chosen], other_text
    if kind == Poll.Kind.RANKING:
        ranks = {int(k): int(v) for k, v in (ranks or {}).items()}
        if set(ranks) != valid:
            raise VoteRefused(_("Please give every option a place."), code="incomplete")
        if sorted(ranks.values()) != list(range(1, len(valid) + 1)):
            raise VoteRefused(
                _("Please give each place from 1 to %(count)d exactly once.")
                % {"count": len(valid)},
                code="invalid",
            )
        return [PollAnswer(poll=poll, choice_id=c, rank=r) for c, r in ranks.items()], ""
    ratings = {int(k): int(v) for k, v in (ratings or {}).items()}
    if not ratings:
        raise VoteRefused(_("Please rate at least one option."), code="empty")
    if any(c not in valid for c in ratings):
        raise VoteRefused(_("Please rate the options of this poll."), code="invalid")
    if any(not 1 <= r <= poll.scale_max for r in ratings.values()):
        raise VoteRefused(
            _("Ratings go from 1 to %(top)d.") % {"top": poll.scale_max}, code="invalid"
        )
    return [PollAnswer(poll=poll, choice_id=c, rating=r) for c, r in ratings.items()], ""


# The namespace of Allmende's advisory locks on polls (the first key of the pair).
POLL_LOCK_SPACE = 7301

_closings = KeyedRows(PollClosure, ("poll", "="))


def _hold_open(poll: Poll) -> None:
    """Inside the vote's transaction: keep the poll from closing until this vote is
    committed (a shared advisory lock, which a close takes exclusively), and refuse if it
    has closed. The closing is read once the lock is held, so a close that committed while
    this vote waited for it is seen: a vote is in before the close or refused after it."""
    closure = read_locked(POLL_LOCK_SPACE, poll.pk, _closings, poll.pk, shared=True)
    poll.closed_at = closure.closed_at if closure is not None else None
    if poll.is_closed():
        raise _closed()


def poll_vote_cast(
    *,
    user,
    poll: Poll,
    choices: Iterable[int] = (),
    ranks: Mapping[int, int] | None = None,
    ratings: Mapping[int, int] | None = None,
    other_text: str = "",
) -> tuple[PollVote, bool]:
    """Cast the participant's vote, or change it where the poll allows; returns the vote
    and whether it was new."""
    answers, other_text = _answers(
        poll, choices=choices, ranks=ranks, ratings=ratings, other_text=other_text
    )
    with transaction.atomic():
        _hold_open(poll)
        vote = PollVote(poll=poll, user=user, other_text=other_text)
        # The first vote in one statement; a concurrent first vote of the same person is
        # waited for, not raced, and the unique constraint decides.
        created = insert_or_nothing(vote, unique=("poll", "user"))
        if not created:
            if not poll.allow_change:
                raise _already_voted()
            vote = PollVote.objects.select_for_update().get(poll=poll, user=user)
            vote.answers.all().delete()
            vote.other_text = other_text
            vote.changed_at = timezone.now()
            vote.save(update_fields=["other_text", "changed_at"])
        for answer in answers:
            answer.vote = vote
        PollAnswer.objects.bulk_create(answers)
        transaction.on_commit(lambda: results_changed(poll.pk))
    return vote, created


def poll_vote_withdraw(*, user, poll: Poll) -> bool:
    """Take the participant's vote back (while changes are allowed); False if there was none."""
    if not poll.allow_change:
        raise VoteRefused(_("Votes in this poll cannot be changed."), code="final")
    with transaction.atomic():
        _hold_open(poll)
        deleted, _rows = PollVote.objects.filter(poll=poll, user=user).delete()
        if deleted:
            transaction.on_commit(lambda: results_changed(poll.pk))
    return bool(deleted)


def poll_close(*, poll: Poll, by=None) -> Poll:
    """Close the poll now; waits for votes being written, refuses those that come after."""
    with transaction.atomic():
        # Waits for every vote being written; votes that come meanwhile wait for the close.
        advisory_lock(POLL_LOCK_SPACE, poll.pk)
        closure, created = PollClosure.objects.get_or_create(
            poll_id=poll.pk, defaults={"closed_at": timezone.now(), "closed_by": by}
        )
        poll.closed_at = closure.closed_at
        if created:
            transaction.on_commit(lambda: results_changed(poll.pk, final=True))
    return poll
