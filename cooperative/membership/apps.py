from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "cooperative.membership"
    label = "cooperative_membership"
    verbose_name = _("Membership")
