"""How many people are reading a consultation right now, across every server process.

Each process reports how many readers it holds per room (the hub does, about once a
second while something changes and every 20 s otherwise). With Redis the reports of
all processes are summed, and a process that stopped reporting ages out after a
minute; without Redis the one process's own count is the answer.
"""

from __future__ import annotations

import time
from typing import Protocol

from django.conf import settings

EXPIRY_SECONDS = 60


class PresenceStore(Protocol):
    async def report(self, room: str, process: str, readers: int) -> None: ...
    async def count(self, room: str) -> int: ...


class InProcessPresence:
    def __init__(self) -> None:
        self._counts: dict[str, dict[str, int]] = {}

    async def report(self, room: str, process: str, readers: int) -> None:
        counts = self._counts.setdefault(room, {})
        if readers:
            counts[process] = readers
        else:
            counts.pop(process, None)
            if not counts:
                self._counts.pop(room, None)

    async def count(self, room: str) -> int:
        return sum(self._counts.get(room, {}).values())


class RedisPresence:
    def __init__(self, url: str, prefix: str) -> None:
        import redis.asyncio as redis

        self._redis = redis.from_url(url)
        self._prefix = prefix

    def _key(self, room: str) -> str:
        return f"{self._prefix}:presence:{room}"

    async def report(self, room: str, process: str, readers: int) -> None:
        key = self._key(room)
        pipe = self._redis.pipeline()
        if readers:
            pipe.hset(key, process, f"{readers}:{time.time():.0f}")
        else:
            pipe.hdel(key, process)
        pipe.expire(key, EXPIRY_SECONDS * 2)
        await pipe.execute()

    async def count(self, room: str) -> int:
        entries = await self._redis.hgetall(self._key(room))
        oldest = time.time() - EXPIRY_SECONDS
        total = 0
        for value in entries.values():
            text = value.decode() if isinstance(value, bytes) else value
            readers, _sep, seen = text.partition(":")
            if float(seen or 0) >= oldest:
                total += int(readers)
        return total


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
