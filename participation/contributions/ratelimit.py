"""How many contributions, reactions, proposals, supports, votes and notices one person and
one client address may send in a time, for every way in (web form, htmx, API) alike.

The limits are configured per action in `settings.RATE_LIMITS`, in the notation of the
`limits` library ("5/minute;60/hour"), and counted with that library's storage: on Redis
(production, where the default cache is) one atomic increment per window, shared by every
process; otherwise in this process's memory, as the development cache is.

Windows are fixed and aligned to the clock (the current minute, the current hour), so the
wait a refusal names is the rest of the window that refused. A refused action counts in
none of its windows: a person who keeps trying is let in when the window ends.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage, storage_from_string

from cooperative import network


@dataclass(frozen=True)
class Exceeded:
    retry_after: int  # seconds until the window that refused ends


@dataclass(frozen=True)
class ActionLimits:
    person: tuple[RateLimitItem, ...]
    address: tuple[RateLimitItem, ...]


def client_ip(request) -> str:
    """The client as per-address limits count it: its address as cooperative.network
    derives it from the trusted proxies (never from a header the client controls), and an
    IPv6 client by its /64."""
    return network.address_group(network.client_ip(request))


def limits_parse(text: str) -> tuple[RateLimitItem, ...]:
    """ "5/minute;60/hour" → its limits; empty for no limit."""
    return _parsed(text.strip())


@lru_cache(maxsize=128)
def _parsed(text: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(text)) if text else ()


def action_limits(action: str) -> ActionLimits:
    """The limits of `action` ("comment", "vote", ...) from settings.RATE_LIMITS."""
    configured = settings.RATE_LIMITS[action]
    return ActionLimits(
        person=limits_parse(configured.get("person", "")),
        address=limits_parse(configured.get("address", "")),
    )


def hit(scope: str, key: str, limits: Sequence[RateLimitItem]) -> Exceeded | None:
    """Count one action of `key` (``user:12``, ``ip:203.0.113.7``) under `scope`, or say how
    long to wait if one of the limits is reached (then nothing counts)."""
    return _count(scope, [(key, limits)])


def action_hit(action: str, request) -> Exceeded | None:
    """Count one `action` of the person signed in with `request` and of its client address
    (a refusal by either counts in neither). The keys name the action, not the way in: a
    web form, htmx and the API share one budget."""
    limits = action_limits(action)
    counted: list[tuple[str, Sequence[RateLimitItem]]] = []
    user = request.user
    if user.is_authenticated:
        counted.append((f"user:{user.pk}", limits.person))
    counted.append((f"ip:{client_ip(request)}", limits.address))
    return _count(action, counted)


def _count(scope: str, keys: Sequence[tuple[str, Sequence[RateLimitItem]]]) -> Exceeded | None:
    now = int(time.time())
    store = counters()
    counted: list[tuple[str, int]] = []
    waits: list[int] = []
    for key, limits in keys:
        for limit in limits:
            seconds = limit.get_expiry()
            window = now // seconds
            counter = limit.key_for(scope, key, str(window))
            expiry = seconds + 1  # kept a little beyond its window
            if store.incr(counter, expiry) > limit.amount:
                waits.append((window + 1) * seconds - now)
            counted.append((counter, expiry))
    if not waits:
        return None
    for counter, expiry in counted:
        store.incr(counter, expiry, amount=-1)  # refused: taken back
    return Exceeded(retry_after=max(waits))


def counters() -> Storage:
    """Where the counters are: the default cache's Redis, or this process's memory."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        location = settings.CACHES["default"]["LOCATION"]
        server = location if isinstance(location, str) else location[0]
        # Writes go to the first server, as Django's cache writes them.
        return _storage(server.split(",")[0].split(";")[0], f"{backend.key_prefix}:rl")
    return _storage("memory://", "")


@lru_cache(maxsize=8)
def _storage(uri: str, key_prefix: str) -> Storage:
    if uri == "memory://":
        return MemoryStorage()
    storage = storage_from_string(uri, key_prefix=key_prefix)
    if not isinstance(storage, Storage):  # an asyncio storage ("async+redis://")
        raise TypeError(f"Rate limits need a synchronous storage, not {uri!r}")
    return storage


def counters_reset() -> None:
    """Forget every count (tests, and an operator lifting every limit at once)."""
    counters().reset()
