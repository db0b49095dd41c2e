"""Calm mode in real browsers: a moderator switches it on, a reader sees the banner appear
without reloading and disappear when it ends; the banner and the moderators' calm-mode
page pass axe-core in German and English."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.support import axe_violations, format_violations
from tests.e2e.test_discussion import log_in

pytestmark = pytest.mark.e2e

# Open, and visited by no other browser test: calm mode here slows nobody else down.
PAGE = "/partei-nachhaltigkeit/wahlprogramm-2027/"
ADMIN = "admin@allmende.example"
REASON = "Ein Aufruf in sozialen Medien bringt gerade sehr viele Beiträge."


def test_calm_mode_banner_appears_live_and_passes_axe_in_german_and_english(
    new_context: Callable[..., BrowserContext], artifacts_dir: Path
) -> None:
    reader = new_context(bypass_csp=True).new_page()
    response = reader.goto(PAGE)
    assert response is not None and response.status == 200
    slot = reader.locator("[data-calm-banner-for]")
    consultation_id = slot.get_attribute("data-calm-banner-for")
    expect(slot.locator("section.calm-banner")).to_have_count(0)
    calm_url = f"/beteiligungen/{consultation_id}/ruhemodus/"

    moderator = new_context(bypass_csp=True).new_page()
    log_in(moderator, ADMIN)
    moderator.goto(calm_url)
    expect(moderator.get_by_role("heading", level=1)).to_contain_text("Ruhemodus")
    found = {}
    if violations := axe_violations(moderator):
        found["calm-mode page (de), off"] = format_violations(violations)
    moderator.get_by_label("Grund").fill(REASON)
    moderator.get_by_role("button", name="Ruhemodus einschalten").click()
    expect(moderator.locator(".messages")).to_contain_text("Der Ruhemodus ist eingeschaltet")

    banner = slot.get_by_role("region", name="Der Ruhemodus ist eingeschaltet")
    expect(banner).to_be_visible(timeout=3_000)
    expect(banner).to_contain_text(REASON)
    expect(banner).to_contain_text("alle 5 Minuten")
    reader.screenshot(path=artifacts_dir / "calm-mode-banner-de.png", full_page=False)
    banner.screenshot(path=artifacts_dir / "calm-mode-banner-only-de.png")
    if violations := axe_violations(reader):
        found["consultation page with live banner (de)"] = format_violations(violations)

    reader.goto(f"/en{PAGE}")
    expect(reader.get_by_role("region", name="Calm mode is on")).to_be_visible()
    expect(reader.get_by_role("region", name="Calm mode is on")).to_contain_text("every 5 minutes")
    if violations := axe_violations(reader):
        found["consultation page with banner (en)"] = format_violations(violations)

    moderator.goto(f"/en{calm_url}")
    expect(moderator.locator(".calm-history li")).to_have_count(1)
    moderator.screenshot(path=artifacts_dir / "calm-mode-page-en.png", full_page=True)
    if violations := axe_violations(moderator):
        found["calm-mode page (en), on"] = format_violations(violations)
    moderator.goto(calm_url)
    if violations := axe_violations(moderator):
        found["calm-mode page (de), on"] = format_violations(violations)

    # Ending it takes the banner away from the reader, again without a reload.
    moderator.get_by_label("Grund").fill("Die Lage hat sich beruhigt.")
    moderator.get_by_role("button", name="Ruhemodus beenden").click()
    expect(moderator.locator(".messages")).to_contain_text("Der Ruhemodus ist beendet")
    expect(reader.locator("section.calm-banner")).to_have_count(0, timeout=3_000)

    assert not found, "\n".join(
        f"axe-core on the {where}:\n{text}" for where, text in found.items()
    )
