"""Who may apply, decide on members, leave, and see the register.

The board is the Django group "Vorstand" (cooperative/accounts/selectors.py). The platform
admin (superuser) has no governance power of its own: permissions are asked through
`cooperative.permissions.allowed`, without Django's superuser shortcut (see
docs/roles-and-permissions.md).
"""

import rules

from cooperative.accounts.rules import is_board, is_verified
from cooperative.membership.models import Member
from cooperative.membership.selectors import applications_of, is_member
from cooperative.organisations.selectors import user_has_role


@rules.predicate
def is_cooperative_member(user) -> bool:
    return is_member(user)


@rules.predicate
def has_no_open_application(user) -> bool:
    return (
        not applications_of(user)
        .filter(user=user, status__in=[Member.Status.APPLIED, Member.Status.ADMITTED])
        .exists()
    )


@rules.predicate
def speaks_for_member(user, member) -> bool:
    """The member themselves, or a representative of the member organisation."""
    if member is None or not getattr(user, "is_authenticated", False):
        return False
    if member.user_id is not None:
        return member.user_id == user.pk
    return user_has_role(user, member.organisation_id, "representative")


@rules.predicate
def represents_organisation(user, organisation) -> bool:
    return organisation is not None and user_has_role(user, organisation, "representative")


@rules.predicate
def is_current_member(user, member) -> bool:
    return member is not None and member.status == Member.Status.ADMITTED


rules.add_perm("cooperative_membership.apply_member", is_verified & has_no_open_application)
rules.add_perm(
    "cooperative_membership.apply_for_organisation", is_verified & represents_organisation
)
rules.add_perm("cooperative_membership.decide_member", is_board)
rules.add_perm("cooperative_membership.exclude_member", is_board & is_current_member)
rules.add_perm(
    "cooperative_membership.resign_member", is_verified & speaks_for_member & is_current_member
)
rules.add_perm("cooperative_membership.view_register", is_board)
rules.add_perm("cooperative_membership.export_register", is_board)
