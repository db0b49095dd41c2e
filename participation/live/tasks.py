"""Background work of the live path: pruning stored events.

The live path itself asks for a prune after an event commits, at most once per
`LIVE_EVENT_PRUNE_INTERVAL_MINUTES` and process (and, where the cache is shared, once
per interval for all processes), so that every installation with a task worker prunes
without a timer of its own. `manage.py live_events_prune` does the same from cron.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django_tasks import task

from participation.live.retention import events_prune

logger = logging.getLogger(__name__)


@task()
def live_events_prune_task() -> int:
    """Delete stored live events older than the retention period; how many went."""
    return events_prune()


class PruneSchedule:
    """Whether this process should ask for a prune now: one float comparison per event."""

    def __init__(self) -> None:
        self.next_at = 0.0

    def due(self) -> bool:
        minutes = float(getattr(settings, "LIVE_EVENT_PRUNE_INTERVAL_MINUTES", 60))
        if minutes <= 0:
            return False
        now = time.monotonic()
        if now < self.next_at:
            return False
        self.next_at = now + minutes * 60
        return True


prune_schedule = PruneSchedule()


def prune_soon() -> None:
    """Call inside the transaction that stores an event: a prune is enqueued after commit
    if none was asked for in this interval."""
    if prune_schedule.due():
        transaction.on_commit(_prune_enqueue)


def _prune_enqueue() -> None:
    minutes = float(getattr(settings, "LIVE_EVENT_PRUNE_INTERVAL_MINUTES", 60))
    bucket = int(time.time() // (minutes * 60))
    try:
        if cache.add(f"live:prune:{bucket}", 1, timeout=int(minutes * 120)):
            live_events_prune_task.enqueue()
    except Exception:
        # The event is stored and sent; pruning waits for the next interval.
        logger.exception("live: could not enqueue pruning of stored events")
