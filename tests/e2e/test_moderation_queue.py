"""One-click approval and a live restore in real browsers: a moderator approves a waiting
contribution with the queue's button (htmx swaps the list in place) and a reader sees it
appear; a moderator hides a contribution and restores it, and a reader sees it vanish
into its placeholder and come back, without reloading. The queue passes axe-core."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.support import axe_violations, format_violations
from tests.e2e.test_discussion import log_in

pytestmark = pytest.mark.e2e

PRE_MODERATED = "/musterstadt/radverkehr-2030/"  # the town's open consultation
POST_MODERATED = "/partei-nachhaltigkeit/wahlprogramm-2027/"
AUTHOR = "buergerin@example.org"
MODERATOR = "admin@allmende.example"


def test_approve_in_one_click_and_readers_see_it(
    new_context: Callable[..., BrowserContext],
) -> None:
    text = f"Bitte freigeben {uuid.uuid4().hex[:6]}"
    reader = new_context().new_page()
    reader.goto(PRE_MODERATED)
    author = new_context().new_page()
    log_in(author, AUTHOR)
    author.goto(PRE_MODERATED)
    author.get_by_label("Ihr Beitrag").fill(text)
    author.get_by_role("button", name="Beitrag veröffentlichen").click()
    expect(author.locator("#comment-list > li").filter(has_text=text)).to_be_visible()
    reader.wait_for_timeout(500)
    expect(reader.locator("#comment-list > li").filter(has_text=text)).to_have_count(0)

    moderator = new_context(bypass_csp=True).new_page()  # axe-core is injected inline
    log_in(moderator, MODERATOR)
    moderator.goto("/moderation/")
    entry = moderator.locator(".moderation-queue__item").filter(has_text=text)
    expect(entry.locator("form[data-approve-form] button")).to_be_visible()
    violations = axe_violations(moderator)
    assert not violations, format_violations(violations)
    entry.locator("form[data-approve-form] button").click()
    expect(moderator.locator("[data-queue-message]")).to_contain_text(text)
    expect(entry).to_have_count(0)
    assert moderator.url.endswith("/moderation/")  # swapped in place, no navigation

    expect(reader.locator("#comment-list > li").filter(has_text=text)).to_be_visible(timeout=3_000)


def hide_or_restore(moderator, comment_id: str, action: str) -> None:
    moderator.goto(f"/moderation/entscheiden/beitrag/{comment_id}/")
    form = moderator.locator("form[data-ground-form]").last
    form.locator("select[name=action]").select_option(action)
    form.locator("textarea[name=facts]").fill("Der Beitrag wurde geprüft, siehe Begründung.")
    if action == "hide":
        form.locator("input[name=ground_type][value=rule]").check()
        form.locator("select[name=clause]").select_option("2")
        form.locator("textarea[name=ground_explanation]").fill(
            "Beleidigungen sind nach Nr. 2 nicht erlaubt."
        )
    form.locator("button[type=submit]").click()
    expect(moderator.locator("h1")).to_be_visible()
    assert "/moderation/entscheidungen/" in moderator.url


def test_a_restored_contribution_comes_back_live(
    new_context: Callable[..., BrowserContext],
) -> None:
    text = f"Erst verborgen, dann zurück {uuid.uuid4().hex[:6]}"
    author = new_context().new_page()
    log_in(author, AUTHOR)
    author.goto(POST_MODERATED)
    author.get_by_label("Ihr Beitrag").fill(text)
    author.get_by_role("button", name="Beitrag veröffentlichen").click()
    mine = author.locator("#comment-list > li").filter(has_text=text)
    expect(mine).to_be_visible()
    comment_id = mine.get_attribute("data-comment-id")
    assert comment_id

    reader = new_context().new_page()
    reader.goto(POST_MODERATED)
    item = reader.locator(f"#comment-{comment_id}")
    expect(item).to_contain_text(text)
    count = reader.locator('[data-comment-count-for="consultation"]').first
    before = int(count.inner_text())

    moderator = new_context().new_page()
    log_in(moderator, MODERATOR)
    hide_or_restore(moderator, comment_id, "hide")
    expect(item).not_to_contain_text(text, timeout=3_000)
    expect(item).to_have_class("comment comment--hidden")
    expect(count).to_have_text(str(before - 1))

    hide_or_restore(moderator, comment_id, "restore")
    expect(item).to_contain_text(text, timeout=3_000)
    expect(item).to_have_class("comment comment--published")
    expect(count).to_have_text(str(before))
