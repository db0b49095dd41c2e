"""The public list of consultations (/beteiligungen/) and the home page's open ones."""

import html
import re

import pytest
from django.utils import translation

from participation.consultations.views import PAGE_SIZE
from tests.factories import consultation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def default_language_afterwards():
    """A request under /en/ leaves English active in this thread (LocaleMiddleware never
    deactivates); later tests build URLs such as `page.url` and expect German."""
    yield
    translation.deactivate()


def listed_titles(response) -> list[str]:
    """The titles of the consultation cards, in the order a visitor sees them."""
    assert response.status_code == 200
    page = response.content.decode()
    cards = re.findall(r'class="card__title"><a href="[^"]*">(.*?)</a>', page)
    return [html.unescape(title) for title in cards]


def error_box(response) -> str:
    found = re.search(
        r'<div class="form-errors" role="alert">.*?</div>', response.content.decode(), re.S
    )
    return found.group(0) if found else ""


@pytest.fixture
def catalogue(organisation_area, other_organisation_area):
    """Consultations in every state, two organisations, two topics."""
    _org, index = organisation_area
    _other, other_index = other_organisation_area
    consultation(
        index,
        title="Radwege am Fluss",
        state="open",
        tags=("Verkehr",),
        summary="Mehr Platz auf der Uferstraße.",
    )
    consultation(index, title="Neuer Marktplatz", state="upcoming", tags=("Stadtentwicklung",))
    consultation(other_index, title="Busnetz 2030", state="open", tags=("Verkehr",))
    consultation(other_index, title="Spielplatz Süd", state="evaluation")
    consultation(index, title="Haushalt 2024", state="finished")
    consultation(index, title="Geheimer Entwurf", state="open", live=False)


ALL_PUBLISHED = {
    "Radwege am Fluss",
    "Neuer Marktplatz",
    "Busnetz 2030",
    "Spielplatz Süd",
    "Haushalt 2024",
}


def test_lists_every_published_consultation_open_ones_first(client, catalogue):
    titles = listed_titles(client.get("/beteiligungen/"))

    assert set(titles) == ALL_PUBLISHED
    assert set(titles[:2]) == {"Radwege am Fluss", "Busnetz 2030"}
    assert titles[2] == "Neuer Marktplatz"
    assert "5 Beteiligungen" in client.get("/beteiligungen/").content.decode()


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("open", {"Radwege am Fluss", "Busnetz 2030"}),
        ("upcoming", {"Neuer Marktplatz"}),
        ("evaluation", {"Spielplatz Süd"}),
        ("finished", {"Haushalt 2024"}),
    ],
)
def test_filter_by_state(client, catalogue, state, expected):
    response = client.get("/beteiligungen/", {"state": state})

    assert set(listed_titles(response)) == expected
    assert f'href="?state={state}" aria-current="page"' in response.content.decode()


def test_filter_by_topic(client, catalogue):
    response = client.get("/beteiligungen/", {"tag": "verkehr"})

    assert set(listed_titles(response)) == {"Radwege am Fluss", "Busnetz 2030"}
    assert '<option value="verkehr" selected>Verkehr</option>' in response.content.decode()


def test_filter_by_organisation(client, catalogue):
    response = client.get("/beteiligungen/", {"organisation": "beispielkreis"})

    assert set(listed_titles(response)) == {"Busnetz 2030", "Spielplatz Süd"}
    assert '<option value="beispielkreis" selected>Kreis Beispielkreis</option>' in (
        response.content.decode()
    )


def test_filters_combine(client, catalogue):
    response = client.get(
        "/beteiligungen/", {"tag": "verkehr", "organisation": "musterstadt", "state": "open"}
    )

    assert listed_titles(response) == ["Radwege am Fluss"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Uferstraße", {"Radwege am Fluss"}),  # a word of the summary
        ("busnetz", {"Busnetz 2030"}),  # the title, in any case
        ("Verkehr", {"Radwege am Fluss", "Busnetz 2030"}),  # a topic
        ("Entwurf", set()),  # drafts are not searchable
        ("Quantenphysik", set()),
    ],
)
def test_full_text_search(client, catalogue, query, expected):
    response = client.get("/beteiligungen/", {"q": query})

    assert set(listed_titles(response)) == expected
    assert f'value="{query}"' in response.content.decode()  # the search box keeps the term
    if not expected:
        assert "Keine Beteiligung passt zu diesen Filtern." in response.content.decode()


