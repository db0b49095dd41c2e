"""The cooperative's pages in a real browser, German and English: zero axe violations on
the rules, a diff, the mandates, the audit log, a motion, a ballot with its vote form and
a finished ballot's minutes; a member votes without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from cooperative.governance.demo import FINISHED_TITLE, OPEN_TITLE
from tests.e2e.support import axe_violations, format_violations
from tests.e2e.test_discussion import log_in

pytestmark = pytest.mark.e2e

PUBLIC = [
    "/genossenschaft/",
    "/genossenschaft/regeln/",
    "/genossenschaft/regeln/netiquette/",
    "/genossenschaft/regeln/netiquette/fassung/1/",
    "/genossenschaft/regeln/netiquette/vergleich/?von=1&bis=2",
    "/genossenschaft/mandate/",
    "/genossenschaft/pruefprotokoll/",
]
LANGUAGES = ["", "/en"]


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_public_governance_pages_have_no_axe_violations(axe_page: Page, prefix: str) -> None:
    found = {}
    for path in PUBLIC:
        response = axe_page.goto(prefix + path)
        assert response is not None and response.status == 200, prefix + path
        expect(axe_page.locator("html")).to_have_attribute("lang", "en" if prefix else "de")
        if violations := axe_violations(axe_page):
            found[prefix + path] = format_violations(violations)
    assert not found, "\n".join(f"axe-core on {p}:\n{text}" for p, text in found.items())


def test_the_netiquette_shows_the_adopted_change(page: Page) -> None:
    page.goto("/genossenschaft/regeln/netiquette/")
    expect(page.locator(".rule-text")).to_contain_text("Werbung und Kettenbriefe")
    page.goto("/genossenschaft/regeln/netiquette/vergleich/?von=1&bis=2")
    expect(page.locator(".rule-diff ins").first).to_contain_text("Werbung und Kettenbriefe")


def _motion(page: Page, title: str) -> None:
    page.goto("/genossenschaft/antraege/")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def _ballot_of(page: Page, title: str) -> str:
    """The path of the ballot on the motion with that title."""
    _motion(page, title)
    page.locator("a[href*='/abstimmungen/']").first.click()
    return urlsplit(page.url).path


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_member_pages_have_no_axe_violations(
    new_context: Callable[..., BrowserContext], prefix: str
) -> None:
    page = new_context(bypass_csp=True).new_page()
    log_in(page, "vorstand@allmende.example")  # a member and on the board
    _motion(page, OPEN_TITLE)
    motion_path = urlsplit(page.url).path
    open_ballot = _ballot_of(page, OPEN_TITLE)
    finished_ballot = _ballot_of(page, FINISHED_TITLE)
    paths = [
        "/genossenschaft/antraege/",
        "/genossenschaft/mitgliedschaft/",
        "/genossenschaft/mitglieder/",
        "/genossenschaft/mandate/neu/",
        motion_path,
        open_ballot,
        finished_ballot,
    ]
    found = {}
    for path in paths:
        response = page.goto(prefix + path)
        assert response is not None and response.status == 200, path
        expect(page.locator("html")).to_have_attribute("lang", "en" if prefix else "de")
        if violations := axe_violations(page):
            found[prefix + path] = format_violations(violations)
    page.goto(prefix + open_ballot)
    expect(page.locator("form.ballot-vote")).to_be_visible()
    page.goto(prefix + finished_ballot)
    expect(page.locator(".results")).to_contain_text("GenG §47")
    assert not found, "\n".join(f"axe-core on {p}:\n{text}" for p, text in found.items())


def test_a_member_votes_without_javascript(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, "buergerin@example.org")
    _motion(page, OPEN_TITLE)
    page.locator("a[href*='/abstimmungen/']").first.click()
    form = page.locator("form.ballot-vote")
    form.locator("input[name=choice][value=yes]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator(".message--success")).to_contain_text(re.compile(r"\d"))
    expect(page.locator("form.ballot-vote")).to_have_count(0)


def test_public_governance_pages_do_not_scroll_sideways_on_phones(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    wide = []
    for path in PUBLIC:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide.append(f"{path}: {width} px")
    assert not wide, "scrolls sideways at 320 px: " + ", ".join(wide)
