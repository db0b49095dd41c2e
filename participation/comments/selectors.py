from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from participation.comments.models import Comment, Reaction
from participation.comments.rules import has_comment_perm

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
        if has_comment_perm(user, "participation_comments.view_pending_comments", consultation):
            return visible | Q(status=Comment.Status.PENDING)
        return visible | Q(status=Comment.Status.PENDING, author=user)
    return visible


def comments_visible_to(user, consultation) -> QuerySet[Comment]:
    return Comment.objects.filter(_visibility(user, consultation), consultation=consultation)


def official_statements(consultation) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(
            consultation=consultation, is_official=True, status=Comment.Status.PUBLISHED
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
) -> ThreadPage:
    """One page of top-level contributions with all their replies: four queries, whatever
    the size of the thread (count, page, replies, the viewer's reactions)."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    base = comments_visible_to(user, consultation).filter(target_type__isnull=True)
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
    my_reactions: dict[int, set[str]] = defaultdict(set)
    if user.is_authenticated and all_ids:
        for comment_id, kind in Reaction.objects.filter(
            user=user, comment_id__in=all_ids
        ).values_list("comment_id", "kind"):
            my_reactions[comment_id].add(kind)
    # Attach children and the viewer's reactions so templates need no lookups.
    for comment in [*page.object_list, *(r for group in replies.values() for r in group)]:
        comment.children = replies.get(comment.pk, [])
        comment.my_reactions = my_reactions.get(comment.pk, set())
    return ThreadPage(
        page=page,
        sort=sort,
        official_only=official_only,
        replies=dict(replies),
        my_reactions=dict(my_reactions),
    )


def comment_for_user(user, consultation, comment_id: int) -> Comment | None:
    return (
        comments_visible_to(user, consultation)
        .select_related("author", "organisation", "consultation")
        .filter(pk=comment_id)
        .first()
    )
