"""One subscription per process and room, fanned out in-process to every reader.

The stock Channels path gives every WebSocket its own consumer channel and makes
`group_send` address each of them; that costs per reader and message. Here each
process subscribes once per room (consultation.<id>, user.<id>) and hands the
frame, encoded once, straight to the readers' ASGI `send`.

Embedded mode (in-memory layer, one process) needs no channel layer at all: a
published frame goes directly to the local readers. With Redis the frame is
sent to the room's group once; every process receives it on its hub channel.

The fan-out itself is one plain loop over the room's readers: each reader takes the
frame synchronously (`Reader.offer`) and only a reader that cannot write at once
returns something to await. The frame travels as a `Frame`, which encodes its text
once and keeps the WebSocket framing it was prepared with, so that a reader served
by daphne can write the same bytes as every other reader (see consumers.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, Protocol

from channels.layers import InMemoryChannelLayer, get_channel_layer

from participation.live.presence import presence_store

logger = logging.getLogger(__name__)

PRESENCE_TICK_SECONDS = 1.0
PRESENCE_HEARTBEAT_SECONDS = 20.0


class Frame:
    """A frame as it goes out: the text, its UTF-8 bytes and its WebSocket framing, each
    made once however many readers get it."""

    __slots__ = ("_data", "_prepared", "_prepared_by", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._data: bytes | None = None
        self._prepared: Any = None
        self._prepared_by: Any = None

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = self.text.encode("utf-8")
        return self._data

    def prepared(self, factory: Any) -> Any:
        """The message prepared by an autobahn WebSocket factory (daphne's), for all of its
        connections (`sendPreparedMessage`)."""
        if self._prepared_by is not factory:
            self._prepared = factory.prepareMessage(self.data, isBinary=False)
            self._prepared_by = factory
        return self._prepared


class Reader(Protocol):
    """What the hub needs from a connection."""

    def offer(self, event_id: int | None, frame: Frame) -> Awaitable[None] | None:
        """Send the frame now if possible (return None), else return what to await."""
        ...

    async def recheck(self) -> None:
        """Ask again whether the reader may still read the room; leave and close if not."""
        ...


@dataclass(eq=False)
class Room:
    name: str
    readers: set[Reader] = field(default_factory=set)
    presence_dirty: bool = True
    presence_shown: int | None = None
    presence_reported_at: float = 0.0


@dataclass
class HubStats:
    published: int = 0
    delivered: int = 0
    failed: int = 0


class Hub:
    def __init__(self) -> None:
        self.rooms: dict[str, Room] = {}
        self.stats = HubStats()
        self.process_id = f"{os.getpid()}-{id(self):x}"
        self._channel: str | None = None
        self._reader_task: asyncio.Task | None = None
        self._ticker_task: asyncio.Task | None = None
        self._lock = asyncio.Lock()
        # Rooms whose group this process's hub channel is in, and one lock per room that
        # someone is changing, with how many are using it (so it can be dropped after).
        self._subscribed: set[str] = set()
        self._sub_locks: dict[str, tuple[asyncio.Lock, int]] = {}
        self._rechecks: set[asyncio.Task] = set()

    # -- configuration -------------------------------------------------------------
    @property
    def layer(self):
        return get_channel_layer()

    @property
    def distributed(self) -> bool:
        layer = self.layer
        return layer is not None and not isinstance(layer, InMemoryChannelLayer)

    # -- readers -------------------------------------------------------------------
    async def join(self, room_name: str, reader: Reader) -> None:
        room = self.rooms.get(room_name)
        if room is None:
            room = self.rooms[room_name] = Room(room_name)
        room.readers.add(reader)
        room.presence_dirty = True
        self._ensure_ticker()
        if room.presence_shown is not None:
            # The count others see already; the next tick corrects it for the newcomer.
            pending = reader.offer(None, Frame(presence_frame(room.presence_shown)))
            if pending is not None:
                await pending
        if self.distributed and room_name not in self._subscribed:
            # Subscribed before the caller asks what it missed: nothing falls in between.
            await self._sync_subscription(room_name)

    async def leave(self, room_name: str, reader: Reader) -> None:
        room = self.rooms.get(room_name)
        if room is None:
            return
        room.readers.discard(reader)
        room.presence_dirty = True
        if not room.readers:
            del self.rooms[room_name]
            await presence_store().report(room_name, self.process_id, 0)
            if room_name in self._subscribed:
                with contextlib.suppress(Exception):
                    await self._sync_subscription(room_name)

    def reader_count(self, room_name: str) -> int:
        room = self.rooms.get(room_name)
        return len(room.readers) if room else 0

    # -- publishing ----------------------------------------------------------------
    async def publish(self, room_name: str, event_id: int | None, frame: str) -> None:
        self.stats.published += 1
        if self.distributed:
            await self.layer.group_send(
                room_name, {"type": "hub.frame", "room": room_name, "id": event_id, "frame": frame}
            )
        else:
            await self.deliver(room_name, event_id, frame)

    async def recheck(self, room_name: str) -> None:
        """Who may read the room has changed (a page unpublished or restricted): every reader
        of it, in every process, asks again. Not an event: nothing is stored or sent."""
        if self.distributed:
            await self.layer.group_send(room_name, {"type": "hub.recheck", "room": room_name})
        else:
            self.recheck_local(room_name)

    def recheck_local(self, room_name: str) -> None:
        room = self.rooms.get(room_name)
        if room is None or not room.readers:
            return
        # In a task of its own, so that frames keep flowing while the answers come.
        task = asyncio.get_running_loop().create_task(self._recheck_readers(tuple(room.readers)))
        self._rechecks.add(task)
        task.add_done_callback(self._rechecks.discard)

    async def _recheck_readers(self, readers: tuple[Reader, ...]) -> None:
        # All at once: readers who ask the same question (every anonymous reader of a page)
        # share one lookup (consumers.SharedLookup).
        results = await asyncio.gather(
            *(reader.recheck() for reader in readers), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
                logger.warning("live: could not recheck a reader", exc_info=result)

    async def deliver(self, room_name: str, event_id: int | None, frame: str | Frame) -> None:
        room = self.rooms.get(room_name)
        if room is None:
            return
        if not isinstance(frame, Frame):
            frame = Frame(frame)
        delivered = failed = 0
        for reader in tuple(room.readers):
            try:
                pending = reader.offer(event_id, frame)
                if pending is not None:
                    await pending
                delivered += 1
            except Exception:
                failed += 1
                logger.warning(
                    "live: could not deliver to a reader of %s", room_name, exc_info=True
                )
        self.stats.delivered += delivered
        self.stats.failed += failed

    # -- cross-process subscription ---------------------------------------------------
    async def _sync_subscription(self, room_name: str) -> None:
        """Bring the room's group membership in line with whether the room has readers.

        Joins and leaves interleave at every await: when the last reader leaves while a
        new one arrives (everyone reconnecting at once), a discard issued for the old room
        could land after the add for the new one and leave readers that never hear from
        the group again. Changes to one room therefore happen one at a time, and each
        looks at the state as it is when its turn comes.
        """
        lock, users = self._sub_locks.get(room_name) or (asyncio.Lock(), 0)
        self._sub_locks[room_name] = (lock, users + 1)
        try:
            async with lock:
                while (want := room_name in self.rooms) != (room_name in self._subscribed):
                    if want:
                        await self.layer.group_add(room_name, await self._hub_channel())
                        self._subscribed.add(room_name)
                    else:
                        self._subscribed.discard(room_name)
                        if self._channel is not None:
                            await self.layer.group_discard(room_name, self._channel)
        finally:
            lock, users = self._sub_locks[room_name]
            if users <= 1:
                del self._sub_locks[room_name]
            else:
                self._sub_locks[room_name] = (lock, users - 1)

    async def _hub_channel(self) -> str:
        async with self._lock:
            if self._channel is None:
                self._channel = await self.layer.new_channel(prefix="hub.")
                self._reader_task = asyncio.create_task(self._read_forever(self._channel))
        return self._channel

    async def _read_forever(self, channel: str) -> None:
        while True:
            try:
                message = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("live: hub receive failed; retrying")
                await asyncio.sleep(0.5)
                continue
            if message.get("type") == "hub.frame":
                await self.deliver(message["room"], message.get("id"), message["frame"])
            elif message.get("type") == "hub.recheck":
                self.recheck_local(message["room"])

    # -- presence ------------------------------------------------------------------
    def _ensure_ticker(self) -> None:
        if self._ticker_task is None or self._ticker_task.done():
            self._ticker_task = asyncio.create_task(self._presence_forever())

    async def _presence_forever(self) -> None:
        while True:
            await asyncio.sleep(PRESENCE_TICK_SECONDS)
            try:
                await self.presence_tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("live: presence update failed")

    async def presence_tick(self) -> None:
        """Report this process's readers and show every room its (global) count."""
        store = presence_store()
        now = time.monotonic()
        for room in tuple(self.rooms.values()):
            if not room.name.startswith("consultation."):
                continue
            if room.presence_dirty or now - room.presence_reported_at > PRESENCE_HEARTBEAT_SECONDS:
                await store.report(room.name, self.process_id, len(room.readers))
                room.presence_reported_at = now
                room.presence_dirty = False
            count = await store.count(room.name)
            if count != room.presence_shown:
                room.presence_shown = count
                await self.deliver(room.name, None, presence_frame(count))


def presence_frame(count: int) -> str:
    return f'{{"type":"presence","count":{count}}}'


hub = Hub()


def hub_reset() -> Hub:
    """A fresh hub (tests; a new event loop must not inherit the old loop's tasks)."""
    global hub
    for task in (hub._reader_task, hub._ticker_task, *hub._rechecks):
        if task is not None:
            task.cancel()
    hub.__init__()  # type: ignore[misc]
    return hub
