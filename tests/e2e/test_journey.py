"""A visitor finds a consultation, signs up, confirms the address, logs out and in again."""

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import first_link, mails_to, plain_body

pytestmark = pytest.mark.e2e

PASSWORD = "Kiesel-Sonnenblume-2030"


def expect_logged_in(page: Page) -> None:
    header = page.locator(".site-header")
    expect(header.get_by_role("button", name="Abmelden")).to_be_visible()
    expect(header.get_by_role("link", name="Mein Konto")).to_be_visible()
    expect(header.get_by_role("link", name="Anmelden", exact=True)).to_have_count(0)


def expect_logged_out(page: Page) -> None:
    header = page.locator(".site-header")
    expect(header.get_by_role("link", name="Anmelden", exact=True)).to_be_visible()
    expect(header.get_by_role("button", name="Abmelden")).to_have_count(0)


def test_sign_up_confirm_log_out_and_log_in(page: Page, server) -> None:
    token = uuid.uuid4().hex[:8]
    address = f"e2e-{token}@example.org"
    display_name = f"Testperson {token}"

    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mitreden, mitgestalten, mitentscheiden"
    )
    expect_logged_out(page)

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Beteiligungen"
    ).click()
    expect(page).to_have_url(f"{server.base_url}/beteiligungen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Beteiligungen")

    page.get_by_role("link", name="Radverkehrskonzept Musterstadt 2030").click()
    expect(page).to_have_url(f"{server.base_url}/musterstadt/radverkehr-2030/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Radverkehrskonzept Musterstadt 2030")

    participate = page.locator(".participate")
    participate.get_by_role("link", name="registrieren Sie sich").click()
    expect(page).to_have_url(f"{server.base_url}/konto/signup/?next=/musterstadt/radverkehr-2030/")

    form = page.locator("main form")
    form.get_by_label("E-Mail", exact=True).fill(address)
    form.get_by_label("Anzeigename", exact=True).fill(display_name)
    form.get_by_label("Passwort", exact=True).fill(PASSWORD)
    form.get_by_label("Passwort (Wiederholung)", exact=True).fill(PASSWORD)
    form.get_by_role("button", name="Registrieren").click()

    expect(page).to_have_url(f"{server.base_url}/konto/confirm-email/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect_logged_out(page)

    messages = mails_to(server.mail_dir, address)
    assert len(messages) == 1, f"expected one verification mail, found {len(messages)}"
    # A long encoded subject is folded; the parsed value may start with that whitespace.
    assert str(messages[0]["Subject"]).strip().startswith("[Allmende] ")
    link = first_link(plain_body(messages[0]), r"/konto/confirm-email/[^/\s]+/")
    assert link.startswith(server.base_url), link

    page.goto(link)
    page.locator("main").get_by_role("button", name="Bestätigen").click()
    expect_logged_in(page)
    # Signing up from a consultation brings the new participant back to it.
    expect(page).to_have_url(f"{server.base_url}/musterstadt/radverkehr-2030/")

    page.locator(".site-header").get_by_role("link", name="Mein Konto").click()
    expect(page.get_by_role("main")).to_contain_text(address)

    page.locator(".site-header").get_by_role("button", name="Abmelden").click()
    expect_logged_out(page)

    page.locator(".site-header").get_by_role("link", name="Anmelden", exact=True).click()
    expect(page).to_have_url(f"{server.base_url}/konto/login/")
    form = page.locator("main form")
    form.get_by_label("E-Mail", exact=True).fill(address)
    form.get_by_label("Passwort", exact=True).fill(PASSWORD)
    form.get_by_role("button", name="Anmeldung").click()
    expect_logged_in(page)

    page.goto("/konto/anzeigename/")
    expect(page.get_by_label("Anzeigename", exact=True)).to_have_value(display_name)
