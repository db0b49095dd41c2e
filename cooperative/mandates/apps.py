from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MandatesConfig(AppConfig):
    name = "cooperative.mandates"
    label = "cooperative_mandates"
    verbose_name = _("Mandates")

    def ready(self) -> None:
        from cooperative.accounts.staff import staff_role_register
        from cooperative.mandates.selectors import user_holds_any_mandate

        # Moderators decide about other people's contributions: with a second factor.
        staff_role_register(user_holds_any_mandate)
