from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GateConfig(AppConfig):
    name = "participation.gate"
    label = "participation_gate"
    verbose_name = _("Participation gate")
