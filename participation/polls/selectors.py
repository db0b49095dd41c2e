"""Reading polls for a page: its polls with options, and what the viewer voted."""

from __future__ import annotations

import threading

from django.db.models import Prefetch, QuerySet
from django.db.models.base import ModelState

from cooperative.accounts.rows import converted, row_converters
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
        return [_row_copy(choice) for choice in entry[1]], list(entry[2])

    def clear(self, **_signal) -> None:
        """Forget everything: a poll, an option, a phase or a page was saved here."""
        with self._lock:
            self._entries.clear()
            self._generation += 1


vote_statics = _VoteStatics()


def _row_copy(row):
    """A shallow copy of a model instance with a state (and related-object cache) of its own:
    what copy.copy gives, in a tenth of the time (no pickling protocol)."""
    clone = row.__class__.__new__(row.__class__)
    clone.__dict__ = row.__dict__.copy()
    state = ModelState()
    state.db, state.adding = row._state.db, row._state.adding
    clone._state = state
    return clone


class _VoteLookup:
    """The one query of `poll_to_vote_in_by_id`, written out: the poll, the fields of its
    page a vote needs, its closing and whether a view restriction applies to the page.

    Built from the models' metadata once per process. The ORM took 1.7 ms of the GIL per
    vote to compile the same select_related query (more than the database took to answer
    it); the rows become instances as the ORM makes them (`from_db`, deferred fields,
    the page cached on the poll), so the rest of the request cannot tell the difference
    (tests/participation/polls/test_vote_lookup.py)."""

    def __init__(self) -> None:
        self._built: dict[str, tuple] = {}

    def _build(self, connection) -> tuple:
        from participation.consultations.models import ConsultationPage

        poll_fields = list(Poll._meta.concrete_fields)
        # In the model's order, as from_db wants them (the key, page_ptr_id, comes last)
        wanted = {name[6:] for name in _VOTE_PAGE_FIELDS}
        page_fields = [f for f in ConsultationPage._meta.concrete_fields if f.name in wanted]
        page_pk = ConsultationPage._meta.pk
        columns = ", ".join(
            [
                *(f"p.{f.column}" for f in poll_fields),
                *(f"pg.{f.column}" for f in page_fields),
                "p.page_id",  # the page's key, page_ptr_id (its own table is not needed)
                "c.closed_at",
            ]
        )
        # As has_view_restrictions (consultations/rules.py): a restriction on the page or an
        # ancestor (paths are prefixes), or on the source page of an ancestor that is an
        # alias. The restrictions table is small; it is read from that side.
        sql = (
            f"SELECT {columns}, "  # noqa: S608 (column names from the models)
            "(EXISTS (SELECT 1 FROM wagtailcore_pageviewrestriction AS r "
            "JOIN wagtailcore_page AS rp ON rp.id = r.page_id WHERE rp.alias_of_id IS NULL "
            "AND substr(pg.path, 1, length(rp.path)) = rp.path) "
            "OR EXISTS (SELECT 1 FROM wagtailcore_pageviewrestriction AS r "
            "JOIN wagtailcore_page AS a ON a.alias_of_id = r.page_id "
            "WHERE substr(pg.path, 1, length(a.path)) = a.path)) "
            "FROM participation_polls_poll AS p "
            "JOIN wagtailcore_page AS pg ON pg.id = p.page_id "
            "LEFT JOIN participation_polls_pollclosure AS c ON c.poll_id = p.id "
            "WHERE p.id = %s"
        )
        # What the ORM would convert (SQLite's datetimes and booleans; nothing on PostgreSQL)
        fields = [*poll_fields, *page_fields, page_pk, PollClosure._meta.get_field("closed_at")]
        converters = row_converters(fields, connection)
        poll_names = [f.attname for f in poll_fields]
        page_names = [*(f.attname for f in page_fields), page_pk.attname]
        return sql, converters, poll_names, page_names

    def fetch(self, connection, consultation_id: int | None, poll_id: int):
        """The poll, if it is one of that consultation's (of any, for None)."""
        built = self._built.get(connection.alias)
        if built is None:
            built = self._built[connection.alias] = self._build(connection)
        sql, converters, poll_names, page_names = built
        with connection.cursor() as cursor:
            if consultation_id is None:
                cursor.execute(sql, [poll_id])
            else:
                cursor.execute(f"{sql} AND p.page_id = %s", [poll_id, consultation_id])
            row = cursor.fetchone()
        if row is None:
            return None
        row = converted(row, converters, connection)
        from participation.consultations.models import ConsultationPage

        split = len(poll_names)
        end = split + len(page_names)
        poll = Poll.from_db(connection.alias, poll_names, row[:split])
        page = ConsultationPage.from_db(connection.alias, page_names, row[split:end])
        Poll.page.field.set_cached_value(poll, page)
        poll.closed_at = row[end]
        page.__dict__["_has_view_restrictions"] = bool(row[end + 1])
        return poll


vote_lookup = _VoteLookup()
_CHOICE_POLL = PollChoice._meta.get_field("poll")


def poll_to_vote_in_by_id(user, consultation_id: int, poll_id: int) -> Poll | None:
    """The poll of a consultation the user may see, ready for a vote, for the vote endpoint:
    poll, page, closing and view restrictions in one query (`vote_lookup`); options and
    phases from `vote_statics` while the page is unchanged. Writes are this request's
    whole work, so every query counts (bench/vote_throughput.py). The page has only the
    fields a vote needs; what renders the page again loads it whole."""
    from django.db import connection

    poll = vote_lookup.fetch(connection, consultation_id, poll_id)
    if poll is None or not user.has_perm(
        "participation_consultations.view_consultationpage", poll.page
    ):
        return None
    return _with_statics(poll)


def poll_for_results_by_id(poll_id: int) -> Poll | None:
    """The poll for publishing its results live, a few times a second while votes come in:
    the vote endpoint's query and its options and phases (no permission check: results go
    to the consultation's group, and only where the poll's setting makes them public)."""
    from django.db import connection

    poll = vote_lookup.fetch(connection, None, poll_id)
    if poll is None:
        return None
    return _with_statics(poll)


def _with_statics(poll: Poll) -> Poll:
    """The poll with its options and its page's phases, as a prefetch would have left them."""
    choices, poll.phases_loaded = vote_statics.get(poll)
    for choice in choices:
        _CHOICE_POLL.set_cached_value(choice, poll)
    poll._prefetched_objects_cache = {"choices": _as_queryset(poll, choices)}
    return poll


_choice_querysets: dict[int, QuerySet[PollChoice]] = {}


def _as_queryset(poll: Poll, choices: list[PollChoice]) -> QuerySet[PollChoice]:
    """Rows already at hand, as the queryset a prefetch would have left (a further filter
    on it asks the database, as it would after a prefetch). Built from a per-poll template
    that is never evaluated: cloning it costs a twentieth of building the filter."""
    template = _choice_querysets.get(poll.pk)
    if template is None:
        if len(_choice_querysets) >= 512:
            _choice_querysets.clear()
        template = PollChoice.objects.filter(poll_id=poll.pk).order_by("sort_order")
        _choice_querysets[poll.pk] = template
    queryset = template._chain()  # type: ignore[union-attr]
    queryset._result_cache = choices
    queryset._prefetch_done = True
    return queryset


def poll_for_viewer(user, consultation, poll_id: int) -> Poll | None:
    for poll in polls_for_viewer(user, consultation):
        if poll.pk == poll_id:
            return poll
    return None
