"""Connection set-up for live sockets that stays cheap when thousands arrive at once.

Everyone reading a consultation reconnects at the same moment after a network blip or a
server restart. Each reconnect then runs daphne's and autobahn's handshake and
Channels' middleware; two parts of that did work nobody used:

- autobahn formats its whole configuration with `pprint.pformat` for a debug log line
  on every new connection, whether debug logging is on or not (a sixth of the server's
  time in a 5,000-reader reconnect storm). The text is now made only when that line is
  actually written.
- Channels' `AuthMiddleware` looks up the user in the one thread that every
  thread-sensitive call of the process shares, even for a reader without a session
  cookie, who can only be anonymous. Those readers get `AnonymousUser` at once; a real
  session is looked up in the thread pool, beside the other read-only lookups.

And a set-up of thousands of connections allocates many short-lived objects, so the
garbage collector's youngest generation fills every few connections and each older
collection walks everything the process ever imported: the loaded application is frozen
out of collection once it is set up, and the youngest generation is collected less often
(together about an eighth of a reconnect storm's time).
"""

from __future__ import annotations

import gc
import logging
import pprint
from typing import Any

from channels.auth import AuthMiddleware, get_user
from channels.db import database_sync_to_async
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.contrib.auth.models import AnonymousUser

logger = logging.getLogger(__name__)
_paths_told: set[str] = set()


def fallback_tell(path: str, reason: str) -> None:
    """Log once per process that a fast path gave way to the ordinary one, and why (the
    versions they were written for are pinned in pyproject.toml; docs/architecture.md)."""
    if path in _paths_told:
        return
    _paths_told.add(path)
    logger.warning("live: %s is off, the ordinary path is taken: %s", path, reason)


class LazyPrettyFormat:
    """`pprint.pformat(value)`, made when (and only when) it is formatted into text."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __str__(self) -> str:
        return pprint.pformat(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def defer_autobahn_debug_formatting() -> bool:
    """Make autobahn's per-connection debug formatting lazy; False if autobahn is absent
    or no longer formats that way."""
    try:
        from autobahn.websocket import protocol
    except ImportError:
        fallback_tell("deferred autobahn debug formatting", "autobahn is not installed")
        return False
    if getattr(protocol, "pformat", None) is not pprint.pformat:
        if getattr(protocol, "pformat", None) is LazyPrettyFormat:
            return True
        fallback_tell(
            "deferred autobahn debug formatting",
            "autobahn.websocket.protocol no longer formats with pprint.pformat",
        )
        return False
    protocol.pformat = LazyPrettyFormat  # type: ignore[assignment]
    return True


# Objects allocated (minus freed) before the youngest generation is collected; the
# interpreter's default is 700. Older generations keep their default ratios.
GC_YOUNG_THRESHOLD = 50_000


def tune_garbage_collection() -> None:
    """Call once the application is loaded (end of config/asgi.py)."""
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


_user_from_session = database_sync_to_async(get_user.func, thread_sensitive=False)


class LiveAuthMiddleware(AuthMiddleware):
    async def resolve_scope(self, scope):
        if scope["session"].session_key is None:  # no session cookie: nobody to look up
            scope["user"]._wrapped = AnonymousUser()
        else:
            scope["user"]._wrapped = await _user_from_session(scope)


def LiveAuthMiddlewareStack(inner):  # named like Channels' AuthMiddlewareStack
    return CookieMiddleware(SessionMiddleware(LiveAuthMiddleware(inner)))
