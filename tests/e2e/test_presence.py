"""Readers of a consultation see how many people are reading it, live."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.pages import PRESENCE_CONSULTATION

pytestmark = pytest.mark.e2e

LIVE_TIMEOUT = 5_000


def test_presence_counts_readers_in_two_browsers(
    new_context: Callable[..., BrowserContext],
) -> None:
    first = new_context().new_page()
    first.goto(PRESENCE_CONSULTATION)
    first_presence = first.locator(".presence")
    expect(first_presence).to_be_visible(timeout=LIVE_TIMEOUT)
    expect(first_presence).to_have_attribute("data-count", "1")

    second = new_context().new_page()
    second.goto(PRESENCE_CONSULTATION)

    for page in (first, second):
        presence = page.locator(".presence")
        expect(presence).to_be_visible(timeout=LIVE_TIMEOUT)
        expect(presence).to_have_attribute("data-count", "2", timeout=LIVE_TIMEOUT)
        expect(presence).to_have_text("2 Personen lesen gerade mit")

    second.close()

    expect(first_presence).to_have_attribute("data-count", "1", timeout=LIVE_TIMEOUT)
    expect(first_presence).to_have_text("1 Person liest gerade mit")
    expect(first_presence).to_be_visible()
