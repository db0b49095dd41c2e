"""The live discussion in real browsers: one writes, the others see it at once."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from cms.management.commands.demo_content import DEMO_PASSWORD
from tests.e2e.support import Traffic, axe_violations, format_violations, fresh_totp_code

pytestmark = pytest.mark.e2e

# Post-moderated, open, and opened by no other browser test.
DISCUSSION = "/partei-nachhaltigkeit/wahlprogramm-2027/"


def log_in(page: Page, email: str) -> None:
    """Through the login form; staff then give the code of their authenticator app, here
    computed from the secret their demo authenticator holds."""
    page.goto("/konto/login/")
    form = page.locator("main form")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/konto/login/")
    if urlsplit(page.url).path == "/konto/2fa/authenticate/":
        form = page.locator("main form")
        form.locator("input[name=code]").fill(fresh_totp_code(urlsplit(page.url).netloc, email))
        form.locator("button[type=submit]:not([form])").click()  # not "Abbrechen"
    # Signed in: the header offers to log out (on a phone behind the folded menu).
    expect(page.get_by_role("button", name="Abmelden", include_hidden=True)).to_have_count(1)


def test_a_contribution_reaches_another_reader_within_a_second(
    new_context: Callable[..., BrowserContext],
) -> None:
    reader = new_context().new_page()
    reader.goto(DISCUSSION)
    expect(reader.locator(".presence")).to_be_visible()

    writer = new_context().new_page()
    log_in(writer, "buergerin@example.org")
    writer.goto(DISCUSSION)
    text = f"Mehr Busse am Abend {uuid.uuid4().hex[:6]}"
    writer.get_by_label("Ihr Beitrag").fill(text)
    started = time.monotonic()
    writer.get_by_role("button", name="Beitrag veröffentlichen").click()

    expect(reader.locator("#comment-list").get_by_text(text)).to_be_visible(timeout=1_000)
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"the reader saw it after {elapsed:.2f} s"
    # The writer sees it once (sent back with the fresh form and live), and an empty form.
    expect(writer.locator("#comment-list").get_by_text(text)).to_have_count(1)
    expect(writer.get_by_label("Ihr Beitrag")).to_have_value("")
    # The live region tells screen-reader users, politely.
    expect(reader.locator("[data-live-announcer]")).to_have_text(
        "1 neuer Beitrag in der Diskussion", timeout=3_000
    )

    # A reply and a reaction travel the same way.
    item = writer.locator("#comment-list > li").filter(has_text=text)
    item.locator("summary").first.click()
    reply = f"Und am Wochenende {uuid.uuid4().hex[:6]}"
    item.get_by_label("Ihre Antwort").fill(reply)
    item.get_by_role("button", name="Antwort senden").click()
    expect(reader.get_by_text(reply)).to_be_visible(timeout=2_000)


def test_reactions_update_live_and_own_contribution_controls(
    new_context: Callable[..., BrowserContext],
) -> None:
    author = new_context().new_page()
    log_in(author, "pressestelle@musterstadt.example")
    author.goto(DISCUSSION)
    text = f"Beitrag zum Reagieren {uuid.uuid4().hex[:6]}"
    author.get_by_label("Ihr Beitrag").fill(text)
    author.get_by_role("button", name="Beitrag veröffentlichen").click()
    own = author.locator("#comment-list > li").filter(has_text=text)
    expect(own.get_by_role("link", name="Bearbeiten")).to_be_visible()
    expect(own.get_by_role("button", name="Zustimmung")).to_be_disabled()

    other = new_context().new_page()
    log_in(other, "moderation@musterstadt.example")
    other.goto(DISCUSSION)
    theirs = other.locator("#comment-list > li").filter(has_text=text)
    expect(theirs.get_by_role("link", name="Bearbeiten")).to_be_hidden()
    theirs.get_by_role("button", name="Zustimmung").click()
    expect(own.locator('[data-count="agree"]')).to_have_text("1", timeout=2_000)


def test_writing_works_without_javascript(
    new_context: Callable[..., BrowserContext], traffic: Traffic
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, "vorstand@allmende.example")
    page.goto(DISCUSSION)
    text = f"Ohne JavaScript geschrieben {uuid.uuid4().hex[:6]}"
    page.get_by_label("Ihr Beitrag").fill(text)
    page.get_by_role("button", name="Beitrag veröffentlichen").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    expect(page.get_by_text("Ihr Beitrag wurde veröffentlicht.")).to_be_visible()
    expect(page.locator("#comment-list").get_by_text(text)).to_be_visible()

    # A too short contribution is refused with a message; nothing is lost.
    page.get_by_label("Ihr Beitrag").fill("x")
    page.get_by_role("button", name="Beitrag veröffentlichen").click()
    expect(page.locator(".field__errors")).to_have_text("Bitte schreiben Sie mindestens 2 Zeichen.")
    expect(page.get_by_label("Ihr Beitrag")).to_have_value("x")
    # Chromium logs every 4xx document; 422 is the answer for an invalid form.
    traffic.console_errors[:] = [e for e in traffic.console_errors if "status of 422" not in e]


def test_a_failed_send_keeps_the_draft(
    new_context: Callable[..., BrowserContext], traffic: Traffic
) -> None:
    context = new_context()
    page = context.new_page()
    log_in(page, "freigabe@musterstadt.example")
    page.goto(DISCUSSION)
    draft = "Dieser Text darf nicht verloren gehen."
    page.get_by_label("Ihr Beitrag").fill(draft)
    page.route("**/beitraege/neu/", lambda route: route.abort())
    page.get_by_role("button", name="Beitrag veröffentlichen").click()
    expect(page.locator("#comment-form [data-form-status]")).to_have_text(
        "Senden fehlgeschlagen. Ihr Text bleibt erhalten; bitte versuchen Sie es noch einmal."
    )
    expect(page.get_by_label("Ihr Beitrag")).to_have_value(draft)
    # The browser and htmx log the failure this test provokes; nothing else may appear.
    expected = ("htmx:sendError", "htmx:afterRequest", "net::ERR_FAILED")
    traffic.console_errors[:] = [
        e for e in traffic.console_errors if not any(text in e for text in expected)
    ]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_discussion_has_no_axe_violations(
    new_context: Callable[..., BrowserContext], prefix: str
) -> None:
    page = new_context(bypass_csp=True).new_page()
    log_in(page, "buergerin@example.org")
    page.goto(f"{prefix}{DISCUSSION}#discussion")
    expect(page.locator("#comment-list > li").first).to_be_visible()
    page.locator("#comment-list > li details summary").first.click()
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
