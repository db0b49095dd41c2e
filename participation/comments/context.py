"""The context every discussion template needs, built in one place."""

from urllib.parse import quote

from django.utils.translation import gettext_lazy as _

from cooperative.permissions import allowed
from participation.comments.authorship import author_token
from participation.comments.forms import CommentForm
from participation.comments.selectors import (
    comment_count,
    comment_counts_by_key,
    comment_thread_page,
    comment_threads_by_key,
    official_statements,
)
from participation.contributions.targets import CONSULTATION, Target, TargetKind, target_page_url
from participation.live.events import last_event_id

SORT_CHOICES = [
    ("newest", _("newest")),
    ("oldest", _("oldest")),
    ("replies", _("most replies")),
    ("agreed", _("most agreement")),
]


def comment_permissions_context(request, consultation) -> dict:
    user = request.user
    phase = consultation.current_phase()
    return {
        "viewer": user,
        # Compared by the page script with each contribution's data-author (authorship.py).
        "viewer_token": author_token(consultation_id=consultation.pk, user_id=user.pk)
        if user.is_authenticated
        else "",
        "can_comment": allowed(user, "participation_comments.add_comment", consultation),
        "can_comment_phase": bool(phase and phase.allows("comment")),
        "can_speak": allowed(user, "participation_comments.add_official_comment", consultation),
        "moderation_mode": consultation.moderation_mode,
    }


def discussion_context(
    request,
    consultation,
    *,
    thread=None,
    form=None,
    with_thread: bool = True,
    target: Target = CONSULTATION,
) -> dict:
    """The thread on `target`: the consultation's own discussion unless told otherwise
    (a proposal's)."""
    user = request.user
    if thread is None and with_thread:
        thread = comment_thread_page(
            user,
            consultation,
            sort=request.GET.get("sort", ""),
            page_number=request.GET.get("page"),
            official_only=request.GET.get("official") == "1",
            target=target,
        )
    return {
        **comment_permissions_context(request, consultation),
        "consultation": consultation,
        "consultation_id": consultation.pk,
        "live": False,
        "thread": thread,
        "form": form or CommentForm(),
        "sort_choices": SORT_CHOICES,
        "statements": list(official_statements(consultation)[:5])
        if with_thread and target.is_consultation
        else [],
        "comment_count": comment_count(consultation, target) if with_thread else None,
        "target": target,
        "discussion_url": target_page_url(consultation, target),
        # The thread fragment's query for a thread that is not the consultation's own.
        "thread_target_query": "" if target.is_consultation else f"target={quote(target.token)}&",
        "live_since": last_event_id() if with_thread else 0,
    }


def draft_text_context(request, consultation, *, view: str = "inline", open_key=None) -> dict:
    """The draft text with every paragraph's thread and count: a constant number of queries
    whatever the length of the text (counts grouped by paragraph, threads, reactions)."""
    kind = TargetKind.PARAGRAPH
    # Before the reads: whatever commits after them comes again live (and counts once, as
    # the page skips what it already shows).
    since = last_event_id()
    counts = comment_counts_by_key(consultation, kind)
    threads = comment_threads_by_key(request.user, consultation, kind)
    paragraphs = {paragraph.block_id: paragraph for paragraph in consultation.draft_paragraphs()}
    entries = []
    for block in consultation.draft_text:
        if block.block_type == "heading":
            entries.append({"heading": block.value})
            continue
        paragraph = paragraphs.get(str(block.id))
        if paragraph is None:
            continue
        target = Target(kind=kind, key=paragraph.block_id, number=paragraph.number)
        entries.append(
            {
                "paragraph": paragraph,
                "target": target,
                "count": counts.get(paragraph.block_id, 0),
                "comments": threads.get(paragraph.block_id, []),
                "open": open_key == paragraph.block_id,
            }
        )
    return {
        **comment_permissions_context(request, consultation),
        "consultation": consultation,
        "consultation_id": consultation.pk,
        "live": False,
        "form": CommentForm(),
        "entries": entries,
        "paragraph_count": len(paragraphs),
        "total_count": sum(counts.get(key, 0) for key in paragraphs),
        "view": view if view in ("inline", "aside") else "inline",
        "live_since": since,
    }
