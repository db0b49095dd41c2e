"""The admin under its Content-Security-Policy, without 'unsafe-eval' (issue 13, finding
9): an editor works through the page editor in Chromium (StreamField blocks, Draftail
with its link chooser, the image and document choosers, the preview and checks panels,
a snippet with an inline panel, uploads) and no policy violation, script error or request
to another host occurs (the `new_context` fixture fails the test on any of them). axe-core,
which Wagtail bundles for its accessibility checks and whose message templates could be
compiled from strings, runs in the admin page too."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.test_discussion import log_in

pytestmark = pytest.mark.e2e

ADMIN = "admin@allmende.example"
PAGE = "/partei-nachhaltigkeit/wahlprogramm-2027/"


def close_chooser(page: Page, heading: str) -> None:
    dialog = page.locator(".modal-dialog")
    expect(dialog.get_by_role("heading", name=re.compile(heading))).to_be_visible()
    dialog.get_by_role("button", name="Schließen").click()
    expect(dialog).to_be_hidden()


def test_the_page_editor_works_under_the_admin_policy_without_eval(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context().new_page()
    log_in(page, ADMIN)
    page.goto(PAGE)
    page_id = page.locator("[data-calm-banner-for]").get_attribute("data-calm-banner-for")

    response = page.goto("/admin/")
    assert response is not None and response.status == 200
    assert "'unsafe-eval'" not in response.headers["content-security-policy"]

    page.goto(f"/admin/pages/{page_id}/edit/")
    # The preview panel frames the page (under the public policy, framable by the admin).
    page.locator("button[data-side-panel-toggle='preview']").first.click()
    preview = page.frame_locator("iframe[id*=preview]").first
    expect(preview.locator("h1")).to_contain_text("Wahlprogramm 2027")
    page.locator("button[data-side-panel-toggle='checks']").first.click()
    page.wait_for_timeout(1000)

    # A paragraph block, typed into Draftail, with its link chooser.
    page.locator("button.c-sf-add-button").first.click()
    page.get_by_role("option", name=re.compile("Absatz")).first.click()
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    page.keyboard.type("Ein neuer Absatz mit Verweis")
    page.keyboard.press("Shift+Home")
    page.locator("button[name=LINK]").first.click()
    close_chooser(page, "Seite auswählen")
    # An image block and its chooser.
    page.locator("button.c-sf-add-button").first.click()
    page.get_by_role("option", name=re.compile("Bild")).first.click()
    page.get_by_role("button", name=re.compile("Bild auswählen")).first.click()
    close_chooser(page, "Bild auswählen")
    # A document block and its chooser.
    page.locator("button.c-sf-add-button").first.click()
    page.get_by_role("option", name=re.compile("Dokument|Document")).first.click()
    page.get_by_role("button", name=re.compile("Dokument auswählen")).first.click()
    close_chooser(page, "Dokument auswählen")

    # axe-core from Wagtail's bundle runs in the admin page under the policy.
    result = page.evaluate("async () => (await window.axe.run(document)).testEngine.name")
    assert result == "axe-core"

    page.goto("/admin/snippets/cooperative_organisations/organisation/add/")
    page.get_by_role("button", name=re.compile("Rolle hinzufügen")).first.click()
    expect(page.locator("[id^=inline_child_roles]").first).to_be_visible()

    for url in ("/admin/images/multiple/add/", "/admin/documents/multiple/add/", "/admin/users/"):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
    page.wait_for_timeout(500)
