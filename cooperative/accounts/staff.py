"""Who is staff: the people whose acts bind an organisation, other people's content or the
platform, and who therefore act only with a second factor (second_factor.py).

Staff are
- platform admins (`is_superuser`, `is_staff`) and anyone the Wagtail admin lets in
  (`wagtailadmin.access_admin`: the editors of an organisation, through its group);
- holders of an organisation role that speaks or acts for the organisation: editor,
  speaker (official statements and feedback), moderator;
- holders of a current moderation mandate (as a member, or through an organisation);
- the board (Vorstand).

Not staff: citizens, members and representatives as such (a representative votes for a
member organisation, as a member votes for themselves); a representative whose
organisation holds a mandate is staff through the mandate.

Organisation roles and the board are asked here; the mandates, whose app uses this one,
register a test in its `AppConfig.ready()` (`staff_role_register`) instead, so that no
two apps import each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cooperative.accounts.selectors import is_board_member
from cooperative.organisations.selectors import user_acts_for_an_organisation

StaffTest = Callable[[Any], bool]

_staff_tests: list[StaffTest] = []


def staff_role_register(test: StaffTest) -> None:
    """Count the people for whom `test(user)` is true as staff."""
    if test not in _staff_tests:
        _staff_tests.append(test)


def user_is_staff(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    if user.has_perm("wagtailadmin.access_admin"):
        return True
    if user_acts_for_an_organisation(user) or is_board_member(user):
        return True
    return any(test(user) for test in _staff_tests)
