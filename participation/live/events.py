"""Publishing live events: stored with the write, sent after commit, rendered once.

Services call `event_publish` inside their transaction. The event row commits or
rolls back with the write; after commit the frame goes to every process through
the hub (the channel layer between processes), and each process fans it out to
its readers. A reconnecting client asks for the events after its last id.

A live frame carries `"at"`: when it was published (server clock, Unix seconds, set
right after the commit), so that a client or a benchmark can tell how long delivery
took. Frames sent on catch-up have no `"at"`: they are history.

Catch-up replays what is stored, so what is stored must never say more than the page
says now. An event names its `subject` ("comment:42"); when that thing changes the
way readers may see it (hidden, removed, deleted by its author, edited, erased), the
service that publishes the change rewrites the subject's earlier frames to what the
page shows now (`subject_rewrite`), or deletes them where the page no longer shows the
thing at all (`subject_withdraw`), in the same transaction. The live layer knows no
kinds: which keys carry content and who may see what is the publishing service's.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from asgiref.sync import async_to_sync
from django.db import transaction
from django.db.models import Q

from participation.live.hub import hub
from participation.live.models import LiveEvent, frame_text
from participation.live.retention import horizon
from participation.live.tasks import prune_soon

logger = logging.getLogger(__name__)

CATCH_UP_LIMIT = 500


def _text(data: Mapping[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def event_publish(*, room: str, type: str, data: Mapping[str, Any], subject: str = "") -> LiveEvent:
    text = _text({"type": type, **data})
    event = LiveEvent.objects.create(room=room, type=type, subject=subject, data=text)
    frame = frame_text(event.pk, text)

    def send() -> None:
        try:
            async_to_sync(hub.publish)(room, event.pk, stamped(frame))
        except Exception:
            # The event is stored: readers get it when they catch up.
            logger.exception("live: could not publish event %s to %s", event.pk, room)

    transaction.on_commit(send)
    prune_soon()
    return event


def stamped(frame: str) -> str:
    """The frame with `"at"` (publication time) as its last member."""
    return f'{frame[:-1]},"at":{time.time():.6f}}}'


def _of_subject(subject: str, rooms: Iterable[str] | None):
    if not subject:
        raise ValueError("a subject is needed")
    events = LiveEvent.objects.filter(subject=subject)
    return events if rooms is None else events.filter(room__in=list(rooms))


def subject_rewrite(
    *, subject: str, values: Mapping[str, Any], rooms: Iterable[str] | None = None
) -> int:
    """Stored frames of `subject` (in `rooms`, or all) say `values` from now on, for each
    key they carry: a hidden contribution's earlier `comment.created` keeps its place in
    the history (replies after it still find their parent) but carries the placeholder.
    Call inside the transaction of the change; how many frames changed."""
    # Only frames that may carry one of the keys (not, say, a contribution's reaction
    # counts); the loop below decides exactly.
    carrying = Q()
    for key in values:
        carrying |= Q(data__contains=f"{json.dumps(key, ensure_ascii=False)}:")
    changed = []
    for event in _of_subject(subject, rooms).filter(carrying).only("pk", "data"):
        data = json.loads(event.data)
        rewritten = {key: values.get(key, value) for key, value in data.items()}
        if rewritten != data:
            event.data = _text(rewritten)
            changed.append(event)
    if changed:
        LiveEvent.objects.bulk_update(changed, ["data"])
    return len(changed)


def subject_withdraw(*, subject: str, rooms: Iterable[str] | None = None) -> int:
    """Delete the stored frames of `subject` (in `rooms`, or all), for a thing the page no
    longer shows at all. Call inside the transaction of the change."""
    return _of_subject(subject, rooms).delete()[0]


def subjects_stored(subjects: Iterable[str]) -> set[str]:
    """Which of these subjects have stored frames (most things have none after a while)."""
    subjects = list(subjects)
    found: set[str] = set()
    for start in range(0, len(subjects), 500):
        found.update(
            LiveEvent.objects.filter(subject__in=subjects[start : start + 500])
            .values_list("subject", flat=True)
            .distinct()
        )
    return found


def room_forget(*, room: str) -> int:
    """Delete every stored frame of a room (an erased account's own room, a deleted page's)."""
    return LiveEvent.objects.filter(room=room).delete()[0]


class CatchUp(NamedTuple):
    frames: list[tuple[int, str]]
    # Set when the frames cannot be the whole story (more were missed than are replayed,
    # or some may have been pruned): the id the reader goes on from after reloading.
    resync: int | None = None


def events_since(
    rooms: tuple[str, ...] | list[str], since_id: int, limit: int | None = None
) -> CatchUp:
    limit = limit or CATCH_UP_LIMIT
    rows = list(
        LiveEvent.objects.filter(room__in=rooms, pk__gt=since_id)
        .order_by("pk")
        .values_list("pk", "data")[:limit]
    )
    # Read after the events: pruning raises the horizon before it deletes, so if the query
    # above missed a pruned row, this one sees the raised horizon.
    if len(rows) >= limit or since_id < horizon():
        return CatchUp([], resync=last_event_id())
    return CatchUp([(pk, frame_text(pk, data)) for pk, data in rows])


def last_event_id() -> int:
    """Where a page that is rendered now stands; its socket asks for what came after."""
    last = LiveEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    # With nothing stored (all pruned), the horizon: never an id a reader would be sent
    # `resync` for.
    return last if last is not None else horizon()
