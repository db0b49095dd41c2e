from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "participation.comments"
    label = "participation_comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from participation.comments import signals

        signals.connect()
