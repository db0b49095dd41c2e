"""Reads about accounts that the apps above ask: whether someone is on the board."""

from __future__ import annotations

# The board (Vorstand) is this Django group; the platform admin appoints its members.
BOARD_GROUP = "Vorstand"


def is_board_member(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_board_cache", None)
    if cached is None:
        cached = user.groups.filter(name=BOARD_GROUP).exists()
        user._board_cache = cached
    return cached
