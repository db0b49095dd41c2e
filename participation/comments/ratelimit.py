"""Fixed-window rate limits per user and per IP, shared by every process through the cache."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


@dataclass(frozen=True)
class Exceeded:
    retry_after: int


def client_ip(request) -> str:
    # Behind the reverse proxy daphne runs with --proxy-headers, so REMOTE_ADDR is the client.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, key: str, limits: tuple[Limit, ...]) -> Exceeded | None:
    """Count one action, or say how long to wait if a limit is reached (then nothing counts)."""
    now = int(time.time())
    keys = []
    for limit in limits:
        window = now // limit.seconds
        cache_key = f"rl:{scope}:{limit.count}/{limit.seconds}:{key}:{window}"
        keys.append((cache_key, limit, window))
        current = cache.get(cache_key, 0)
        if current >= limit.count:
            return Exceeded(retry_after=(window + 1) * limit.seconds - now)
    for cache_key, limit, _window in keys:
        try:
            cache.incr(cache_key)
        except ValueError:
            cache.add(cache_key, 1, timeout=limit.seconds + 1)
    return None
