"""Publishing live events: stored with the write, sent after commit, rendered once.

Services call `event_publish` inside their transaction. The event row commits or
rolls back with the write; after commit the frame goes to every process through
the hub (the channel layer between processes), and each process fans it out to
its readers. A reconnecting client asks for the events after its last id.

A live frame carries `"at"`: when it was published (server clock, Unix seconds, set
right after the commit), so that a client or a benchmark can tell how long delivery
took. Frames sent on catch-up have no `"at"`: they are history.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from typing import Any

from asgiref.sync import async_to_sync
from django.db import transaction

from participation.live.hub import hub
from participation.live.models import LiveEvent, frame_text

logger = logging.getLogger(__name__)

CATCH_UP_LIMIT = 500


def event_publish(*, room: str, type: str, data: Mapping[str, Any]) -> LiveEvent:
    text = json.dumps({"type": type, **data}, separators=(",", ":"), ensure_ascii=False)
    event = LiveEvent.objects.create(room=room, type=type, data=text)
    frame = frame_text(event.pk, text)

    def send() -> None:
        try:
            async_to_sync(hub.publish)(room, event.pk, stamped(frame))
        except Exception:
            # The event is stored: readers get it when they catch up.
            logger.exception("live: could not publish event %s to %s", event.pk, room)

    transaction.on_commit(send)
    return event


def stamped(frame: str) -> str:
    """The frame with `"at"` (publication time) as its last member."""
    return f'{frame[:-1]},"at":{time.time():.6f}}}'


def events_since(
    rooms: tuple[str, ...] | list[str], since_id: int, limit: int = CATCH_UP_LIMIT
) -> list[tuple[int, str]]:
    rows = (
        LiveEvent.objects.filter(room__in=rooms, pk__gt=since_id)
        .order_by("pk")
        .values_list("pk", "data")[:limit]
    )
    return [(pk, frame_text(pk, data)) for pk, data in rows]


def last_event_id() -> int:
    """Where a page that is rendered now stands; its socket asks for what came after."""
    return LiveEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
