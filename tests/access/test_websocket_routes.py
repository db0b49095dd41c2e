"""Every WebSocket route of the project, opened anonymously and as a role that must be
refused, through the real ASGI application (origin check, session cookie, routing), as the
route table (tests/access/routes.py, WEBSOCKET_ROUTES) says.

Transactional: the consumers read the database through connections of their own, which see
only what is committed. One world per route; every check of the route runs on it and all
that fail are named together.
"""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings

from config.asgi import application
from participation.live.hub import hub_reset
from participation.live.presence import presence_store_reset
from tests.access.routes import ACCEPTED, WEBSOCKET_ROUTES, SocketCheck
from tests.access.world import World, build_world, session_of

pytestmark = pytest.mark.django_db(transaction=True)

# The origin validator was built from ALLOWED_HOSTS when config.asgi was imported.
ORIGIN = f"http://{settings.ALLOWED_HOSTS[0]}".encode()
TIMEOUT = 5


@pytest.fixture(autouse=True)
def _fresh_hub():
    hub_reset()
    presence_store_reset()
    yield
    hub_reset()
    presence_store_reset()


async def answer(path: str, session: str) -> str | int:
    headers = [(b"origin", ORIGIN), (b"host", b"localhost")]
    if session:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode()))
    communicator = WebsocketCommunicator(application, path, headers)
    connected, code = await communicator.connect(timeout=TIMEOUT)
    if connected:
        await communicator.disconnect()
        return ACCEPTED
    return code


def run_checks(world: World, checks: list[SocketCheck]) -> list[str]:
    sessions = {
        check.who: session_of(world, check.who) for check in checks if check.who != "anonymous"
    }
    failures = []

    async def scenario():
        try:
            for check in checks:
                path = check.path(world)
                got = await answer(path, sessions.get(check.who, ""))
                if got != check.answer:
                    failures.append(f"{path} as {check.who}: {got}, expected {check.answer}")
        finally:
            hub_reset()  # its background tasks belong to this loop
            presence_store_reset()
            await asyncio.sleep(0)

    async_to_sync(scenario)()
    return failures


@pytest.mark.parametrize("route", sorted(WEBSOCKET_ROUTES))
def test_websocket_route_answers_as_the_table_says(route):
    entry = WEBSOCKET_ROUTES[route]
    world = build_world()
    failures = run_checks(world, [entry.anonymous, *entry.refused, *entry.control])
    assert not failures, f"{route}: " + "; ".join(failures)
