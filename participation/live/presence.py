"""How many people are reading a consultation right now, across every server process.

With Redis each connection is a member of a sorted set scored by its last heartbeat,
so a crashed process's readers age out; without Redis one process holds the count.
"""

from __future__ import annotations

import time
from typing import Protocol

from django.conf import settings

HEARTBEAT_SECONDS = 30
EXPIRY_SECONDS = 3 * HEARTBEAT_SECONDS


class PresenceStore(Protocol):
    async def join(self, room: str, member: str) -> int: ...
    async def heartbeat(self, room: str, member: str) -> None: ...
    async def leave(self, room: str, member: str) -> int: ...
    async def count(self, room: str) -> int: ...


class InProcessPresence:
    def __init__(self) -> None:
        self._rooms: dict[str, set[str]] = {}

    async def join(self, room: str, member: str) -> int:
        self._rooms.setdefault(room, set()).add(member)
        return len(self._rooms[room])

    async def heartbeat(self, room: str, member: str) -> None:
        return None

    async def leave(self, room: str, member: str) -> int:
        members = self._rooms.get(room, set())
        members.discard(member)
        if not members:
            self._rooms.pop(room, None)
        return len(members)

    async def count(self, room: str) -> int:
        return len(self._rooms.get(room, ()))


class RedisPresence:
    def __init__(self, url: str, prefix: str) -> None:
        import redis.asyncio as redis

        self._redis = redis.from_url(url)
        self._prefix = prefix

    def _key(self, room: str) -> str:
        return f"{self._prefix}:presence:{room}"

    async def join(self, room: str, member: str) -> int:
        await self.heartbeat(room, member)
        return await self.count(room)

    async def heartbeat(self, room: str, member: str) -> None:
        key = self._key(room)
        pipe = self._redis.pipeline()
        pipe.zadd(key, {member: time.time()})
        pipe.expire(key, EXPIRY_SECONDS * 2)
        await pipe.execute()

    async def leave(self, room: str, member: str) -> int:
        await self._redis.zrem(self._key(room), member)
        return await self.count(room)

    async def count(self, room: str) -> int:
        key = self._key(room)
        pipe = self._redis.pipeline()
        pipe.zremrangebyscore(key, 0, time.time() - EXPIRY_SECONDS)
        pipe.zcard(key)
        _removed, count = await pipe.execute()
        return int(count)


_store: PresenceStore | None = None


def presence_store() -> PresenceStore:
    global _store
    if _store is None:
        redis_url = getattr(settings, "REDIS_URL", "")
        if redis_url:
            _store = RedisPresence(redis_url, getattr(settings, "REDIS_PREFIX", "allmende"))
        else:
            _store = InProcessPresence()
    return _store


def presence_store_reset() -> None:
    global _store
    _store = None
