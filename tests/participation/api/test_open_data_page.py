"""An ordinary visitor finds every open interface: the footer links the open-data page, and
each link on it answers."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from participation.api.export import PLATFORM_CSV, PLATFORM_JSON

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_every_page_links_the_open_data_page_in_its_footer(client):
    footer = soup(client.get("/beteiligungen/")).select_one("footer")
    link = footer.find("a", string="Offene Daten")
    assert link is not None and link["href"] == "/offene-daten/"


def test_every_interface_on_the_page_answers(client, no_export):
    page = soup(client.get("/offene-daten/"))

    assert page.find("h1").get_text(strip=True) == "Offene Daten"
    links = [a["href"] for a in page.select("main a")]
    assert len(links) >= 9
    for href in links:
        if href.startswith("/konto/"):
            continue  # the account page asks visitors to sign in first
        assert client.get(href).status_code == 200, href


@pytest.fixture
def no_export():
    for path in (PLATFORM_JSON, PLATFORM_CSV):
        default_storage.delete(path)
    yield
    for path in (PLATFORM_JSON, PLATFORM_CSV):
        default_storage.delete(path)


def test_the_platform_export_is_offered_once_it_is_written(client, settings, no_export):
    assert "allmende.json" not in client.get("/offene-daten/").content.decode()
    default_storage.save(PLATFORM_JSON, ContentFile(b"{}"))
    default_storage.save(PLATFORM_CSV, ContentFile(b""))

    hrefs = [a["href"] for a in soup(client.get("/offene-daten/")).select("main a")]

    assert f"{settings.MEDIA_URL}{PLATFORM_JSON}" in hrefs
    assert f"{settings.MEDIA_URL}{PLATFORM_CSV}" in hrefs
