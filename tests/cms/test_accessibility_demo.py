"""`demo_content` sets up the BITV pages: the statement (replacing the plain page an
earlier demo made at its address), Easy Read and sign language, all linked from the site
settings; a second run changes nothing."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import Site
from wagtail.rich_text import RichText

from cms.models import (
    AccessibilityStatementPage,
    ContentPage,
    EasyLanguagePage,
    SignLanguagePage,
    SiteSettings,
)
from tests.factories import default_home

pytestmark = pytest.mark.django_db


def test_demo_sets_up_and_links_the_accessibility_pages(client):
    home = default_home()
    old = ContentPage(
        title="Erklärung zur Barrierefreiheit",
        slug="barrierefreiheit",
        body=[("paragraph", RichText("<p>alt</p>"))],
    )
    home.add_child(instance=old)
    old.save_revision().publish()

    call_command("demo_content", stdout=io.StringIO())
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    statement = AccessibilityStatementPage.objects.get()
    assert settings.accessibility_page.specific == statement
    assert statement.url == "/barrierefreiheit/"
    assert not ContentPage.objects.filter(pk=old.pk).exists()
    assert statement.barriers.count() >= 1
    assert settings.easy_language_page.specific == EasyLanguagePage.objects.get()
    assert settings.sign_language_page.specific == SignLanguagePage.objects.get()

    page = BeautifulSoup(client.get("/leichte-sprache/").content, "html.parser")
    text = page.find("main").get_text(" ", strip=True)
    for sentence in (
        "Allmende ist eine Internet-Seite.",
        "Das nennt man: Bürger-Beteiligung .",
        "Klicken Sie oben auf: Registrieren .",
        "Ihre E-Mail-Adresse bleibt geheim.",
    ):
        assert sentence in text
    headings = [h.get_text(strip=True) for h in page.find("main").find_all("h2")]
    assert "So finden Sie sich zurecht" in headings
    assert "Hier bekommen Sie Hilfe" in headings
    # The help section leads to the statement's feedback form.
    assert page.find("main").find("a", href="/barrierefreiheit/") is not None
    english = BeautifulSoup(client.get("/en/leichte-sprache/").content, "html.parser")
    assert "Allmende is a website." in english.find("main").get_text(" ", strip=True)

    sign = client.get("/gebaerdensprache/").content.decode()
    assert "in Vorbereitung" in sign

    call_command("demo_content", stdout=io.StringIO())
    assert AccessibilityStatementPage.objects.get().pk == statement.pk
    assert EasyLanguagePage.objects.count() == 1 and SignLanguagePage.objects.count() == 1
