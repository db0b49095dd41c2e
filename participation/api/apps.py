from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "participation.api"
    label = "participation_api"
    verbose_name = _("Open interfaces")

    def ready(self) -> None:
        # Every content type declares its serializer in one place (participation/api/content.py).
        from participation.api import content  # noqa: F401
