"""Write endpoints that run beside each other instead of one after another.

Under ASGI Django runs every synchronous view in one thread per process, so a view that
makes a dozen short database round trips holds up every other request while it waits
for PostgreSQL. `offloaded` runs such a view in a worker thread with its own database
connection (taken from and returned to the pool, as Channels' consumers do), so several
votes wait on the database at once and the process keeps serving. The decorated view is
asynchronous: Django awaits it in the event loop, inside the middleware chain's thread
boundary (config/middleware.py), and it hands the work to its own thread.

In tests the view's database work must see the test's transaction, which belongs to the
test's thread: `OFFLOAD_VIEWS = False` there runs the same view in that thread instead.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def executor() -> ThreadPoolExecutor:
    """The worker threads of offloaded views, OFFLOAD_THREADS of them per process (each
    holds a pooled connection while it works; see docs/deployment.md)."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=int(getattr(settings, "OFFLOAD_THREADS", 8)),
                thread_name_prefix="allmende-offload",
            )
        return _executor


def offloaded(view: Callable[..., HttpResponse]):
    """Decorate a synchronous view so that it runs in a worker thread of its own."""
    in_worker = database_sync_to_async(view, thread_sensitive=False, executor=executor())
    in_request_thread = sync_to_async(view, thread_sensitive=True)

    @functools.wraps(view)
    async def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if getattr(settings, "OFFLOAD_VIEWS", True):
            return await in_worker(request, *args, **kwargs)
        return await in_request_thread(request, *args, **kwargs)

    return wrapper
