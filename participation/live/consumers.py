from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from participation.live.events import CATCH_UP_LIMIT, events_since
from participation.live.groups import consultation_group, user_group
from participation.live.hub import hub

CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
RESYNC_FRAME = '{"type":"resync"}'
CAUGHT_UP_MEMORY_SECONDS = 30


@database_sync_to_async
def _may_view(user, page_id: int) -> bool | None:
    from participation.consultations.models import ConsultationPage

    page = ConsultationPage.objects.filter(pk=page_id).first()
    if page is None:
        return None
    return user.has_perm("participation_consultations.view_consultationpage", page)


def _since(scope) -> int | None:
    values = parse_qs(scope.get("query_string", b"").decode()).get("since")
    if not values:
        return None
    try:
        return max(0, int(values[0]))
    except ValueError:
        return None


class ConsultationLiveConsumer(AsyncWebsocketConsumer):
    """Push-only: everything that happens in a consultation, as it happens.

    No channel of its own (the hub subscribes once per process and room and writes
    to this connection's ASGI send directly). With `?since=<event id>` the reader
    first gets what it missed, then live events, without gaps or duplicates.
    """

    channel_layer_alias = "__hub_only__"  # not configured: no per-connection channel

    rooms: tuple[str, ...] = ()
    _buffer: list[tuple[int | None, str]] | None = None
    # Events the catch-up sent that may still be on their way live (committed before the
    # catch-up query, delivered after it): each is dropped once when it arrives.
    _caught_up: set[int] | None = None

    async def connect(self) -> None:
        page_id = int(self.scope["url_route"]["kwargs"]["page_id"])
        user = self.scope["user"]
        allowed = await _may_view(user, page_id)
        if not allowed:
            await self.close(code=CLOSE_NOT_FOUND if allowed is None else CLOSE_FORBIDDEN)
            return
        await self.accept()
        rooms = [consultation_group(page_id)]
        if user.is_authenticated:
            rooms.append(user_group(user.pk))
        self.rooms = tuple(rooms)
        since = _since(self.scope)
        if since is not None:
            self._buffer = []  # live events that arrive during the catch-up query
        for room in self.rooms:
            await hub.join(room, self)
        if since is not None:
            await self._catch_up(since)

    async def _catch_up(self, since: int) -> None:
        missed = await database_sync_to_async(events_since)(self.rooms, since)
        buffered, self._buffer = self._buffer or [], None
        if len(missed) >= CATCH_UP_LIMIT:
            await self._send_frame(RESYNC_FRAME)
            return
        sent = set()
        for event_id, frame in missed:
            sent.add(event_id)
            await self._send_frame(frame)
        for event_id, frame in buffered:
            if event_id is None or event_id not in sent:
                await self._send_frame(frame)
            else:
                sent.discard(event_id)
        if sent:
            self._caught_up = sent
            asyncio.get_running_loop().call_later(CAUGHT_UP_MEMORY_SECONDS, self._forget_caught_up)

    async def disconnect(self, code: int) -> None:
        for room in self.rooms:
            await hub.leave(room, self)

    async def receive(self, text_data=None, bytes_data=None) -> None:
        # Writes never travel over the socket; anything a client sends is ignored.
        return None

    async def push(self, event_id: int | None, frame: str) -> None:
        if self._buffer is not None:
            self._buffer.append((event_id, frame))
            return
        if self._caught_up and event_id in self._caught_up:
            self._caught_up.discard(event_id)
            return
        await self._send_frame(frame)

    def _forget_caught_up(self) -> None:
        self._caught_up = None

    async def _send_frame(self, frame: str) -> None:
        await self.base_send({"type": "websocket.send", "text": frame})
