"""Reading polls for a page: its polls with options, and what the viewer voted."""

from __future__ import annotations

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


def poll_to_vote_in(consultation, poll_id: int) -> Poll | None:
    """One poll of the consultation, ready for a vote: options, closing, the page's phases
    (three queries; the viewer's earlier vote is the service's business)."""
    poll = polls_of(consultation).filter(pk=poll_id).first()
    if poll is None:
        return None
    poll.page = consultation
    poll.phases_loaded = list(consultation.phases.all())
    poll.closed_at = (
        PollClosure.objects.filter(poll_id=poll.pk).values_list("closed_at", flat=True).first()
    )
    return poll


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
    )
)


_VOTE_POLL_FIELDS = tuple(field.name for field in Poll._meta.concrete_fields)


def poll_to_vote_in_by_id(user, consultation_id: int, poll_id: int) -> Poll | None:
    """The poll of a consultation the user may see, ready for a vote, for the vote endpoint:
    poll, page and closing in one query, options and phases in two more, the view
    restriction check in a fourth. Writes are this request's whole work, so every query
    counts (bench/vote_throughput.py). The page has only the fields a vote needs; what
    renders the page again loads it whole."""
    from participation.consultations.models import ConsultationPhase

    found = list(
        Poll.objects.filter(pk=poll_id, page_id=consultation_id)
        .select_related("page", "closure")
        .only(*_VOTE_POLL_FIELDS, *_VOTE_PAGE_FIELDS, "closure__closed_at")
        .prefetch_related(Prefetch("choices", queryset=PollChoice.objects.order_by("sort_order")))
    )
    poll = found[0] if found else None
    if poll is None or not user.has_perm(
        "participation_consultations.view_consultationpage", poll.page
    ):
        return None
    closure = getattr(poll, "closure", None)
    poll.closed_at = closure.closed_at if closure else None
    poll.phases_loaded = list(ConsultationPhase.objects.filter(page_id=consultation_id))
    return poll


def poll_for_viewer(user, consultation, poll_id: int) -> Poll | None:
    for poll in polls_for_viewer(user, consultation):
        if poll.pk == poll_id:
            return poll
    return None
