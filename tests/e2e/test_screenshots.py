"""The pages people meet most, at 360 px and 1280 px, as pictures for a person to look at
(tests/e2e/artifacts/screens/), each with zero axe violations, no sideways scrolling and
its main heading on screen (issue 14, acceptance 3). Plus the phone header's menu button."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.pages import FINISHED_CONSULTATION, OPEN_CONSULTATION
from tests.e2e.support import axe_violations, format_violations
from tests.e2e.test_discussion import log_in
from tests.e2e.test_governance import OPEN_TITLE, _ballot_of

pytestmark = pytest.mark.e2e

WIDTHS = (360, 1280)


def pictures(page: Page, directory: Path, name: str) -> None:
    """Both widths of the page as it is now: picture, axe, no sideways scrolling."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(150)  # the menu script folds the header on the resize
        page.screenshot(path=directory / f"{name}-{width}.png", full_page=True)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} scrolls sideways at {width} px"
        heading = page.get_by_role("heading", level=1).first.bounding_box()
        assert heading is not None and heading["x"] >= 0
        assert heading["x"] + heading["width"] <= width, f"{name}: heading cut off at {width}"
        violations = axe_violations(page)
        assert not violations, f"axe-core on {name} at {width} px:\n{format_violations(violations)}"


@pytest.fixture
def screens(artifacts_dir: Path) -> Path:
    directory = artifacts_dir / "screens"
    directory.mkdir(exist_ok=True)
    return directory


def test_public_pages_at_both_widths(
    new_context: Callable[..., BrowserContext], screens: Path
) -> None:
    page = new_context(bypass_csp=True).new_page()
    page.goto("/")
    pictures(page, screens, "home")

    page.goto(OPEN_CONSULTATION)
    expect(page.locator(".page-contents")).to_contain_text("Phasen")
    pictures(page, screens, "consultation")

    page.goto(FINISHED_CONSULTATION)
    page.locator("#polls-heading, #results-heading").first.scroll_into_view_if_needed()
    pictures(page, screens, "poll-results")

    page.goto(OPEN_CONSULTATION)
    page.locator(
        "a[href*='/vorschlaege/']:not([href$='/vorschlaege/']):not([href$='/neu/'])"
    ).first.click()
    expect(page).to_have_url(re.compile(r"/vorschlaege/\d+/"))
    pictures(page, screens, "proposal")


def test_moderation_queue_at_both_widths(
    new_context: Callable[..., BrowserContext], screens: Path
) -> None:
    page = new_context(bypass_csp=True).new_page()
    log_in(page, "moderation@musterstadt.example")
    page.goto("/moderation/")
    pictures(page, screens, "moderation-queue")


def test_ballot_at_both_widths(new_context: Callable[..., BrowserContext], screens: Path) -> None:
    page = new_context(bypass_csp=True).new_page()
    log_in(page, "vorstand@allmende.example")
    page.goto(_ballot_of(page, OPEN_TITLE))
    pictures(page, screens, "ballot")


def test_the_phone_header_folds_behind_a_menu_button(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(OPEN_CONSULTATION)
    button = page.get_by_role("button", name="Menü")
    search = page.get_by_role("searchbox", name="Beteiligungen durchsuchen")

    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(search).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 740 / 4, header

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(search).to_be_visible()
    expect(page.get_by_role("link", name="Beteiligungen", exact=True)).to_be_visible()
    # The whole placeholder fits.
    assert search.evaluate("input => input.scrollWidth <= input.clientWidth")

    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(button).to_be_hidden()
    expect(search).to_be_visible()
