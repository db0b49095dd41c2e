from __future__ import annotations

import asyncio
import contextlib

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from participation.live.groups import consultation_group
from participation.live.presence import HEARTBEAT_SECONDS, presence_store

CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
# Coalesce bursts of joins and leaves into one count per process and consultation.
PRESENCE_BROADCAST_DELAY = 0.5
_pending_broadcasts: set[int] = set()


@database_sync_to_async
def _may_view(user, page_id: int) -> bool | None:
    from participation.consultations.models import ConsultationPage

    page = ConsultationPage.objects.filter(pk=page_id).first()
    if page is None:
        return None
    return user.has_perm("participation_consultations.view_consultationpage", page)


class PresenceConsumer(AsyncJsonWebsocketConsumer):
    """Push-only: tells every reader of a consultation how many are reading it."""

    page_id: int
    group: str
    heartbeat_task: asyncio.Task | None = None

    async def connect(self) -> None:
        self.page_id = int(self.scope["url_route"]["kwargs"]["page_id"])
        allowed = await _may_view(self.scope["user"], self.page_id)
        if not allowed:
            await self.close(code=CLOSE_NOT_FOUND if allowed is None else CLOSE_FORBIDDEN)
            return
        self.group = consultation_group(self.page_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        count = await presence_store().join(self.group, self.channel_name)
        await self.send_json({"type": "presence", "count": count})
        self.heartbeat_task = asyncio.create_task(self._heartbeat())
        await self._schedule_broadcast()

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "group"):
            return
        if self.heartbeat_task:
            self.heartbeat_task.cancel()
        await presence_store().leave(self.group, self.channel_name)
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await self._schedule_broadcast()

    async def receive_json(self, content, **kwargs) -> None:
        # Writes never travel over the socket; anything a client sends is ignored.
        return None

    async def presence_count(self, event: dict) -> None:
        await self.send_json({"type": "presence", "count": event["count"]})

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            await presence_store().heartbeat(self.group, self.channel_name)

    async def _schedule_broadcast(self) -> None:
        if self.page_id in _pending_broadcasts:
            return
        _pending_broadcasts.add(self.page_id)
        asyncio.get_running_loop().call_later(
            PRESENCE_BROADCAST_DELAY,
            lambda: asyncio.ensure_future(_broadcast(self.channel_layer, self.page_id)),
        )


async def _broadcast(channel_layer, page_id: int) -> None:
    _pending_broadcasts.discard(page_id)
    group = consultation_group(page_id)
    with contextlib.suppress(Exception):
        count = await presence_store().count(group)
        await channel_layer.group_send(group, {"type": "presence.count", "count": count})
