from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q, QuerySet

from cooperative.permissions import allowed
from participation.comments.models import Comment, Reaction
from participation.contributions.targets import CONSULTATION, Target

SORTS = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "replies": ("-reply_count", "-created_at", "-pk"),
    "agreed": ("-agree_count", "-created_at", "-pk"),
}
DEFAULT_SORT = "newest"
PAGE_SIZE = 20


def _visibility(user, consultation) -> Q:
    """Published, removed and hidden (as placeholders) for everyone; pending for its author
    and the consultation's moderators only."""
    visible = Q(
        status__in=[Comment.Status.PUBLISHED, Comment.Status.REMOVED, Comment.Status.HIDDEN]
    )
    if user.is_authenticated:
        if allowed(user, "participation_comments.view_pending_comments", consultation):
            return visible | Q(status=Comment.Status.PENDING)
        return visible | Q(status=Comment.Status.PENDING, author=user)
    return visible


def comments_visible_to(user, consultation) -> QuerySet[Comment]:
    return Comment.objects.filter(_visibility(user, consultation), consultation=consultation)


def official_statements(consultation, target: Target = CONSULTATION) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(
            consultation=consultation,
            is_official=True,
            status=Comment.Status.PUBLISHED,
            **target.filter(),
        )
        .select_related("author", "organisation")
        .order_by("-created_at")
    )


@dataclass
class ThreadPage:
    page: Page
    sort: str
    official_only: bool = False
    replies: dict[int, list[Comment]] = field(default_factory=dict)
    my_reactions: dict[int, set[str]] = field(default_factory=dict)

    @property
    def comments(self) -> list[Comment]:
        return list(self.page.object_list)


def comment_thread_page(
    user,
    consultation,
    *,
    sort: str = DEFAULT_SORT,
    page_number: int | str | None = 1,
    official_only: bool = False,
    page_size: int = PAGE_SIZE,
    target: Target = CONSULTATION,
) -> ThreadPage:
    """One page of top-level contributions on `target` (the consultation itself unless told)
    with all their replies: four queries, whatever the size of the thread (count, page,
    replies, the viewer's reactions)."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    base = comments_visible_to(user, consultation).filter(**target.filter())
    top = base.filter(depth=0)
    if official_only:
        top = top.filter(is_official=True)
    top = top.select_related("author", "organisation").order_by(*SORTS[sort])
    page = Paginator(top, page_size).get_page(page_number)
    roots = [comment.pk for comment in page.object_list]
    replies: dict[int, list[Comment]] = defaultdict(list)
    all_ids = list(roots)
    if roots:
        for reply in (
            base.filter(root_id__in=roots)
            .select_related("author", "organisation")
            .order_by("created_at", "pk")
        ):
            replies[reply.parent_id].append(reply)  # type: ignore[index]
            all_ids.append(reply.pk)
    my_reactions = _attach(user, list(page.object_list), replies, all_ids)
    return ThreadPage(
        page=page,
        sort=sort,
        official_only=official_only,
        replies=dict(replies),
        my_reactions=dict(my_reactions),
    )


def _attach(
    user, roots: list[Comment], replies: dict[int, list[Comment]], all_ids: list[int]
) -> dict[int, set[str]]:
    """Attach children and the viewer's reactions (one query) so templates need no lookups."""
    my_reactions: dict[int, set[str]] = defaultdict(set)
    if user.is_authenticated and all_ids:
        for comment_id, kind in Reaction.objects.filter(
            user=user, comment_id__in=all_ids
        ).values_list("comment_id", "kind"):
            my_reactions[comment_id].add(kind)
    for comment in [*roots, *(r for group in replies.values() for r in group)]:
        comment.children = replies.get(comment.pk, [])
        comment.my_reactions = my_reactions.get(comment.pk, set())
    return my_reactions


def comment_threads_by_key(user, consultation, kind: str) -> dict[str, list[Comment]]:
    """Every thread on targets of one kind (all paragraphs of the draft text), oldest first,
    each root with its replies: three queries whatever the number of targets and comments
    (roots, replies, the viewer's reactions)."""
    base = comments_visible_to(user, consultation).filter(target_kind=kind)
    roots = list(
        base.filter(depth=0).select_related("author", "organisation").order_by("created_at", "pk")
    )
    replies: dict[int, list[Comment]] = defaultdict(list)
    all_ids = [root.pk for root in roots]
    if roots:
        for reply in (
            base.filter(depth__gt=0)
            .select_related("author", "organisation")
            .order_by("created_at", "pk")
        ):
            replies[reply.parent_id].append(reply)  # type: ignore[index]
            all_ids.append(reply.pk)
    _attach(user, roots, replies, all_ids)
    threads: dict[str, list[Comment]] = defaultdict(list)
    for root in roots:
        threads[root.target_key].append(root)
    return dict(threads)


def comment_counts_by_key(consultation, kind: str) -> dict[str, int]:
    """Published contributions (replies included) per target of one kind, in one query."""
    rows = (
        Comment.objects.filter(
            consultation=consultation, target_kind=kind, status=Comment.Status.PUBLISHED
        )
        .values("target_key")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("target_key", "count")
    )
    return dict(rows)


def comment_count(consultation, target: Target = CONSULTATION) -> int:
    return Comment.objects.filter(
        consultation=consultation, status=Comment.Status.PUBLISHED, **target.filter()
    ).count()


def comment_for_user(user, consultation, comment_id: int) -> Comment | None:
    return (
        comments_visible_to(user, consultation)
        .select_related("author", "organisation", "consultation")
        .filter(pk=comment_id)
        .first()
    )


def comment_last_written_at(user_id: int, consultation_id: int) -> datetime | None:
    """When the person last wrote or changed a comment or reply in the consultation,
    whatever became of it (the gate's slow mode counts from it)."""
    times = Comment.objects.filter(consultation_id=consultation_id, author_id=user_id).aggregate(
        written=Max("created_at"), changed=Max("edited_at")
    )
    present = [time for time in times.values() if time is not None]
    return max(present) if present else None
