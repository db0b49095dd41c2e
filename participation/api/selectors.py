"""What the open interfaces publish: public objects only, read in a constant number of
queries whatever the page size (query-count tests keep it so).

Public means: a live consultation without view restrictions; contributions that are
published (nothing pending, hidden or removed); everything named by pseudonym.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from cooperative.organisations.models import Organisation
from participation.comments.models import Comment
from participation.consultations.models import (
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationPhase,
)
from participation.consultations.selectors import with_state
from participation.polls.models import Poll, PollChoice, PollClosure
from participation.proposals.models import Feedback, ModerationStatus, Proposal


def public_consultations(*, with_states: bool = False, now: datetime | None = None) -> QuerySet:
    """Live consultations that anyone may see, with their tags and phases.

    The state is computed from the loaded phases; `with_states` annotates it in SQL too,
    for filtering by it (four correlated subqueries: compiling them costs more than the
    rest of a request, so only when asked).
    """
    queryset = (
        ConsultationPage.objects.live()
        .public()
        .defer("body", "results_summary")
        .prefetch_related(
            "tags", Prefetch("phases", queryset=ConsultationPhase.objects.order_by("starts_at"))
        )
    )
    return with_state(queryset, now or timezone.now()) if with_states else queryset


def attach_areas(pages: Iterable[ConsultationPage]) -> None:
    """Set each page's organisation, and the organisation's area page, in one query."""
    pages = list(pages)
    if not pages:
        return
    steplen = ConsultationPage.steplen
    parent_paths = {page.path[:-steplen] for page in pages}
    indexes = ConsultationIndexPage.objects.filter(path__in=parent_paths).select_related(
        "organisation"
    )
    by_path = {}
    for index in indexes:
        index.organisation._api_index = index
        by_path[index.path] = index.organisation
    for page in pages:
        page.organisation = by_path.get(page.path[:-steplen])


def organisation_area(slug: str) -> ConsultationIndexPage | None:
    """The area (index page) of the organisation with this slug."""
    return ConsultationIndexPage.objects.filter(organisation__slug=slug).first()


def public_consultation(page_id: int, *, lean: bool = False) -> ConsultationPage | None:
    """One public consultation; `lean`: only what links to it need (for its lists of
    contributions and proposals), without tags, phases and organisation."""
    if lean:
        return (
            ConsultationPage.objects.live()
            .public()
            .filter(pk=page_id)
            .only("id", "path", "depth", "url_path", "title", "live", "content_type_id")
            .first()
        )
    page = public_consultations().filter(pk=page_id).first()
    if page is not None:
        attach_areas([page])
    return page


def public_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(consultation_index__isnull=False).select_related(
        "consultation_index"
    )


def public_comments(page: ConsultationPage) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(consultation=page, status=Comment.Status.PUBLISHED)
        .select_related("author", "organisation")
        .order_by("pk")
    )


def public_statements() -> QuerySet[Comment]:
    """Official statements in every public consultation."""
    return (
        Comment.objects.filter(
            is_official=True,
            status=Comment.Status.PUBLISHED,
            consultation__in=ConsultationPage.objects.live().public().values("pk"),
        )
        .select_related("author", "organisation", "consultation")
        .order_by("-pk")
    )


def public_comment(comment_id: int) -> Comment | None:
    comment = (
        Comment.objects.filter(pk=comment_id, status=Comment.Status.PUBLISHED)
        .select_related("author", "organisation")
        .first()
    )
    if comment is None:
        return None
    page = public_consultation(comment.consultation_id)
    if page is None:
        return None
    comment.consultation = page
    return comment


def _proposals_with_details(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """What the API shows of a proposal beside its own fields: author, tags, and the
    official feedback with its organisation, oldest first."""
    return proposals.select_related("author").prefetch_related(  # type: ignore[misc]
        "tags",
        Prefetch(
            "feedback",
            queryset=Feedback.objects.select_related("organisation").order_by("created_at", "pk"),
        ),
    )


def public_proposals(page: ConsultationPage) -> QuerySet[Proposal]:
    return _proposals_with_details(
        Proposal.objects.filter(consultation=page, moderation_status=ModerationStatus.VISIBLE)
    ).order_by("-pk")


def own_new_proposal(page: ConsultationPage, proposal_id: int, author) -> Proposal:
    """A proposal its author just submitted, public or still waiting for approval, for
    the answer to the back-channel write."""
    proposal = _proposals_with_details(
        Proposal.objects.filter(consultation=page, pk=proposal_id, author=author)
    ).get()
    proposal.consultation = page
    return proposal


def public_proposal(proposal_id: int) -> Proposal | None:
    proposal = public_proposals_any().filter(pk=proposal_id).first()
    if proposal is None:
        return None
    page = public_consultation(proposal.consultation_id)
    if page is None:
        return None
    proposal.consultation = page
    return proposal


def writable_proposal(proposal_id: int, user) -> Proposal | None:
    """A proposal its author may change or withdraw through the back channel: a public one,
    or their own that waits for approval (never one the moderation hid or removed from
    them), in a public consultation."""
    own = Q(author_id=user.pk) & Q(moderation_status=ModerationStatus.PENDING)
    proposal = (
        _proposals_with_details(
            Proposal.objects.filter(Q(moderation_status=ModerationStatus.VISIBLE) | own)
        )
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        return None
    page = public_consultation(proposal.consultation_id)
    if page is None:
        return None
    proposal.consultation = page
    return proposal


def public_proposals_any() -> QuerySet[Proposal]:
    return _proposals_with_details(
        Proposal.objects.filter(moderation_status=ModerationStatus.VISIBLE)
    ).order_by("-pk")


def public_polls(page: ConsultationPage) -> list[Poll]:
    polls = list(
        Poll.objects.filter(page=page)
        .prefetch_related(Prefetch("choices", queryset=PollChoice.objects.order_by("sort_order")))
        .order_by("sort_order", "pk")
    )
    closed = dict(PollClosure.objects.filter(poll__in=polls).values_list("poll_id", "closed_at"))
    phases = list(page.phases.all())
    for poll in polls:
        poll.page = page
        poll.phases_loaded = phases
        poll.closed_at = closed.get(poll.pk)
    return polls


def public_poll(poll_id: int) -> Poll | None:
    page_id = Poll.objects.filter(pk=poll_id).values_list("page_id", flat=True).first()
    if page_id is None:
        return None
    page = public_consultation(page_id)
    if page is None:
        return None
    return next((poll for poll in public_polls(page) if poll.pk == poll_id), None)
