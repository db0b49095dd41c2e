"""The middleware chain runs in one thread per request, not one thread trip per hook.

Under ASGI, Django runs a middleware in asynchronous mode whenever it can. Django's own
middleware (and Wagtail's redirects) are `MiddlewareMixin` classes: asynchronous mode
means each of their hooks (`process_request`, `process_response`) is sent through
`sync_to_async` to the request's thread and back, even a hook that only sets a header.
For config/settings.py that was 16 trips between the event loop and a thread on every
request, about a fifth of a vote's server CPU (bench/vote_throughput.py,
docs/architecture.md "Performance shortcuts").

`SyncBoundary`, last in MIDDLEWARE, is synchronous only. Django then runs every
middleware outside it (all of them) in synchronous mode, as under WSGI, in one thread:
one trip there and back for the whole chain. Inside the boundary, Django's handler goes
on asynchronously as before (`async_to_sync`): an asynchronous view (the vote,
participation/offload.py) is awaited in the event loop, a synchronous one runs in the
request's thread again. The middleware classes stay Django's, at their usual paths, so
`check --deploy` and the admin's checks still find them.

tests/config/test_middleware.py keeps the chain in one thread.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class SyncBoundary:
    """Passes the request on; synchronous only, so the chain outside it runs in one thread."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
