"""Who may write, react to, edit and remove contributions.

Commenting is open only while the consultation's current phase allows it;
official statements only from the organisation's speakers.
"""

import rules

from cooperative.accounts.rules import is_verified
from participation.consultations.rules import (
    is_admin,
    is_published,
    is_speaker,
    phase_allows,
)
from participation.gate.mandates import holds_mandate_for_consultation


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return bool(user.is_authenticated and comment is not None and comment.author_id == user.pk)


@rules.predicate
def within_edit_window(user, comment) -> bool:
    return comment is not None and comment.edit_window_open


@rules.predicate
def comment_is_live(user, comment) -> bool:
    return comment is not None and comment.status in {"published", "pending"}


@rules.predicate
def comment_is_published(user, comment) -> bool:
    return comment is not None and comment.status == "published"


def _on_consultation(predicate):
    """Apply a consultation predicate to a comment's consultation."""

    @rules.predicate(name=f"comment_{predicate.name}")
    def wrapped(user, comment) -> bool:
        return comment is not None and predicate.test(user, comment.consultation)

    return wrapped


can_comment = is_verified & is_published & phase_allows("comment")

rules.add_perm("participation_comments.add_comment", can_comment)
rules.add_perm("participation_comments.add_official_comment", can_comment & is_speaker)
rules.add_perm(
    "participation_comments.react_comment",
    is_verified
    & comment_is_published
    & _on_consultation(phase_allows("comment"))
    & ~is_comment_author,
)
rules.add_perm(
    "participation_comments.change_comment",
    is_comment_author
    & comment_is_live
    & within_edit_window
    & _on_consultation(phase_allows("comment")),
)
rules.add_perm("participation_comments.delete_comment", is_comment_author & comment_is_live)
# Moderation is exercised under a mandate of the cooperative covering the consultation
# (organisation, topic or platform scope); the organisation's moderator role alone does
# not suffice (participation/moderation/rules.py).
rules.add_perm(
    "participation_comments.moderate_comment",
    is_admin | _on_consultation(holds_mandate_for_consultation),
)
rules.add_perm(
    "participation_comments.view_pending_comments",
    is_admin | holds_mandate_for_consultation,
)
