"""Small screens, keyboard use and screenshots for a human to look at."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.pages import OPEN_CONSULTATION

pytestmark = pytest.mark.e2e

SCREENSHOT_PAGES = {"home": "/", "consultation": OPEN_CONSULTATION}
NARROW_PAGES = [
    "/",
    "/beteiligungen/",
    OPEN_CONSULTATION,
    "/konto/signup/",
    "/konto/login/",
    "/en/",
    f"/en{OPEN_CONSULTATION}",
]
# Enough tab stops to pass the header, the hero and the first consultation cards.
TAB_STOPS_CHECKED = 25


def scroll_width(page: Page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", list(SCREENSHOT_PAGES))
def test_screenshot(
    new_context: Callable[..., BrowserContext], artifacts_dir: Path, name: str, width: int
) -> None:
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(SCREENSHOT_PAGES[name])
    if name == "consultation":
        # Let the live presence line appear so the picture shows the page as people see it.
        expect(page.locator(".presence")).to_be_visible()
    target = artifacts_dir / f"{name}-{width}.png"

    page.screenshot(path=target, full_page=True)

    assert target.stat().st_size > 0
    assert scroll_width(page) <= width
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading is not None and heading["x"] >= 0
    assert heading["x"] + heading["width"] <= width


@pytest.mark.parametrize("path", NARROW_PAGES)
def test_no_horizontal_scrolling_at_320_px(
    new_context: Callable[..., BrowserContext], path: str
) -> None:
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    page.goto(path)

    assert scroll_width(page) <= 320, f"{path} scrolls sideways at 320 px"


def test_skip_link_moves_focus_to_main(page: Page) -> None:
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link stays off screen"

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/#main$"))


def test_every_focused_element_shows_an_outline(page: Page) -> None:
    page.goto("/")
    seen = []
    for _ in range(TAB_STOPS_CHECKED):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                return {
                    element: el.outerHTML.slice(0, 120),
                    outlineStyle: style.outlineStyle,
                    outlineWidth: parseFloat(style.outlineWidth),
                };
            }"""
        )
        seen.append(focused)
    without_outline = [
        f["element"] for f in seen if f["outlineStyle"] == "none" or f["outlineWidth"] < 2
    ]
    assert not without_outline, "focused without a visible outline:\n" + "\n".join(without_outline)
    assert any("<a" in f["element"] for f in seen)
