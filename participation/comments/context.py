"""The context every discussion template needs, built in one place."""

from django.utils.translation import gettext_lazy as _

from participation.comments.forms import CommentForm
from participation.comments.models import Comment
from participation.comments.rules import has_comment_perm
from participation.comments.selectors import comment_thread_page, official_statements
from participation.live.events import last_event_id

SORT_CHOICES = [
    ("newest", _("newest")),
    ("oldest", _("oldest")),
    ("replies", _("most replies")),
    ("agreed", _("most agreement")),
]


def discussion_context(
    request, consultation, *, thread=None, form=None, with_thread: bool = True
) -> dict:
    user = request.user
    phase = consultation.current_phase()
    if thread is None and with_thread:
        thread = comment_thread_page(
            user,
            consultation,
            sort=request.GET.get("sort", ""),
            page_number=request.GET.get("page"),
            official_only=request.GET.get("official") == "1",
        )
    return {
        "consultation": consultation,
        "consultation_id": consultation.pk,
        "viewer": user,
        "live": False,
        "thread": thread,
        "form": form or CommentForm(),
        "sort_choices": SORT_CHOICES,
        "can_comment": has_comment_perm(user, "participation_comments.add_comment", consultation),
        "can_comment_phase": bool(phase and phase.allows("comment")),
        "can_speak": has_comment_perm(
            user, "participation_comments.add_official_comment", consultation
        ),
        "statements": list(official_statements(consultation)[:5]) if with_thread else [],
        "comment_count": Comment.objects.filter(
            consultation=consultation, status=Comment.Status.PUBLISHED
        ).count()
        if with_thread
        else None,
        "moderation_mode": consultation.moderation_mode,
        "live_since": last_event_id() if with_thread else 0,
    }
