"""The in-page contents of a long page name exactly the sections the page shows."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from frontend.templatetags.page_contents import headings_of
from tests.factories import consultation


def test_headings_with_an_id_become_entries_without_counts_or_hidden_ones():
    html = (
        '<h2 id="a" class="visually-hidden">Hidden</h2>'
        '<h2 id="discussion-heading">Diskussion <span class="count">(<span>3</span>)</span></h2>'
        "<h2>Without id</h2>"
        '<h2 id="phases-heading">Phasen</h2>'
        '<h3 id="sub">Not a section</h3>'
    )

    assert headings_of(html) == [("discussion-heading", "Diskussion"), ("phases-heading", "Phasen")]


@pytest.mark.django_db
def test_the_consultation_page_links_its_sections_and_only_those(organisation_area):
    _org, index = organisation_area
    page = consultation(index, title="Radwege", state="open")

    soup = BeautifulSoup(Client().get(page.url).content, "html.parser")

    nav = soup.select_one("nav.page-contents")
    assert nav is not None
    links = {a["href"]: a.get_text(strip=True) for a in nav.select("a")}
    for anchor in links:
        assert soup.find(id=anchor.removeprefix("#")) is not None, anchor
    assert links["#participate-heading"] == "Mitmachen"
    assert links["#phases-heading"] == "Phasen"
    assert "#polls-heading" not in links  # this consultation has no poll
