"""Live poll results, coalesced: a few updates per second per poll, never one per vote.

After a vote commits, `results_changed(poll_id)` asks for an update. The first request in
a window publishes at once; requests during the window set one trailing update at its
end, which counts everything committed by then. Results are a recount (results.py), so
an update can never be older than the votes that asked for it. With Redis the window is
shared by every process (a key set with NX and an expiry), so the cap holds for the
platform, not per process.

Only polls whose results are public at any time (`live`) are broadcast; a poll that
shows results after voting or after closing sends nothing while it runs, and announces
its final result when it closes.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)


def updates_per_second() -> float:
    return float(getattr(settings, "POLL_LIVE_UPDATES_PER_SECOND", 4))


class SharedWindow:
    """A window per poll shared by all processes through Redis (or none without it)."""

    def __init__(self) -> None:
        self._client: Any = None

    def _redis(self):
        url = getattr(settings, "REDIS_URL", "")
        if not url:
            return None
        if self._client is None:
            import redis

            self._client = redis.from_url(url)
        return self._client

    def claim(self, poll_id: int, seconds: float) -> float:
        """0 if this process may publish now, else the seconds until the window ends."""
        client = self._redis()
        if client is None:
            return 0.0
        key = f"{getattr(settings, 'REDIS_PREFIX', 'allmende')}:poll-results:{poll_id}"
        try:
            if client.set(key, b"1", nx=True, px=max(1, int(seconds * 1000))):
                return 0.0
            remaining = client.pttl(key)
        except Exception:
            logger.warning("polls: Redis window unavailable; publishing per process", exc_info=True)
            return 0.0
        return max(0.001, remaining / 1000) if remaining and remaining > 0 else 0.001


class Cancellable(Protocol):
    def cancel(self) -> None: ...


def run_later(seconds: float, action: Callable[[], None]) -> Cancellable:
    """Run `action` in a thread of its own after `seconds` (a daemon: never keeps the
    process from ending); the thread closes the database connections it opened."""

    def run() -> None:
        try:
            action()
        finally:
            close_old_connections()

    timer = threading.Timer(seconds, run)
    timer.daemon = True
    timer.start()
    return timer


class ResultsCoalescer:
    """Time comes from `clock` and trailing updates are set with `schedule` (`run_later`:
    a timer thread), so that tests can run the windows on a clock of their own."""

    def __init__(
        self,
        publish: Callable[[int, bool], None],
        *,
        rate: Callable[[], float] = updates_per_second,
        window: SharedWindow | None = None,
        clock: Callable[[], float] = time.monotonic,
        schedule: Callable[[float, Callable[[], None]], Cancellable] = run_later,
    ) -> None:
        self.publish = publish
        self.rate = rate
        self.window = window or SharedWindow()
        self.clock = clock
        self.schedule = schedule
        self._lock = threading.Lock()
        self._next_at: dict[int, float] = {}
        self._trailing: dict[int, Cancellable] = {}
        self.sent = 0
        self.requested = 0

    def changed(self, poll_id: int, *, final: bool = False) -> None:
        rate = self.rate()
        self.requested += 1
        if rate <= 0 or final:
            self._send(poll_id, final)
            return
        interval = 1.0 / rate
        with self._lock:
            if poll_id in self._trailing:
                return  # an update is due at the end of the window; it will include this
            now = self.clock()
            wait = self._next_at.get(poll_id, 0.0) - now
            if wait <= 0:
                wait = self.window.claim(poll_id, interval)
            if wait <= 0:
                self._next_at[poll_id] = now + interval
            else:
                self._trailing[poll_id] = self.schedule(
                    wait, functools.partial(self._trailing_update, poll_id)
                )
                return
        self._send(poll_id, False)

    def _trailing_update(self, poll_id: int) -> None:
        with self._lock:
            self._trailing.pop(poll_id, None)
        self.changed(poll_id)

    def _send(self, poll_id: int, final: bool) -> None:
        try:
            self.publish(poll_id, final)
            self.sent += 1
        except Exception:
            logger.exception("polls: could not publish the results of poll %s", poll_id)

    def cancel_all(self) -> None:
        with self._lock:
            for timer in self._trailing.values():
                timer.cancel()
            self._trailing.clear()
            self._next_at.clear()


def publish_results(poll_id: int, final: bool = False) -> None:
    from participation.live.events import event_publish
    from participation.live.groups import consultation_group
    from participation.polls.models import Poll
    from participation.polls.render import render_results
    from participation.polls.results import poll_result
    from participation.polls.selectors import poll_for_results_by_id

    poll = poll_for_results_by_id(poll_id)
    if poll is None:
        return
    closed = poll.is_closed()
    if poll.results_visibility != Poll.Visibility.LIVE and not closed:
        return
    result = poll_result(poll)
    event_publish(
        room=consultation_group(poll.page_id),
        type="poll.results",
        data={
            "poll": poll.pk,
            "closed": closed,
            "participants": result.participants,
            "counts": {str(o.choice_id): o.votes for o in result.options},
            "html": render_results(poll, result),
        },
    )


coalescer = ResultsCoalescer(publish_results)


def results_changed(poll_id: int, *, final: bool = False) -> None:
    coalescer.changed(poll_id, final=final)
