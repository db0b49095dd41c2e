"""WCAG 2.1 A and AA as far as axe-core can tell: zero violations on public pages."""

import re

import pytest
from playwright.sync_api import Page, expect

from cms.management.commands.demo_content import DEMO_PASSWORD
from tests.e2e.pages import OPEN_CONSULTATION, PUBLIC_PAGES
from tests.e2e.support import Traffic, axe_violations, format_violations

pytestmark = pytest.mark.e2e

DEMO_CITIZEN = "buergerin@example.org"
ACCOUNT_PAGES = [
    "/konto/email/",
    "/konto/anzeigename/",
    "/konto/benachrichtigungen/",
    "/konto/password/change/",
    "/konto/2fa/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_axe_violations(axe_page: Page, path: str) -> None:
    response = axe_page.goto(path)
    assert response is not None and response.status == 200, path
    expect(axe_page.locator("html")).to_have_attribute(
        "lang", "en" if path.startswith("/en/") else "de"
    )

    violations = axe_violations(axe_page)

    assert not violations, f"axe-core on {path}:\n{format_violations(violations)}"


def test_sign_up_form_with_errors_has_no_axe_violations(axe_page: Page) -> None:
    axe_page.goto("/konto/signup/")
    form = axe_page.locator("main form")
    form.get_by_label("E-Mail", exact=True).fill("fehlerhaft@example.org")
    form.get_by_label("Anzeigename", exact=True).fill("ab")
    form.get_by_label("Passwort", exact=True).fill("12345")
    form.get_by_label("Passwort (Wiederholung)", exact=True).fill("54321")
    form.get_by_role("button", name="Registrieren").click()

    # The form comes back with the input kept and each error tied to its field.
    expect(form.get_by_label("E-Mail", exact=True)).to_have_value("fehlerhaft@example.org")
    display_name = form.get_by_label("Anzeigename", exact=True)
    expect(display_name).to_have_value("ab")
    expect(display_name).to_have_attribute("aria-invalid", "true")
    described_by = (display_name.get_attribute("aria-describedby") or "").split()
    error_lists = [i for i in described_by if axe_page.locator(f"#{i}.errorlist").count() == 1]
    assert error_lists, f"no error list among aria-describedby={described_by}"
    expect(axe_page.locator(f"#{error_lists[0]}")).to_contain_text("zwischen 3 und 40 Zeichen")
    for element_id in described_by:
        expect(axe_page.locator(f"#{element_id}")).to_have_count(1)

    violations = axe_violations(axe_page)

    assert not violations, (
        f"axe-core on the sign-up form with errors:\n{format_violations(violations)}"
    )


def test_account_pages_have_no_axe_violations(axe_page: Page) -> None:
    axe_page.goto("/konto/login/")
    form = axe_page.locator("main form")
    form.get_by_label("E-Mail", exact=True).fill(DEMO_CITIZEN)
    form.get_by_label("Passwort", exact=True).fill(DEMO_PASSWORD)
    form.get_by_role("button", name="Anmeldung").click()
    expect(axe_page.locator(".site-header").get_by_role("button", name="Abmelden")).to_be_visible()

    found = {}
    for path in ACCOUNT_PAGES:
        response = axe_page.goto(path)
        assert response is not None and response.status == 200, path
        if violations := axe_violations(axe_page):
            found[path] = format_violations(violations)

    assert not found, "\n".join(f"axe-core on {path}:\n{text}" for path, text in found.items())


def test_the_second_factor_page_has_no_axe_violations(axe_page: Page, traffic: Traffic) -> None:
    """The citizen of the demo holds a topic mandate (cooperative/governance/demo.py) but no
    authenticator: the moderators' queue tells her how to set one up instead (a 403 page,
    which Chromium reports in the console)."""
    axe_page.goto("/konto/login/")
    form = axe_page.locator("main form")
    form.get_by_label("E-Mail", exact=True).fill(DEMO_CITIZEN)
    form.get_by_label("Passwort", exact=True).fill(DEMO_PASSWORD)
    form.get_by_role("button", name="Anmeldung").click()
    expect(axe_page.locator(".site-header").get_by_role("button", name="Abmelden")).to_be_visible()

    response = axe_page.goto("/moderation/")
    assert response is not None and response.status == 403
    refused = [e for e in traffic.console_errors if "/moderation/" in e and "403" in e]
    assert len(refused) == 1
    traffic.console_errors.remove(refused[0])
    expect(axe_page.get_by_role("heading", level=1)).to_have_text(
        "Zwei-Faktor-Authentifizierung erforderlich"
    )
    expect(
        axe_page.get_by_role("link", name="Zwei-Faktor-Authentifizierung einrichten")
    ).to_have_count(2)

    violations = axe_violations(axe_page)

    assert not violations, f"axe-core on the second-factor page:\n{format_violations(violations)}"


def test_the_embed_view_has_no_axe_violations(axe_page: Page) -> None:
    axe_page.goto(OPEN_CONSULTATION)
    page_id = axe_page.locator("[data-calm-banner-for]").get_attribute("data-calm-banner-for")
    response = axe_page.goto(f"/beteiligungen/{page_id}/einbetten/")
    assert response is not None and response.status == 200
    expect(axe_page.get_by_role("link", name=re.compile("Auf Allmende öffnen"))).to_be_visible()

    violations = axe_violations(axe_page)

    assert not violations, f"axe-core on the embed view:\n{format_violations(violations)}"


def test_the_accessibility_feedback_form_with_errors_has_no_axe_violations(
    axe_page: Page, traffic: Traffic
) -> None:
    axe_page.goto("/barrierefreiheit/")
    form = axe_page.locator("form.feedback-form")
    form.locator("input[type=email]").fill("keine-adresse")
    form.locator("button[type=submit]").click()
    expect(axe_page.locator(".field--error").first).to_be_visible()

    violations = axe_violations(axe_page)

    assert not violations, f"axe-core on the feedback form:\n{format_violations(violations)}"
    # The form with its errors comes back as 422, which Chromium logs.
    refused = [e for e in traffic.console_errors if "status of 422" in e]
    assert len(refused) == 1, traffic.console_errors
    traffic.console_errors.remove(refused[0])
