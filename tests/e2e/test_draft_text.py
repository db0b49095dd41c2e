"""The draft text review in real browsers: a contribution on paragraph 2 reaches another
reader's count at once; both views have no axe violations, in German and English."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.support import axe_violations, format_violations
from tests.e2e.test_discussion import log_in

pytestmark = pytest.mark.e2e

# Post-moderated, open, with the demo draft text (six paragraphs).
CONSULTATION = "/beispielkreis/nahverkehrsplan/"


def review_path(page: Page) -> str:
    page.goto(CONSULTATION)
    href = page.locator(".draft-text-teaser a").get_attribute("href")
    assert href and href.endswith("/textentwurf/")
    return href


def count(page: Page, number: int):
    return page.locator(f"#absatz-{number} [data-comment-count-for]")


def test_a_contribution_on_a_paragraph_updates_another_readers_count(
    new_context: Callable[..., BrowserContext],
) -> None:
    reader = new_context().new_page()
    path = review_path(reader)
    reader.goto(path)
    before = int(count(reader, 2).inner_text())

    writer = new_context().new_page()
    log_in(writer, "buergerin@example.org")
    writer.goto(path)
    paragraph = writer.locator("#absatz-2")
    paragraph.locator("summary").first.click()
    text = f"Bitte bis 22 Uhr {uuid.uuid4().hex[:6]}"
    form = paragraph.locator("form[id^='form-body-']")  # the paragraph's, not a reply form
    form.locator("textarea[name=body]").fill(text)
    form.locator("button[type=submit]").click()

    expect(count(reader, 2)).to_have_text(str(before + 1), timeout=3_000)
    expect(reader.locator("#absatz-2 .comment__text").filter(has_text=text)).to_have_count(1)
    expect(reader.locator("#absatz-3 .comment__text").filter(has_text=text)).to_have_count(0)
    # The writer sees it once, under paragraph 2, counted once, with an empty form.
    expect(paragraph.get_by_text(text)).to_have_count(1)
    expect(count(writer, 2)).to_have_text(str(before + 1))
    expect(form.locator("textarea[name=body]")).to_have_value("")

    # The view switch works in place; the link alone would reload with ?view=aside.
    reader.locator('[data-view-switch="aside"]').click()
    expect(reader.locator(".text-review")).to_have_class(re.compile("text-review--aside"))
    expect(reader).to_have_url(re.compile(r"\?view=aside$"))
    expect(reader.locator("#absatz-2 .comment__text").filter(has_text=text)).to_be_visible()


def test_both_views_have_no_axe_violations_in_german_and_english(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(bypass_csp=True).new_page()
    log_in(page, "buergerin@example.org")
    path = review_path(page)
    for prefix in ("", "/en"):
        for view in ("inline", "aside"):
            page.goto(f"{prefix}{path}?view={view}")
            if view == "inline":
                page.locator("#absatz-2 summary").first.click()
            expect(page.locator("#absatz-2 .comment").first).to_be_visible()
            violations = axe_violations(page)
            assert not violations, f"axe-core on {page.url}:\n{format_violations(violations)}"
