from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "cooperative.membership"
    label = "cooperative_membership"
    verbose_name = _("Membership")

    def ready(self) -> None:
        from cooperative.accounts.staff import staff_role_register
        from cooperative.membership.selectors import is_board_member

        # The board decides on members, mandates and ballots: it acts with a second factor.
        staff_role_register(is_board_member)
