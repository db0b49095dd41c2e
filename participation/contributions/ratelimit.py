"""Fixed-window rate limits per user and per IP, shared by every process through the cache.

On Redis (production) one `hit` is one round trip: the counters of all its windows are
incremented in a pipeline and, if one is over its limit, taken back in a second one
(only then). Elsewhere (locmem in development and tests) the counters are read first and
incremented after, through Django's cache API.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from cooperative import network


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


@dataclass(frozen=True)
class Exceeded:
    retry_after: int


def client_ip(request) -> str:
    """The client as per-address limits count it: its address as cooperative.network
    derives it from the trusted proxies (never from a header the client controls), and an
    IPv6 client by its /64."""
    return network.address_group(network.client_ip(request))


def hit(scope: str, key: str, limits: tuple[Limit, ...]) -> Exceeded | None:
    """Count one action, or say how long to wait if a limit is reached (then nothing counts)."""
    now = int(time.time())
    windows = []
    for limit in limits:
        window = now // limit.seconds
        cache_key = f"rl:{scope}:{limit.count}/{limit.seconds}:{key}:{window}"
        windows.append((cache_key, limit, (window + 1) * limit.seconds - now))
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _hit_redis(backend, windows)
    for cache_key, limit, retry_after in windows:
        if cache.get(cache_key, 0) >= limit.count:
            return Exceeded(retry_after=retry_after)
    for cache_key, limit, _retry_after in windows:
        try:
            cache.incr(cache_key)
        except ValueError:
            cache.add(cache_key, 1, timeout=limit.seconds + 1)
    return None


def _hit_redis(backend: RedisCache, windows: list[tuple[str, Limit, int]]) -> Exceeded | None:
    keys = [backend.make_and_validate_key(cache_key) for cache_key, _limit, _retry in windows]
    # The backend's own connection pool (Django keeps it on `_cache`; the stubs lack it).
    client = backend._cache.get_client(keys[0], write=True)  # type: ignore[attr-defined]
    pipe = client.pipeline(transaction=False)
    for redis_key, (_cache_key, limit, _retry) in zip(keys, windows, strict=True):
        # The window's counter, created with its expiry if it is new (works on any Redis).
        pipe.set(redis_key, 0, ex=limit.seconds + 1, nx=True)
        pipe.incr(redis_key)
    counts = pipe.execute()[1::2]
    over = [
        retry
        for count, (_cache_key, limit, retry) in zip(counts, windows, strict=True)
        if count > limit.count
    ]
    if not over:
        return None
    # Refused: nothing counts (the same as the read-first path).
    undo = client.pipeline(transaction=False)
    for redis_key in keys:
        undo.decr(redis_key)
    undo.execute()
    return Exceeded(retry_after=max(over))
