"""Background work of the discussion: the mail about a reply."""

from __future__ import annotations

from django_tasks import task

from participation.comments import services
from participation.comments.models import Comment


@task()
def reply_mail_task(*, comment_id: int) -> int:
    comment = (
        Comment.objects.select_related(
            "author", "organisation", "consultation", "parent", "parent__author"
        )
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    return services.reply_mail_send(comment=comment)
