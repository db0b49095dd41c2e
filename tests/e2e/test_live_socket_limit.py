"""The page does not hammer a server that refuses more sockets from its address (4429).

The server accepts such a socket and closes it at once (so that the code reaches the
page); the page's ordinary backoff would count that as a success and try again within
half a second, for ever. The socket is routed to a stand-in here and the page's clock is
driven by the test, so the waits are exact."""

import re
import time

import pytest
from playwright.sync_api import Page, WebSocketRoute

from tests.e2e.pages import OPEN_CONSULTATION

pytestmark = pytest.mark.e2e

LIVE_SOCKET = re.compile(r"/ws/consultations/\d+/")


def refusing(code: int):
    attempts: list[str] = []

    def handler(socket: WebSocketRoute) -> None:
        attempts.append(socket.url)
        socket.close(code=code, reason="refused")

    return attempts, handler


def settle(page: Page, seconds: float = 0.4) -> None:
    """Let the page and the routed sockets act on what the clock made due."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        page.evaluate("0")
        time.sleep(0.05)


def first_attempt(page: Page, attempts: list[str]) -> None:
    page.goto(OPEN_CONSULTATION)
    for _ in range(100):
        if attempts:
            return
        settle(page, 0.1)
    pytest.fail("the page opened no live socket")


def test_after_4429_the_page_waits_15_to_30_seconds_and_then_longer(page: Page) -> None:
    attempts, handler = refusing(4429)
    page.clock.install()
    page.route_web_socket(LIVE_SOCKET, handler)
    first_attempt(page, attempts)
    settle(page)
    assert len(attempts) == 1

    page.clock.run_for(14_000)  # the first wait is 15-30 s
    settle(page)
    assert len(attempts) == 1
    page.clock.run_for(17_000)
    settle(page)
    assert len(attempts) == 2

    page.clock.run_for(29_000)  # then 30-60 s
    settle(page)
    assert len(attempts) == 2
    page.clock.run_for(32_000)
    settle(page)
    assert len(attempts) == 3


def test_after_other_closes_the_page_reconnects_quickly(page: Page) -> None:
    attempts, handler = refusing(1011)
    page.clock.install()
    page.route_web_socket(LIVE_SOCKET, handler)
    first_attempt(page, attempts)
    page.clock.run_for(600)  # an opened socket that drops comes back within 250-500 ms
    settle(page)
    assert len(attempts) >= 2
