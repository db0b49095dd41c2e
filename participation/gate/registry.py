"""What the gate asks of the contribution kinds without importing them: each kind
registers, in its `AppConfig.ready()`, how to find when a person last contributed to a
consultation in that kind (slow mode counts from it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

# (user id, consultation id) -> when that person last wrote or changed a contribution of
# the kind there, whatever became of it; None if never.
LastContribution = Callable[[int, int], datetime | None]

_last_contribution: dict[str, LastContribution] = {}


def last_contribution_register(kind: str, reader: LastContribution) -> None:
    """Called once per kind from its `AppConfig.ready()`."""
    _last_contribution[kind] = reader


def last_contribution_readers() -> list[LastContribution]:
    return list(_last_contribution.values())
