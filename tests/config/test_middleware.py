"""Under ASGI the middleware chain runs in one thread per request (config/middleware.py):
Django's middleware hooks no longer take a thread trip each, and the answers stay the
same."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import SyncToAsync, async_to_sync
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.test import override_settings

pytestmark = pytest.mark.django_db


def asgi_get(path: str, monkeypatch) -> tuple[int, dict[bytes, bytes], list[str]]:
    """GET `path` through Django's ASGI handler; (status, headers, what went to a thread)."""
    trips: list[str] = []
    call = SyncToAsync.__call__

    async def spy(self, *args, **kwargs):
        trips.append(getattr(self.func, "__qualname__", repr(self.func)))
        return await call(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", spy)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 40000),
        "server": ("localhost", 80),
    }
    sent: list[dict] = []
    received = []

    async def receive():
        if not received:
            received.append(True)
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays until the answer is sent

    async def send(message):
        sent.append(message)

    # async_to_sync from this test's thread: thread-sensitive work runs here, with the
    # test's database connection (anything the event loop did there itself would fail).
    async_to_sync(ASGIHandler())(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    monkeypatch.undo()
    return start["status"], dict(start["headers"]), trips


def hooks(trips: list[str]) -> list[str]:
    return [t for t in trips if t.endswith((".process_request", ".process_response"))]


@pytest.mark.parametrize("path", ["/", "/gibt-es-nicht/", "/en/"])
def test_the_chain_runs_in_one_thread_and_answers_as_django_alone(path, monkeypatch):
    status, headers, trips = asgi_get(path, monkeypatch)
    assert settings.MIDDLEWARE[-1] == "config.middleware.SyncBoundary"
    assert hooks(trips) == [], trips
    # what is left: the signals, the chain, CSRF's view check, the view and its template

    without = [m for m in settings.MIDDLEWARE if m != "config.middleware.SyncBoundary"]
    with override_settings(MIDDLEWARE=without):
        django_status, django_headers, django_trips = asgi_get(path, monkeypatch)
    assert len(hooks(django_trips)) >= 14  # each hook of Django's middleware, one by one
    assert len(trips) <= len(django_trips) - 14, (trips, django_trips)
    assert status == django_status
    ignored = {b"Set-Cookie", b"Content-Length"}  # a new CSRF token each time
    assert {k: v for k, v in headers.items() if k not in ignored} == {
        k: v for k, v in django_headers.items() if k not in ignored
    }
