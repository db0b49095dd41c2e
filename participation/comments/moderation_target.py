"""How moderation reaches contributions (``beitrag``): registered in the app's ready()
(participation/gate/targets.py). A moderator's decision moves a contribution through its
states here, keeps the counters of published contributions right and tells readers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participation.comments.models import Comment
from participation.comments.services import (
    comment_counts_change,
    comment_event_publish,
    reply_published,
)
from participation.contributions.markup import markdown_to_text
from participation.gate.targets import (
    APPROVE,
    CONTENT_ACTIONS,
    HIDE,
    REJECT,
    REMOVE,
    RESTORE,
    THREAD_ACTIONS,
    ModerationTarget,
    TargetFacts,
)

Status = Comment.Status

# The status a contribution must have for an action, and the one it gets.
TRANSITIONS: dict[str, tuple[set[str], str]] = {
    HIDE: ({Status.PUBLISHED, Status.PENDING}, Status.HIDDEN),
    RESTORE: ({Status.HIDDEN, Status.REMOVED}, Status.PUBLISHED),
    REMOVE: ({Status.PUBLISHED, Status.HIDDEN, Status.PENDING}, Status.REMOVED),
    APPROVE: ({Status.PENDING}, Status.PUBLISHED),
    REJECT: ({Status.PENDING}, Status.REMOVED),
}


class CommentTarget(ModerationTarget):
    kind = "beitrag"
    label = gettext_lazy("contribution")
    actions = CONTENT_ACTIONS | THREAD_ACTIONS
    reportable_by_public = True
    authored = True
    is_content = True

    def applicable(self, obj) -> frozenset[str]:
        return self.applicable_by_status(TRANSITIONS, None if obj.removed_by_author else obj.status)

    @property
    def model(self) -> type[Comment]:
        return Comment

    def facts(self, obj: Comment) -> TargetFacts:
        return TargetFacts(
            consultation=obj.consultation,
            affected_user=obj.author,
            location_url=obj.get_absolute_url(),
            excerpt=Truncator(markdown_to_text(obj.body)).chars(300),
            created_at=obj.created_at,
        )

    def public_now(self, obj: Comment) -> bool:
        return obj.status == Status.PUBLISHED

    def is_pending(self, obj: Comment) -> bool:
        return obj.status == Status.PENDING

    def pending(self):
        return Comment.objects.filter(status=Status.PENDING).select_related(
            "author", "consultation"
        )

    def deleted_by_author(self, obj: Comment) -> bool:
        return obj.removed_by_author

    def only_by_a_moderator(self, obj: Comment) -> bool:
        # An organisation's official statement (Stellungnahme): hiding the voice of the
        # authority on a platform that promises it a hearing takes a person who answers
        # for it.
        return obj.is_official

    def text(self, obj: Comment) -> str:
        return obj.body

    def text_html(self, obj: Comment) -> str:
        return obj.body_html

    def lock_place(self, obj: Comment) -> dict:
        # Its thread.
        return {"consultation_id": obj.consultation_id, "root_id": obj.root_id or obj.pk}

    def moderate(self, obj: Comment, action: str, *, seen_version: str | None = None) -> None:
        if action not in TRANSITIONS:
            super().moderate(obj, action, seen_version=seen_version)
        allowed, new = TRANSITIONS[action]
        comment = Comment.objects.select_for_update().get(pk=obj.pk)
        if comment.status not in allowed or comment.removed_by_author:
            raise ValidationError(_("This contribution is not in a state for this action."))
        self.check_seen(comment, action, seen_version)
        old = comment.status
        comment.status = new
        comment.save(update_fields=["status"])
        obj.status = new
        was_public = old == Status.PUBLISHED
        is_public = new == Status.PUBLISHED
        if was_public and not is_public:
            comment_counts_change(comment=comment, delta=-1)
        elif is_public and not was_public:
            comment_counts_change(comment=comment, delta=1)
            if old == Status.PENDING:
                reply_published(comment)  # approved: new to everyone, its parent's author too
        _publish_change(comment, old=old)


def _publish_change(comment: Comment, *, old: str) -> None:
    """Readers see a hidden contribution turn into its placeholder and a restored one come
    back, through the discussion's own events; a pending one only its author saw. The
    contribution's earlier stored frames carry the placeholder from now on too
    (`comment_event_publish`), so catch-up never replays the hidden text."""
    if old == Status.PENDING and comment.status != Status.PUBLISHED:
        comment_event_publish(comment, "comment.removed", author_only=True)
        return
    if comment.status == Status.PUBLISHED:
        # An approved contribution is new to readers; a restored one replaces its
        # placeholder (rendered by the page's own template) and counts again.
        kind = "comment.created" if old == Status.PENDING else "comment.restored"
        comment_event_publish(comment, kind)
        return
    comment_event_publish(comment, "comment.removed")