def test_search_combines_with_state(client, catalogue):
    response = client.get("/beteiligungen/", {"q": "Verkehr", "state": "open", "tag": "verkehr"})

    assert set(listed_titles(response)) == {"Radwege am Fluss", "Busnetz 2030"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"state": "bogus"}, "Stand: Bitte eine gültige Auswahl treffen. bogus ist keine"),
        (
            {"organisation": "nope"},
            "Organisation: Bitte eine gültige Auswahl treffen. nope ist keine",
        ),
        ({"tag": "gibtsnicht"}, "Thema: Bitte eine gültige Auswahl treffen. gibtsnicht ist keine"),
    ],
)
def test_bad_filter_shows_an_error_and_still_lists_consultations(
    client, catalogue, params, message
):
    response = client.get("/beteiligungen/", params)

    assert response.status_code == 200
    box = error_box(response)
    assert "Bitte prüfen Sie die Filter:" in box
    assert message in box
    assert set(listed_titles(response)) == ALL_PUBLISHED


def test_bad_filter_value_is_shown_escaped(client, catalogue):
    payload = '"><script>alert(1)</script>'
    response = client.get("/beteiligungen/", {"state": payload})

    assert payload not in response.content.decode()
    assert html.escape(payload) in error_box(response)


def test_pagination_keeps_the_filters(client, organisation_area):
    _org, index = organisation_area
    for number in range(PAGE_SIZE + 2):
        consultation(index, title=f"Verkehrsversuch {number:02d}", tags=("Verkehr",))
    consultation(index, title="Ohne Thema")

    first = client.get("/beteiligungen/", {"tag": "verkehr"})

    assert len(listed_titles(first)) == PAGE_SIZE
    assert "Ohne Thema" not in listed_titles(first)
    assert "Seite 1 von 2" in first.content.decode()
    next_link = re.search(r'<a href="\?([^"]*)" rel="next">', first.content.decode())
    assert next_link, "no link to the next page"
    query = html.unescape(next_link.group(1))
    assert "tag=verkehr" in query
    assert "page=2" in query

    second = client.get(f"/beteiligungen/?{query}")

    assert len(listed_titles(second)) == 2
    assert set(listed_titles(first)).isdisjoint(listed_titles(second))
    assert "Ohne Thema" not in listed_titles(second)
    previous = re.search(r'<a href="\?([^"]*)" rel="prev">', second.content.decode())
    assert previous
    assert "tag=verkehr" in html.unescape(previous.group(1))


def test_out_of_range_page_shows_the_last_page(client, organisation_area):
    _org, index = organisation_area
    consultation(index, title="Einzige Beteiligung")

    for page in ("99", "abc"):
        assert listed_titles(client.get("/beteiligungen/", {"page": page})) == [
            "Einzige Beteiligung"
        ]


def test_home_page_lists_open_consultations(client, catalogue):
    response = client.get("/")
    page = response.content.decode()

    titles = listed_titles(response)
    assert {"Radwege am Fluss", "Busnetz 2030"} <= set(titles)
    assert "Neuer Marktplatz" in titles  # "Coming up"
    for not_open in ("Spielplatz Süd", "Haushalt 2024", "Geheimer Entwurf"):
        assert not_open not in titles
    assert "Jetzt mitmachen" in page


def test_home_page_without_open_consultations_says_so(client, organisation_area):
    _org, index = organisation_area
    consultation(index, title="Haushalt 2024", state="finished")

    response = client.get("/")

    assert listed_titles(response) == []
    assert "Zurzeit ist keine Beteiligung offen." in response.content.decode()


def test_english_list(client, catalogue):
    response = client.get("/en/beteiligungen/", {"state": "open"})
    page = response.content.decode()

    assert '<html lang="en">' in page
    assert "<h1>Consultations</h1>" in page
    assert "2 consultations" in page
    assert "Apply filters" in page
    assert set(listed_titles(response)) == {"Radwege am Fluss", "Busnetz 2030"}


def test_english_error_message(client, catalogue):
    response = client.get("/en/beteiligungen/", {"state": "bogus"})

    assert "Please check the filters:" in error_box(response)
    assert "Select a valid choice. bogus is not one of the available choices." in error_box(
        response
    )


def test_valid_filters_apply_when_another_is_bad(client, organisation_area):
    _org, index = organisation_area
    consultation(index, title="Radwege am Fluss", state="open")
    consultation(index, title="Marktplatz", state="open")
    response = client.get("/beteiligungen/?q=Radwege&state=bogus")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Radwege am Fluss" in html
    assert "Marktplatz" not in html
    assert "Bitte prüfen Sie die Filter" in html
