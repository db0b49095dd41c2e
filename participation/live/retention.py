"""How long stored live events are kept, and pruning them.

Stored events exist so that a reader can catch up after a short gap (a reconnect, a page
that was rendered a moment before its socket opened). They are kept for
`LIVE_EVENT_RETENTION_HOURS` (48 h by default), then deleted by a background task
(tasks.py). The horizon (`LiveHorizon`) records up to which id events may be gone; it is
raised before anything is deleted, and a reader who asks for events after an id below it
gets `resync` (reload) instead of a history with holes in it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from participation.live.models import LiveEvent, LiveHorizon

PRUNE_BATCH = 5000


def retention() -> timedelta:
    return timedelta(hours=float(settings.LIVE_EVENT_RETENTION_HOURS))


def horizon() -> int:
    """Events up to this id may have been pruned (0: nothing was ever pruned)."""
    return LiveHorizon.objects.filter(pk=1).values_list("pruned_through", flat=True).first() or 0


def _horizon_raise(through: int, now: datetime) -> int:
    """Raise the horizon to `through` (never lower it); the horizon as it is now."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                row, _created = LiveHorizon.objects.select_for_update().get_or_create(pk=1)
        except IntegrityError:  # another prune created it at the same moment
            row = LiveHorizon.objects.select_for_update().get(pk=1)
        if through > row.pruned_through:
            row.pruned_through = through
            row.pruned_at = now
            row.save(update_fields=["pruned_through", "pruned_at"])
        return row.pruned_through


def events_prune(*, now: datetime | None = None) -> int:
    """Delete the events older than the retention period; how many were deleted.

    The horizon is raised first and committed, then rows go in batches (no long
    transaction, no lock on the table): a reader who asks in between is already told to
    reload, whatever is still there."""
    now = now or timezone.now()
    cutoff = now - retention()
    last_expired = (
        LiveEvent.objects.filter(created_at__lt=cutoff)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    through = _horizon_raise(last_expired or 0, now)
    deleted = 0
    while True:
        batch = list(
            LiveEvent.objects.filter(pk__lte=through)
            .order_by("pk")
            .values_list("pk", flat=True)[:PRUNE_BATCH]
        )
        if not batch:
            return deleted
        deleted += LiveEvent.objects.filter(pk__in=batch).delete()[0]
