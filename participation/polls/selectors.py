"""Reading polls for a page: its polls with options, and what the viewer voted."""

from __future__ import annotations

import threading

from django.db.models import Prefetch, QuerySet

from cooperative.permissions import allowed
from cooperative.sql import PageChildRow
from participation.consultations.rules import view_restrictions_known
from participation.polls.models import Poll, PollAnswer, PollChoice, PollClosure, PollVote


def polls_of(consultation) -> QuerySet[Poll]:
    return (
        Poll.objects.filter(page=consultation)
        .prefetch_related(Prefetch("choices", queryset=PollChoice.objects.order_by("sort_order")))
        .order_by("sort_order", "pk")
    )


def polls_for_viewer(user, consultation) -> list[Poll]:
    """The consultation's polls, each knowing the page (with phases) and the viewer's vote."""
    polls = list(polls_of(consultation))
    closed = dict(PollClosure.objects.filter(poll__in=polls).values_list("poll_id", "closed_at"))
    phases = list(consultation.phases.all())
    votes: dict[int, PollVote] = {}
    if user.is_authenticated and polls:
        for vote in PollVote.objects.filter(user=user, poll__in=polls).prefetch_related(
            Prefetch("answers", queryset=PollAnswer.objects.order_by("pk"))
        ):
            votes[vote.poll_id] = vote
    for poll in polls:
        poll.page = consultation
        poll.phases_loaded = phases  # loaded once for every poll's is_closed()
        poll.closed_at = closed.get(poll.pk)
        poll.viewer_id = user.pk if user.is_authenticated else None
        poll.viewer_vote = votes.get(poll.pk)
        poll.viewer_voted = poll.pk in votes
    return polls


# What a vote needs of its page: visibility, phases (loaded apart) and its URL. Loading a
# whole Wagtail page costs as much again as the rest of this query.
_VOTE_PAGE_FIELDS = tuple(
    f"page__{name}"
    for name in (
        "path",
        "depth",
        "url_path",
        "slug",
        "title",
        "live",
        "locale",
        "content_type",
        "alias_of",
        "latest_revision",
        "last_published_at",
    )
)


class _VoteStatics:
    """A poll's options and its page's phases per process, for the vote endpoint.

    Both change only when the page is saved: options and phases are parts of the page
    (InlinePanels) and are written with it. An entry is used while the page row's
    `latest_revision` and `last_published_at` are what they were when it was filled
    (every save from the editor and every publish changes them, in any process); saves in
    this process clear it at once (signals, see apps.py)."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._entries: dict[int, tuple[tuple, list, list]] = {}
        self._lock = threading.Lock()
        self._generation = 0  # counts clears: a read that a clear overtook is not kept

    def get(self, poll: Poll) -> tuple[list[PollChoice], list]:
        from participation.consultations.models import ConsultationPhase

        page = poll.page
        stamp = (page.latest_revision_id, page.last_published_at)
        entry = self._entries.get(poll.pk)
        if entry is None or entry[0] != stamp:
            generation = self._generation
            choices = list(
                PollChoice.objects.filter(poll_id=poll.pk)
                .order_by("sort_order")
                .values_list(*_CHOICE_NAMES)
            )
            phases = list(ConsultationPhase.objects.filter(page_id=poll.page_id))
            entry = (stamp, choices, phases)
            with self._lock:
                if len(self._entries) >= self.size:
                    self._entries.clear()
                if generation == self._generation:
                    self._entries[poll.pk] = entry
        # The options as new instances for every request (they are shared by threads, and a
        # request may set attributes): from their stored values, as the ORM makes them.
        db = poll._state.db or "default"
        return [PollChoice.from_db(db, _CHOICE_NAMES, values) for values in entry[1]], list(
            entry[2]
        )

    def clear(self, **_signal) -> None:
        """Forget everything: a poll, an option, a phase or a page was saved here."""
        with self._lock:
            self._entries.clear()
            self._generation += 1


_CHOICE_NAMES = [field.attname for field in PollChoice._meta.concrete_fields]
vote_statics = _VoteStatics()


# The vote endpoint's one query: the poll, the fields of its page a vote needs, its
# closing and whether a view restriction applies to the page (cooperative/sql.py). The ORM
# took 1.7 ms of the GIL per vote to compile the same select_related query, more than the
# database took to answer it; tests/participation/polls/test_vote_lookup.py holds the two
# equal.
vote_lookup = PageChildRow(
    Poll,
    page_fields=[name[6:] for name in _VOTE_PAGE_FIELDS],
    joined=[(PollClosure, "poll", "closed_at")],
)


def poll_lookup(poll_id: int, *, consultation_id: int | None = None) -> Poll | None:
    """The poll (of that consultation) with its page and closing, and the page's view
    restrictions known to the rules, in one query; no permission check."""
    found = vote_lookup.get(poll_id, page_id=consultation_id)
    if found is None:
        return None
    poll, (closed_at,), restricted = found
    poll.closed_at = closed_at
    view_restrictions_known(poll.page, restricted)
    return poll


def poll_to_vote_in_by_id(user, consultation_id: int, poll_id: int) -> Poll | None:
    """The poll of a consultation the user may see, ready for a vote, for the vote endpoint:
    poll, page, closing and view restrictions in one query (`vote_lookup`); options and
    phases from `vote_statics` while the page is unchanged. Writes are this request's
    whole work, so every query counts (bench/vote_throughput.py). The page has only the
    fields a vote needs; what renders the page again loads it whole."""
    poll = poll_lookup(poll_id, consultation_id=consultation_id)
    if poll is None or not allowed(
        user, "participation_consultations.view_consultationpage", poll.page
    ):
        return None
    return _with_statics(poll)


def poll_for_results_by_id(poll_id: int) -> Poll | None:
    """The poll for publishing its results live, a few times a second while votes come in:
    the vote endpoint's query and its options and phases (no permission check: results go
    to the consultation's group, and only where the poll's setting makes them public)."""
    poll = poll_lookup(poll_id)
    if poll is None:
        return None
    return _with_statics(poll)


def _with_statics(poll: Poll) -> Poll:
    """The poll with its options and its page's phases at hand, without a query: the options
    as modelcluster holds a poll's unsaved options (in memory, `poll.choices.all()` reads
    them; the poll is never saved from here), the phases for `is_closed`."""
    choices, poll.phases_loaded = vote_statics.get(poll)
    poll.choices = choices  # type: ignore[assignment]
    return poll


def poll_for_viewer(user, consultation, poll_id: int) -> Poll | None:
    for poll in polls_for_viewer(user, consultation):
        if poll.pk == poll_id:
            return poll
    return None
