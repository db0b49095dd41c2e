"""Predicates about the account itself, which every app's rules compose: signed in and
active, and on the board."""

import rules

from cooperative.accounts.selectors import is_board_member


@rules.predicate
def is_verified(user) -> bool:
    """A signed-in, active account: who may take part at all."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def is_board(user) -> bool:
    return is_board_member(user)
