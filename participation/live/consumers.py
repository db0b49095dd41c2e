from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Awaitable, Callable, Hashable
from typing import Any
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer

from participation.live.access import stream_viewable
from participation.live.events import events_since
from participation.live.groups import consultation_group, user_group
from participation.live.hub import Frame, hub
from participation.live.server import fallback_tell

CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CAUGHT_UP_MEMORY_SECONDS = 30


class SharedLookup:
    """A database lookup shared by everyone who asks for the same key at about the same time.

    When hundreds of readers connect at once (a page that many people open, everyone
    reconnecting after a network blip), each would otherwise take its own turn in the
    database thread, with a connection of its own, for the same answer. Here a caller
    waits for the next run for its key, and a run starts only after the previous one has
    finished: every answer comes from a query that started after the caller asked, so it
    is never older than the question (the same guarantee as a query of its own).
    """

    def __init__(self, func: Callable[..., Any]) -> None:
        # Not thread-sensitive: these read-only lookups run in the loop's thread pool rather
        # than queueing in the one thread that every other sync call of the process shares
        # (Django views, channels' authentication), which is long during a reconnect storm.
        self.func = database_sync_to_async(func, thread_sensitive=False)
        self._waiting: dict[Hashable, asyncio.Future] = {}
        self._runs: dict[Hashable, asyncio.Task] = {}

    async def __call__(self, key: Hashable, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        future = self._waiting.get(key)
        if future is None or future.get_loop() is not loop:
            future = self._waiting[key] = loop.create_future()
        run = self._runs.get(key)
        if run is None or run.done() or run.get_loop() is not loop:
            self._runs[key] = loop.create_task(self._run(key, args))
        return await asyncio.shield(future)

    async def _run(self, key: Hashable, args: tuple) -> None:
        # Callers with the same key ask the same question: the first one's arguments do.
        try:
            while (future := self._waiting.pop(key, None)) is not None:
                try:
                    result = await self.func(*args)
                except asyncio.CancelledError:
                    future.cancel()
                    raise
                except Exception as error:
                    if not future.done():
                        future.set_exception(error)
                else:
                    if not future.done():
                        future.set_result(result)
        except BaseException:
            leftover = self._waiting.pop(key, None)  # nobody would run it: let them retry
            if leftover is not None:
                leftover.cancel()
            raise
        finally:
            if self._runs.get(key) is asyncio.current_task():
                del self._runs[key]


may_view = SharedLookup(stream_viewable)
catch_up = SharedLookup(events_since)


def _since(scope) -> int | None:
    values = parse_qs(scope.get("query_string", b"").decode()).get("since")
    if not values:
        return None
    try:
        return max(0, int(values[0]))
    except ValueError:
        return None


class DaphneWire:
    """Writes frames straight to daphne's WebSocket protocol (autobahn), when served by daphne.

    daphne turns every `websocket.send` into `text.encode()` plus autobahn framing for
    that one connection. A frame for a whole room is the same bytes for every reader:
    autobahn's prepared messages (`prepareMessage`, `sendPreparedMessage`) exist for
    exactly this broadcast case. The wire is found by unwrapping the ASGI `send` down to
    daphne's `partial(Server.handle_reply, protocol)`; anything else (other servers,
    test communicators) keeps the ASGI path.

    On plain TCP the bytes are also sent at once when nothing is queued on the socket:
    Twisted's own `write` only queues them and asks the event loop to watch the socket
    for writability, then stops watching after the send, which costs more than the send
    itself when a frame goes to thousands of sockets in one go. Anything `send` does not
    take (a slow reader, an error) goes to Twisted as before, which keeps the order and
    reports a lost connection the usual way.
    """

    __slots__ = ("connections", "direct", "protocol")

    def __init__(self, protocol: Any) -> None:
        self.protocol = protocol
        self.connections = protocol.server.connections
        transport = protocol.transport
        cls = type(transport)
        self.direct = (
            cls.__module__ == "twisted.internet.tcp"
            and cls.__name__ == "Server"
            and all(
                hasattr(transport, name)
                for name in (
                    "socket",
                    "TLS",
                    "connected",
                    "disconnecting",
                    "_writeDisconnected",
                    "producerPaused",
                    "_tempDataLen",
                    "dataBuffer",
                    "offset",
                )
            )
        )

    @classmethod
    def find(cls, send: Any) -> DaphneWire | None:
        for _depth in range(8):
            if isinstance(send, functools.partial):
                if getattr(send.func, "__name__", "") != "handle_reply" or len(send.args) != 1:
                    return None
                protocol = send.args[0]
                if not all(
                    hasattr(protocol, name)
                    for name in (
                        "sendPreparedMessage",
                        "factory",
                        "server",
                        "state",
                        "transport",
                        "send_queue",
                        "_perMessageCompress",
                    )
                ):
                    return None
                if not isinstance(getattr(protocol.server, "connections", None), dict):
                    return None
                return cls(protocol)
            # channels' SessionMiddleware wraps send in a bound method; its target is real_send
            send = getattr(getattr(send, "__self__", None), "real_send", None)
            if send is None:
                return None
        return None

    def write(self, frame: Frame) -> bool:
        """True if the frame was written (or the socket is gone, as daphne would ignore it);
        False if it has to take the ASGI path."""
        protocol = self.protocol
        details = self.connections.get(protocol)
        if details is None or details.get("disconnected"):
            return True  # daphne drops replies to closed connections the same way
        state = protocol.state
        if state != protocol.STATE_OPEN:
            # Closing or closed: nothing can be sent any more (autobahn would raise).
            return state in (protocol.STATE_CLOSING, protocol.STATE_CLOSED)
        prepared = frame.prepared(protocol.factory)
        if protocol.send_queue or protocol._perMessageCompress is not None:
            protocol.sendPreparedMessage(prepared)
            return True
        # sendPreparedMessage's own path, without formatting a debug log line per call
        data = prepared.payloadHybi
        transport = protocol.transport
        if (
            self.direct
            and not transport.TLS
            and transport.connected
            and not transport.disconnecting
            and not transport._writeDisconnected
            and not transport.producerPaused
            and not transport._tempDataLen
            and transport.offset == len(transport.dataBuffer)
        ):
            try:
                sent = transport.socket.send(data)
            except OSError:
                sent = 0  # EAGAIN, or a lost connection that Twisted will report
            if sent >= len(data):
                return True
            data = data[sent:]
        transport.write(data)
        return True


def resync_frame(since: int) -> str:
    """Reload: what was missed cannot be replayed (too much, or no longer kept). `since` is
    where the reloaded page stands, for the socket's next catch-up."""
    return f'{{"type":"resync","since":{since}}}'


class ConsultationLiveConsumer(AsyncWebsocketConsumer):
    """Push-only: everything that happens in a consultation, as it happens.

    No channel of its own (the hub subscribes once per process and room and writes
    to this connection directly). With `?since=<event id>` the reader first gets what
    it missed, then live events, without gaps or duplicates.

    Access is checked when the socket opens and again whenever the hub is told that who
    may read the consultation changed (it was unpublished, restricted, moved or deleted:
    access.py): a reader who may no longer see it is closed with 4403 (4404 if it is gone).
    """

    rooms: tuple[str, ...] = ()
    page_id: int | None = None
    _closing = False
    _wire: DaphneWire | None = None
    _buffer: list[tuple[int | None, str]] | None = None
    # Events the catch-up sent that may still be on their way live (committed before the
    # catch-up query, delivered after it): each is dropped once when it arrives.
    _caught_up: set[int] | None = None

    async def connect(self) -> None:
        page_id = int(self.scope["url_route"]["kwargs"]["page_id"])
        user = self.scope["user"]
        viewer = user.pk if user.is_authenticated else None
        self.page_id = page_id
        rooms = [consultation_group(page_id)]
        if user.is_authenticated:
            rooms.append(user_group(user.pk))
        self.rooms = tuple(rooms)
        # Joined first, asked second (as for the catch-up): a change of access that commits
        # while the question is asked reaches this reader as a recheck. Until the answer,
        # whatever arrives waits in the buffer and nothing is sent.
        self._buffer = []
        for room in self.rooms:
            await hub.join(room, self)
        allowed = await may_view((page_id, viewer), user, page_id)
        if self._closing:
            return  # a recheck refused it meanwhile
        if not allowed:
            self._closing = True
            await self._leave_rooms()
            await self.close(code=CLOSE_NOT_FOUND if allowed is None else CLOSE_FORBIDDEN)
            return
        await self.accept()
        self._wire = DaphneWire.find(self.base_send)
        if self._wire is None:
            if "daphne.server" in sys.modules:  # served by daphne, yet its wire was not found
                fallback_tell("the direct daphne wire", "daphne's protocol has changed")
        elif not self._wire.direct:
            fallback_tell(
                "direct socket writes", f"the transport is {type(self._wire.protocol.transport)}"
            )
        since = _since(self.scope)
        if since is not None:
            await self._catch_up(since)
        else:
            buffered, self._buffer = self._buffer or [], None
            for _event_id, frame in buffered:
                await self._send_text(frame)

    async def _catch_up(self, since: int) -> None:
        # Joined first, asked second: whatever commits after the query started comes live
        # (and waits in the buffer meanwhile).
        missed = await catch_up((self.rooms, since), self.rooms, since)
        buffered, self._buffer = self._buffer or [], None
        if missed.resync is not None:
            # The reader reloads; what came live meanwhile and is newer than where the
            # reloaded page stands still counts.
            await self._send_text(resync_frame(missed.resync))
            for event_id, frame in buffered:
                if event_id is None or event_id > missed.resync:
                    await self._send_text(frame)
            return
        sent = set()
        for event_id, frame in missed.frames:
            sent.add(event_id)
            await self._send_text(frame)
        for event_id, frame in buffered:
            if event_id is None or event_id not in sent:
                await self._send_text(frame)
            else:
                sent.discard(event_id)
        if sent:
            self._caught_up = sent
            asyncio.get_running_loop().call_later(CAUGHT_UP_MEMORY_SECONDS, self._forget_caught_up)

    async def __call__(self, scope, receive, send) -> None:
        # As AsyncConsumer's, for a consumer that never has a channel of its own: no
        # channel-layer lookup (an unconfigured alias costs an exception per connection)
        # and one plain receive loop instead of a task per message.
        self.scope = scope
        self.channel_layer = None
        self.base_send = send
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass

    async def dispatch(self, message) -> None:
        # Channels closes stale database connections before every message, in the database
        # thread. This consumer reaches the database only through database_sync_to_async,
        # which does that itself, so the extra turns in that one thread (two per connect,
        # two per disconnect) are dropped: they are what a reconnect storm queues behind.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_disconnect(self, message) -> None:
        # As AsyncWebsocketConsumer's, without groups (no channel) and the extra thread turn.
        await self.disconnect(message["code"])
        raise StopConsumer()

    async def disconnect(self, code: int) -> None:
        await self._leave_rooms()

    async def _leave_rooms(self) -> None:
        rooms, self.rooms = self.rooms, ()
        for room in rooms:
            await hub.leave(room, self)

    async def recheck(self) -> None:
        if self.page_id is None or self._closing:
            return
        user = self.scope["user"]
        viewer = user.pk if user.is_authenticated else None
        allowed = await may_view((self.page_id, viewer), user, self.page_id)
        if allowed or self._closing:
            return
        self._closing = True  # nothing more is written to this socket
        await self._leave_rooms()
        await self.close(code=CLOSE_NOT_FOUND if allowed is None else CLOSE_FORBIDDEN)

    async def receive(self, text_data=None, bytes_data=None) -> None:
        # Writes never travel over the socket; anything a client sends is ignored.
        return None

    def offer(self, event_id: int | None, frame: Frame) -> Awaitable[None] | None:
        """The hub's fan-out: write at once when possible, else hand back the ASGI send."""
        if self._closing:
            return None
        if self._buffer is not None:
            self._buffer.append((event_id, frame.text))
            return None
        if self._caught_up and event_id in self._caught_up:
            self._caught_up.discard(event_id)
            return None
        wire = self._wire
        if wire is not None and wire.write(frame):
            return None
        return self.base_send({"type": "websocket.send", "text": frame.text})

    async def push(self, event_id: int | None, frame: str) -> None:
        pending = self.offer(event_id, Frame(frame))
        if pending is not None:
            await pending

    def _forget_caught_up(self) -> None:
        self._caught_up = None

    async def _send_text(self, text: str) -> None:
        wire = self._wire
        if wire is not None and wire.write(Frame(text)):
            return
        await self.base_send({"type": "websocket.send", "text": text})
