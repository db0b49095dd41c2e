from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MandatesConfig(AppConfig):
    name = "cooperative.mandates"
    label = "cooperative_mandates"
    verbose_name = _("Mandates")

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which the app registry
        # has only now.
        from cooperative.accounts.staff import staff_role_register
        from cooperative.governance.home import home_section_register
        from cooperative.mandates.selectors import user_holds_any_mandate
        from cooperative.mandates.views import mandates_home_section

        # Moderators decide about other people's contributions: with a second factor.
        staff_role_register(user_holds_any_mandate)
        # Governance lies below the mandates; its home page shows their count through this.
        home_section_register(mandates_home_section)
