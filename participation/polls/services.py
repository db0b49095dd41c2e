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
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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


def _poll_lock(poll: Poll, *, exclusive: bool) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite runs one writing transaction at a time
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [POLL_LOCK_SPACE, poll.pk])


def _hold_open(poll: Poll) -> None:
    """Inside the vote's transaction: refuse if the poll has closed, and keep it from
    closing until this vote is committed."""
    if connection.vendor == "postgresql":
        # Lock and read in one round trip, as two statements: the closing is read after the
        # lock is held (under READ COMMITTED each statement sees what was committed when
        # it started), so a close that committed while this vote waited is seen.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock_shared(%s, %s); "
                "SELECT closed_at FROM participation_polls_pollclosure WHERE poll_id = %s",
                [POLL_LOCK_SPACE, poll.pk, poll.pk],
            )
            cursor.nextset()
            row = cursor.fetchone()
        poll.closed_at = row[0] if row else None
    else:
        poll.closed_at = (
            PollClosure.objects.filter(poll_id=poll.pk).values_list("closed_at", flat=True).first()
        )
    if poll.is_closed():
        raise _closed()


def _insert_first_vote(poll: Poll, user, other_text: str) -> PollVote | None:
    """The participant's first vote in one statement, or None if they have one already
    (the unique constraint decides; a concurrent first vote is waited for, not raced)."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO participation_polls_pollvote (poll_id, user_id, other_text, created_at) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (poll_id, user_id) DO NOTHING RETURNING id",
            [poll.pk, user.pk, other_text, connection.ops.adapt_datetimefield_value(now)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return PollVote(pk=row[0], poll=poll, user=user, other_text=other_text, created_at=now)


def _cast_first_vote_postgresql(
    poll: Poll, user, other_text: str, answers: list[PollAnswer]
) -> PollVote | None:
    """PostgreSQL: the lock, the closing and the first vote with its answers in one round
    trip; None if the participant has voted already (nothing is written then).

    Outside a transaction the string carries its own BEGIN and COMMIT, so the whole
    transaction is that one round trip (Django's atomic() would add one for BEGIN and one
    for COMMIT, and a tenth of a vote's CPU). Inside one (a caller's atomic block, the
    tests) the same statements run in it. Either way the closing is read by a statement
    that starts after the lock is held (under READ COMMITTED each statement sees what was
    committed when it started, as in `_hold_open`), and the vote is only inserted where
    that statement finds no closing: a close that committed while this vote waited for
    the lock is seen, and a vote is never half in."""
    now = timezone.now()
    params: list = [POLL_LOCK_SPACE, poll.pk, poll.pk]
    params += [poll.pk, user.pk, other_text, connection.ops.adapt_datetimefield_value(now)]
    sql = (
        "SELECT pg_advisory_xact_lock_shared(%s, %s); "
        "WITH closure AS (SELECT closed_at FROM participation_polls_pollclosure "
        "WHERE poll_id = %s), "
        "vote AS (INSERT INTO participation_polls_pollvote "
        "(poll_id, user_id, other_text, created_at) "
        "SELECT %s, %s, %s, %s WHERE NOT EXISTS (SELECT 1 FROM closure) "
        "ON CONFLICT (poll_id, user_id) DO NOTHING RETURNING id)"
    )
    if answers:
        choice, rank, rating = _answer_types()
        rows = ", ".join([f"(%s::{choice}, %s::{rank}, %s::{rating})"] * len(answers))
        sql += (
            ", answers AS (INSERT INTO participation_polls_pollanswer "  # noqa: S608 (types)
            "(vote_id, poll_id, choice_id, rank, rating) "
            "SELECT vote.id, %s, a.choice_id, a.rank, a.rating FROM vote, "
            f"(VALUES {rows}) AS a (choice_id, rank, rating))"
        )
        params.append(poll.pk)
        for answer in answers:
            params += [answer.choice_id, answer.rank, answer.rating]
    sql += " SELECT (SELECT closed_at FROM closure), (SELECT id FROM vote)"
    own_transaction = not connection.in_atomic_block
    if own_transaction:
        sql = f"BEGIN; {sql}; COMMIT"
    with connection.cursor() as cursor:
        try:
            cursor.execute(sql, params)
        except Exception:
            if own_transaction:
                # A failed statement leaves the transaction open and aborted; end it
                # before the connection goes back to the pool.
                connection.connection.rollback()
            raise
        if own_transaction:
            cursor.nextset()  # past BEGIN's (empty) result
        cursor.nextset()  # past the lock's row
        closed_at, vote_id = cursor.fetchone()
    poll.closed_at = closed_at
    if closed_at is not None:
        raise _closed()  # nothing was inserted
    if vote_id is None:
        return None
    return PollVote(pk=vote_id, poll=poll, user=user, other_text=other_text, created_at=now)


def _answer_types() -> tuple[str, str, str]:
    """The column types of an answer's option, rank and rating, for typed VALUES rows."""
    fields = {field.name: field for field in PollAnswer._meta.concrete_fields}
    choice, rank, rating = (
        fields[name].db_type(connection) for name in ("choice", "rank", "rating")
    )
    return str(choice), str(rank), str(rating)


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
    vote: PollVote | None = None
    if connection.vendor == "postgresql":
        if poll.is_closed():  # its time or phase is over; an early close is read below
            raise _closed()
        # Its own transaction in one round trip (or the caller's), see the function
        vote = _cast_first_vote_postgresql(poll, user, other_text, answers)
        if vote is not None:
            transaction.on_commit(lambda: results_changed(poll.pk))
            return vote, True
        if not poll.allow_change:
            raise _already_voted()
    with transaction.atomic():
        if connection.vendor != "postgresql":
            _hold_open(poll)
            vote = _insert_first_vote(poll, user, other_text)
            if vote is not None:
                for answer in answers:
                    answer.vote = vote
                PollAnswer.objects.bulk_create(answers)
        created = vote is not None
        if vote is None:
            if not poll.allow_change:
                raise _already_voted()
            if connection.vendor == "postgresql":
                _hold_open(poll)  # a change holds the poll open as a first vote does
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
        _poll_lock(poll, exclusive=True)
        closure, created = PollClosure.objects.get_or_create(
            poll_id=poll.pk, defaults={"closed_at": timezone.now(), "closed_by": by}
        )
        poll.closed_at = closure.closed_at
        if created:
            transaction.on_commit(lambda: results_changed(poll.pk, final=True))
    return poll
