"""Deleting an account is not a service of this app (the admin deletes the row; the
cooperative's apps know nothing of contributions), so its effect on contributions hangs on
the signal: the contributions stay, and the live frames stored for catch-up stop naming
their author (`comment_frames_author_erased`)."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import pre_delete

from participation.comments.services import comment_frames_author_erased


def _account_deleted(sender, instance, **kwargs) -> None:
    comment_frames_author_erased(author=instance)


def connect() -> None:
    pre_delete.connect(
        _account_deleted, sender=settings.AUTH_USER_MODEL, dispatch_uid="comments-author-erased"
    )
