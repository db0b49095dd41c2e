"""`resync` from the live socket: the page is loaded again, not patched from a partial history.

The server sends it when a reader missed more than it replays or asks for events older than
it keeps (stored events are pruned, and never replay removed content). The socket is
routed to a stand-in here, and the test sends `resync` through it."""

import json
import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, WebSocketRoute

from tests.e2e.pages import OPEN_CONSULTATION
from tests.e2e.test_discussion import log_in

pytestmark = pytest.mark.e2e

LIVE_SOCKET = re.compile(r"/ws/consultations/\d+/")
RESYNC = json.dumps({"type": "resync", "since": 987654})


def stand_in(page: Page) -> tuple[list[str], list[WebSocketRoute]]:
    """Every socket the page opens, and the address it asked for."""
    attempts: list[str] = []
    sockets: list[WebSocketRoute] = []

    def handler(socket: WebSocketRoute) -> None:
        attempts.append(socket.url)
        sockets.append(socket)

    page.route_web_socket(LIVE_SOCKET, handler)
    return attempts, sockets


def wait_for(page: Page, condition: Callable[[], bool], seconds: float = 5.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return
        page.wait_for_timeout(100)
    pytest.fail("timed out")


def test_resync_reloads_the_page(page: Page) -> None:
    attempts, sockets = stand_in(page)
    page.goto(OPEN_CONSULTATION)
    wait_for(page, lambda: len(attempts) == 1)
    page.evaluate("window.loadedBefore = true")

    with page.expect_navigation():
        sockets[0].send(RESYNC)

    assert page.evaluate("window.loadedBefore") is None
    # The reloaded page asks from where it was rendered, not from the old id.
    wait_for(page, lambda: len(attempts) == 2)
    assert "since=987654" not in attempts[1]


def test_resync_while_writing_keeps_the_draft(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context().new_page()
    log_in(page, "buergerin@example.org")
    attempts, sockets = stand_in(page)
    page.goto(OPEN_CONSULTATION)
    wait_for(page, lambda: len(attempts) == 1)
    page.get_by_label("Ihr Beitrag").fill("Ein Entwurf, der bleiben soll")
    page.evaluate("window.loadedBefore = true")

    sockets[0].send(RESYNC)
    page.wait_for_timeout(500)

    assert page.evaluate("window.loadedBefore") is True  # not reloaded
    assert page.get_by_label("Ihr Beitrag").input_value() == "Ein Entwurf, der bleiben soll"
    # The next reconnect asks from where the server stood, not from the old id again.
    sockets[0].close(code=1011)
    wait_for(page, lambda: len(attempts) == 2)
    assert "since=987654" in attempts[1]
