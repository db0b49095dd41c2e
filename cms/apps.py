from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = _("Website")

    def ready(self) -> None:
        from cms import security_txt  # noqa: F401  (registers the deploy check)
        from cooperative.slugs import register_admin_widget

        register_admin_widget()
