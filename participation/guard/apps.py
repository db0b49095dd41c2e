from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuardConfig(AppConfig):
    name = "participation.guard"
    label = "participation_guard"
    verbose_name = _("Shitstorm guard")

    def ready(self) -> None:
        from participation.guard import signals

        signals.connect()
