"""Proposals in real browsers: a reader of the consultation page learns of a new proposal
once the moderation has approved it (the consultation is pre-moderated) and sees support
counts change, without reloading."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.test_discussion import log_in

pytestmark = pytest.mark.e2e

PAGE = "/musterstadt/radverkehr-2030/"
SUPPORTED = "Geschützter Radweg auf der Bahnhofstraße"  # not yet supported by the board


def test_the_consultation_page_shows_new_proposals_and_supports_live(
    new_context: Callable[..., BrowserContext],
) -> None:
    reader = new_context().new_page()
    reader.goto(PAGE)
    section = reader.locator("section#proposals")
    count = section.locator("[data-proposal-count]")
    before = int(count.inner_text())
    card = section.locator("li.proposal-card").filter(has_text=SUPPORTED)
    supports = card.locator("[data-support-count-for]")
    supports_before = int(re.search(r"\d+", supports.inner_text()).group())  # type: ignore[union-attr]

    author = new_context().new_page()
    log_in(author, "buergerin@example.org")
    author.goto(PAGE)
    author.locator("section#proposals").get_by_role("link", name="Vorschlag einreichen").click()
    author.get_by_label("Titel").fill("Abstellbügel vor der Stadtbücherei")
    author.get_by_label("Ihr Vorschlag").fill(
        "Vor der Stadtbücherei fehlen sichere Abstellplätze für Fahrräder."
    )
    author.get_by_role("button", name="Vorschlag einreichen").click()
    expect(author.get_by_role("heading", level=1)).to_have_text(
        "Abstellbügel vor der Stadtbücherei"
    )

    # Pre-moderation: nobody else sees it before a moderator has approved it.
    news = section.locator("[data-proposal-news]")
    reader.wait_for_timeout(1_000)
    expect(count).to_have_text(str(before))
    expect(news.get_by_role("link", name="Abstellbügel vor der Stadtbücherei")).to_have_count(0)

    moderator = new_context().new_page()
    log_in(moderator, "admin@allmende.example")
    moderator.goto("/moderation/")
    moderator.locator(".moderation-queue__item").filter(
        has_text="Abstellbügel vor der Stadtbücherei"
    ).locator("a.button").first.click()
    form = moderator.locator("form[data-ground-form]").last
    form.locator("select[name=action]").select_option("approve")
    form.locator("textarea[name=facts]").fill("Der Vorschlag hält die Netiquette ein.")
    form.locator("button[type=submit]").click()
    expect(moderator).to_have_url(re.compile(r"/moderation/entscheidungen/[0-9a-f-]+/$"))

    expect(news.get_by_role("link", name="Abstellbügel vor der Stadtbücherei")).to_be_visible(
        timeout=3_000
    )
    expect(count).to_have_text(str(before + 1))

    supporter = new_context().new_page()
    log_in(supporter, "vorstand@allmende.example")
    supporter.goto(PAGE)
    supporter.locator("section#proposals").get_by_role("link", name=SUPPORTED).click()
    supporter.get_by_role("button", name="Vorschlag unterstützen").click()
    expect(supports).to_contain_text(str(supports_before + 1), timeout=3_000)
