"""Reading polls for a page: its polls with options, and what the viewer voted."""

from __future__ import annotations

import copy
import threading

from django.db.models import Prefetch, QuerySet

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


_VOTE_POLL_FIELDS = tuple(field.name for field in Poll._meta.concrete_fields)


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

    def get(self, poll: Poll) -> tuple[list, list]:
        from participation.consultations.models import ConsultationPhase

        page = poll.page
        stamp = (page.latest_revision_id, page.last_published_at)
        entry = self._entries.get(poll.pk)
        if entry is None or entry[0] != stamp:
            generation = self._generation
            choices = list(PollChoice.objects.filter(poll_id=poll.pk).order_by("sort_order"))
            phases = list(ConsultationPhase.objects.filter(page_id=poll.page_id))
            entry = (stamp, choices, phases)
            with self._lock:
                if len(self._entries) >= self.size:
                    self._entries.clear()
                if generation == self._generation:
                    self._entries[poll.pk] = entry
        # Copies: the cached rows are shared by threads, a request may set attributes.
        return [copy.copy(choice) for choice in entry[1]], list(entry[2])

    def clear(self, **_signal) -> None:
        """Forget everything: a poll, an option, a phase or a page was saved here."""
        with self._lock:
            self._entries.clear()
            self._generation += 1


vote_statics = _VoteStatics()


def poll_to_vote_in_by_id(user, consultation_id: int, poll_id: int) -> Poll | None:
    """The poll of a consultation the user may see, ready for a vote, for the vote endpoint:
    poll, page and closing in one query, the view restriction check in a second; options
    and phases from `vote_statics` while the page is unchanged. Writes are this request's
    whole work, so every query counts (bench/vote_throughput.py). The page has only the
    fields a vote needs; what renders the page again loads it whole."""
    found = list(
        Poll.objects.filter(pk=poll_id, page_id=consultation_id)
        .select_related("page", "closure")
        .only(*_VOTE_POLL_FIELDS, *_VOTE_PAGE_FIELDS, "closure__closed_at")
    )
    poll = found[0] if found else None
    if poll is None or not user.has_perm(
        "participation_consultations.view_consultationpage", poll.page
    ):
        return None
    closure = getattr(poll, "closure", None)
    poll.closed_at = closure.closed_at if closure else None
    choices, poll.phases_loaded = vote_statics.get(poll)
    for choice in choices:
        choice.poll = poll
    poll._prefetched_objects_cache = {"choices": _as_queryset(poll, choices)}
    return poll


def _as_queryset(poll: Poll, choices: list[PollChoice]) -> QuerySet[PollChoice]:
    """Rows already at hand, as the queryset a prefetch would have left (a further filter
    on it asks the database, as it would after a prefetch)."""
    queryset = PollChoice.objects.filter(poll_id=poll.pk).order_by("sort_order")
    queryset._result_cache = choices
    queryset._prefetch_done = True
    return queryset


def poll_for_viewer(user, consultation, poll_id: int) -> Poll | None:
    for poll in polls_for_viewer(user, consultation):
        if poll.pk == poll_id:
            return poll
    return None
