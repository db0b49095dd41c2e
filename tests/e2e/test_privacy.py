"""No third party ever hears of a visit, and pages run without errors or CSP violations."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.pages import PUBLIC_PAGES
from tests.e2e.support import Traffic

pytestmark = pytest.mark.e2e


def test_public_pages_talk_only_to_their_own_server(
    new_context: Callable[..., BrowserContext], traffic: Traffic, server
) -> None:
    page = new_context().new_page()
    for path in PUBLIC_PAGES:
        page.goto(path)
        if page.locator(".presence").count():
            # Wait for the live connection, so that its URL is checked too.
            expect(page.locator(".presence")).to_be_visible()
        # The stylesheet applied: CSP did not block it.
        expect(page.locator(".site-header")).to_have_css("background-color", "rgb(11, 93, 59)")

    assert traffic.websocket_urls, "no WebSocket was opened; the presence script did not run"
    assert all(url.startswith(f"ws://{server.netloc}/") for url in traffic.websocket_urls)
    assert any(url.endswith(".css") for url in traffic.urls)
    assert any(url.endswith(".js") for url in traffic.urls)
    assert traffic.foreign_urls() == []
    assert traffic.console_errors == []
