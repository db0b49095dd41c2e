from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MandatesConfig(AppConfig):
    name = "cooperative.mandates"
    label = "cooperative_mandates"
    verbose_name = _("Mandates")
