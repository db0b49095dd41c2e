from __future__ import annotations

from django.contrib.auth.models import Group

from cooperative.accounts.selectors import BOARD_GROUP


def board_group_ensure() -> Group:
    """The board's group, created the first time it is asked for."""
    group, _created = Group.objects.get_or_create(name=BOARD_GROUP)
    return group
