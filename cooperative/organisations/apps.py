from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "cooperative.organisations"
    label = "cooperative_organisations"
    verbose_name = _("Organisations")
