from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participation.gate.registry import last_contribution_register


class CommentsConfig(AppConfig):
    name = "participation.comments"
    label = "participation_comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from participation.comments import signals
        from participation.comments.selectors import comment_last_written_at

        signals.connect()
        last_contribution_register("comments", comment_last_written_at)
