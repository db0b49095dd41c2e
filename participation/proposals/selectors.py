from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Max, Q, QuerySet
from taggit.models import Tag

from cooperative.permissions import allowed
from participation.gate.mandates import user_may_moderate
from participation.proposals.models import (
    Feedback,
    ModerationStatus,
    Proposal,
    ProposalStatus,
    Support,
    TaggedProposal,
)

SORTS = {
    "supports": ("-support_count", "-created_at", "-pk"),
    "comments": ("-comment_count", "-created_at", "-pk"),
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
}
DEFAULT_SORT = "supports"
PAGE_SIZE = 20


def proposals_visible_to(user, consultation) -> QuerySet[Proposal]:
    """Proposals are public as soon as they are submitted (unless they wait for or were
    hidden by moderation), to whoever may see the consultation (callers get it through
    `consultation_for_user`). Authors keep seeing their own; moderators of the
    consultation see all."""
    proposals = Proposal.objects.filter(consultation=consultation)
    if user_may_moderate(user, consultation):
        return proposals
    public = Q(moderation_status=ModerationStatus.VISIBLE)
    if getattr(user, "is_authenticated", False):
        public |= Q(author_id=user.pk) & ~Q(moderation_status=ModerationStatus.REMOVED)
    return proposals.filter(public)


def _without_withdrawn(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Lists leave out what its author withdrew; the status filter "withdrawn" shows it, and
    its page stays where it was."""
    return proposals.exclude(status=ProposalStatus.WITHDRAWN)


@dataclass
class ProposalListPage:
    page: Page
    sort: str
    status: str
    tag: str

    @property
    def proposals(self) -> list[Proposal]:
        return list(self.page.object_list)


def proposal_list_page(
    user,
    consultation,
    *,
    sort: str = DEFAULT_SORT,
    status: str = "",
    tag: str = "",
    page_number: int | str | None = 1,
    page_size: int = PAGE_SIZE,
) -> ProposalListPage:
    """One page of proposals: three queries whatever the number (count, page, tags)."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    queryset = proposals_visible_to(user, consultation)
    queryset = queryset.filter(status=status) if status else _without_withdrawn(queryset)
    if tag:
        queryset = queryset.filter(tags__slug=tag)
    queryset = (
        queryset.select_related("author")
        .prefetch_related("tags")  # type: ignore[misc]
        .order_by(*SORTS[sort])
    )
    page = Paginator(queryset, page_size).get_page(page_number)
    return ProposalListPage(page=page, sort=sort, status=status, tag=tag)


def proposals_top(user, consultation, *, limit: int = 3) -> list[Proposal]:
    return list(
        _without_withdrawn(proposals_visible_to(user, consultation))
        .select_related("author")
        .order_by(*SORTS["supports"])[:limit]
    )


def proposal_count(user, consultation) -> int:
    return _without_withdrawn(proposals_visible_to(user, consultation)).count()


def proposal_tags_in_use(consultation) -> list[Tag]:
    ids = TaggedProposal.objects.filter(content_object__consultation=consultation).values("tag_id")
    return list(Tag.objects.filter(pk__in=ids).order_by("name"))


def proposal_for_user(user, consultation, proposal_id: int) -> Proposal | None:
    proposal = (
        proposals_visible_to(user, consultation)
        .select_related("author", "consultation")
        .prefetch_related("tags")  # type: ignore[misc]
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None or not allowed(user, "participation_proposals.view_proposal", proposal):
        return None
    return proposal


def proposal_feedback(proposal: Proposal) -> list[Feedback]:
    """The official answers, oldest first: the last one is the current status."""
    return list(
        Feedback.objects.filter(proposal=proposal)
        .select_related("organisation", "author")
        .order_by("created_at", "pk")
    )


def user_supports(user, proposal: Proposal) -> bool:
    if not user.is_authenticated:
        return False
    return Support.objects.filter(proposal=proposal, user=user).exists()


def proposal_last_written_at(user_id: int, consultation_id: int) -> datetime | None:
    """When the person last made or changed a proposal in the consultation, whatever became
    of it (the gate's slow mode counts from it)."""
    times = Proposal.objects.filter(consultation_id=consultation_id, author_id=user_id).aggregate(
        made=Max("created_at"), changed=Max("edited_at")
    )
    present = [time for time in times.values() if time is not None]
    return max(present) if present else None
