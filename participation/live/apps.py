from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "participation.live"
    label = "participation_live"
    verbose_name = _("Live updates")

    def ready(self) -> None:
        from participation.live import access

        access.connect()
