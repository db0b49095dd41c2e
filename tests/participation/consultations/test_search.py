"""The consultation search finds parts of German words, alike on SQLite and PostgreSQL,
most relevant first; only what the public may see."""

import html
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from participation.consultations.models import ConsultationSearchText
from participation.consultations.search import fold, stem, terms_of
from participation.consultations.selectors import consultations_for_listing
from tests.factories import UserFactory, consultation, grant

pytestmark = pytest.mark.django_db

CORPUS = [
    # (title, summary, topics, body paragraph, state)
    ("Radverkehrskonzept 2030", "Wo fehlen Wege für Fahrräder?", ("Verkehr",), "", "open"),
    (
        "Neue Radwege in der Innenstadt",
        "Sichere Wege für alle, die mit dem Rad fahren.",
        (),
        "",
        "upcoming",
    ),
    ("Baumschutzsatzung", "Welche Bäume sollen geschützt werden?", ("Umwelt",), "", "finished"),
    ("Busspur Hauptstraße", "Schneller durch die Stadt.", ("Verkehr",), "", "evaluation"),
    ("Lärmaktionsplan", "Weniger Lärm an großen Straßen.", ("Umwelt",), "", "open"),
    ("Straßenbäume", "Neue Bäume für die Allee.", (), "", "upcoming"),
    ("Spielplätze im Quartier", "Wo sollen Kinder spielen?", ("Jugend",), "", "open"),
    ("Bürgerhaushalt 2027", "Sie entscheiden über 500 000 Euro.", (), "", "finished"),
    (
        "Parkraumkonzept Altstadt",
        "Parken, Anwohnerparken und Lieferzonen.",
        (),
        "Am Rand der Altstadt entstehen auch neue Radwege und ein Markt.",
        "open",
    ),
    ("Öffentliche Toiletten am Markt", "Wo fehlen Toiletten?", (), "", "open"),
    ("Friedhofssatzung", "Neue Regeln für Grab-Stätten.", (), "", "evaluation"),
    ("Wochenmarkt am Rathausplatz", "Mehr Stände, längere Öffnungszeiten.", (), "", "open"),
]
PUBLISHED = {entry[0] for entry in CORPUS}


@pytest.fixture
def corpus(organisation_area):
    _organisation, index = organisation_area
    pages = {}
    for title, summary, tags, paragraph, state in CORPUS:
        body = [("paragraph", RichText(f"<p>{paragraph}</p>"))] if paragraph else []
        pages[title] = consultation(
            index, title=title, summary=summary, tags=tags, state=state, body=body
        )
    # Never to be found: a draft, and a published page behind a password.
    consultation(index, title="Geheimer Lärmschutz Radweg", summary="Interner Entwurf.", live=False)
    private = consultation(index, title="Vertraulicher Radweg", summary="Nur intern.")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    return pages


def found(query, user=None) -> list[str]:
    return [page.title for page in consultations_for_listing(user or AnonymousUser(), query=query)]


EXPECTED_AMONG_THE_FIRST_THREE = [
    ("Radweg", {"Neue Radwege in der Innenstadt"}),  # a word's beginning
    ("Radwege", {"Neue Radwege in der Innenstadt"}),  # the whole word
    ("Radwegen", {"Neue Radwege in der Innenstadt"}),  # another case: its stem
    ("Bus", {"Busspur Hauptstraße"}),
    ("Baum", {"Baumschutzsatzung", "Straßenbäume"}),  # beginning, and inside a compound
    ("Bäume", {"Baumschutzsatzung", "Straßenbäume"}),
    ("Radverkehr", {"Radverkehrskonzept 2030"}),
    ("verkehr", {"Radverkehrskonzept 2030", "Busspur Hauptstraße"}),  # part and topic
    ("Radverkehrskonzept", {"Radverkehrskonzept 2030"}),
    ("Lärm", {"Lärmaktionsplan"}),
    ("Laerm", {"Lärmaktionsplan"}),
    ("LÄRM", {"Lärmaktionsplan"}),
    ("Strasse", {"Busspur Hauptstraße", "Straßenbäume", "Lärmaktionsplan"}),
    ("Straßenbaum", {"Straßenbäume"}),
    ("Spielplatz", {"Spielplätze im Quartier"}),
    ("Spielplätzen", {"Spielplätze im Quartier"}),
    ("bürger", {"Bürgerhaushalt 2027"}),
    ("BUERGERHAUSHALT", {"Bürgerhaushalt 2027"}),
    ("oeffentliche", {"Öffentliche Toiletten am Markt"}),
    ("Grabstätten", {"Friedhofssatzung"}),  # a hyphenated word, written as one
    ("Kinder spielen", {"Spielplätze im Quartier"}),  # the summary
    ("Radwege Innenstadt", {"Neue Radwege in der Innenstadt"}),
    ("Bus Hauptstraße", {"Busspur Hauptstraße"}),
    ("Radwege in der Innenstadt", {"Neue Radwege in der Innenstadt"}),  # stop words
    ("Altstadt Radweg", {"Parkraumkonzept Altstadt"}),  # title and body together
]

EXACTLY = [
    # Every word must match.
    ("Radwege Innenstadt", ["Neue Radwege in der Innenstadt"]),
    ("Bus Hauptstraße", ["Busspur Hauptstraße"]),
    ("Lärm Straße", ["Lärmaktionsplan"]),  # Busspur Hauptstraße says nothing of Lärm
    ("Baum Allee", ["Straßenbäume"]),
    # Nothing matches.
    ("Quantenphysik", []),
    ("Radwegxyz", []),
    ("zz", []),  # two letters match only a word's beginning
    ("Baumschutzsatzungen2", []),
    # Drafts and consultations behind a password are never found.
    ("Geheimer", []),
    ("Lärmschutz", []),
    ("Entwurf", []),
    ("Vertraulicher", []),
    ("intern", []),
    ("geheim", []),
    # Quotes and wildcards around a word are ignored.
    ('"Lärm"', ["Lärmaktionsplan"]),
    ("Lärm*", ["Lärmaktionsplan"]),
    ("Lärm%", ["Lärmaktionsplan"]),
    ("'Lärm'", ["Lärmaktionsplan"]),
    ("Lärm_", ["Lärmaktionsplan"]),
    ("%Lärm%", ["Lärmaktionsplan"]),
    ("Lärm;--", ["Lärmaktionsplan"]),
    ("\x00Lärm", ["Lärmaktionsplan"]),
    ("Lärm'; DROP TABLE participation_consultations_consultationsearchtext;--", []),
    # % and _ are no wildcards: as LIKE patterns these would match "Lärm".
    ("L%rm", []),
    ("L_rm", []),
    # Too long: cut to one long word, which is in no text.
    ("Radweg" * 2000, []),
]

WITHOUT_A_TERM = ["", "   ", "%", "_", '"', "*", "'", "%_%", "-", "\x00", "\u00b4`"]


def test_finds_the_expected_consultations_among_the_first_three(corpus):
    misses = {}
    for query, expected in EXPECTED_AMONG_THE_FIRST_THREE:
        results = found(query)
        if not expected <= set(results[:3]) or not set(results) <= PUBLISHED:
            misses[query] = results

    assert misses == {}


def test_finds_exactly(corpus):
    misses = {}
    for query, expected in EXACTLY:
        results = found(query)
        if results != expected:
            misses[query[:80]] = results

    assert misses == {}
    assert found(" ".join(["Radweg"] * 500)) == found("Radweg")


def test_a_query_without_letters_or_digits_lists_as_without_a_query(corpus):
    listing = found(None)

    assert set(listing) == PUBLISHED
    assert {query: found(query) for query in WITHOUT_A_TERM} == dict.fromkeys(
        WITHOUT_A_TERM, listing
    )


def test_ranking(corpus):
    radweg = found("Radweg")
    # The title above the body ("Radwege" only in Parkraumkonzept's body).
    assert radweg == ["Neue Radwege in der Innenstadt", "Parkraumkonzept Altstadt"]
    # A whole word of the title, a part of the title's "Wochenmarkt", a word of a body.
    assert found("Markt") == [
        "Öffentliche Toiletten am Markt",
        "Wochenmarkt am Rathausplatz",
        "Parkraumkonzept Altstadt",
    ]
    # A word's beginning above a part inside a compound.
    assert found("Baum") == ["Baumschutzsatzung", "Straßenbäume"]
    # Relevance overrides the listing's order (open first; Straßenbäume is upcoming).
    listing = found(None)
    assert listing.index("Lärmaktionsplan") < listing.index("Straßenbäume")
    assert found("Strasse") == ["Straßenbäume", "Busspur Hauptstraße", "Lärmaktionsplan"]


def listed_titles(response) -> list[str]:
    assert response.status_code == 200
    cards = re.findall(r'class="card__title"><a href="[^"]*">(.*?)</a>', response.content.decode())
    return [html.unescape(title) for title in cards]


def test_no_role_finds_drafts_or_private_consultations_in_the_list(
    client, corpus, organisation_area
):
    organisation, _index = organisation_area
    citizen = UserFactory()
    editor = UserFactory()
    grant(editor, organisation, "editor")
    superuser = UserFactory(is_superuser=True, is_staff=True)
    seen = {}
    for role, user in [
        ("anonymous", None),
        ("citizen", citizen),
        ("editor", editor),
        ("superuser", superuser),
    ]:
        client.logout()
        if user is not None:
            client.force_login(user)
        seen[role] = listed_titles(client.get("/beteiligungen/", {"q": "Radweg"}))

    expected = ["Neue Radwege in der Innenstadt", "Parkraumkonzept Altstadt"]
    assert seen == dict.fromkeys(seen, expected)


def test_the_list_page_searches_and_keeps_the_term(client, corpus):
    response = client.get("/beteiligungen/", {"q": "Laerm"})
    page = response.content.decode()

    assert listed_titles(response) == ["Lärmaktionsplan"]
    assert 'value="Laerm"' in page
    # The header's search form leads here.
    assert '<form class="site-search" role="search" action="/beteiligungen/"' in page
    assert 'id="site-search-q" type="search" name="q"' in page
    # Search and filters combine.
    response = client.get("/beteiligungen/", {"q": "verkehr", "state": "open"})
    assert listed_titles(response) == ["Radverkehrskonzept 2030"]
    # A query longer than the form allows is reported, and the list still shows.
    response = client.get("/beteiligungen/", {"q": "Radweg " * 100})
    assert 'role="alert"' in response.content.decode()
    assert set(listed_titles(response)) <= PUBLISHED
    assert listed_titles(response)


@pytest.fixture
def few(organisation_area):
    """A smaller corpus for the tests that change pages."""
    _organisation, index = organisation_area
    return {
        title: consultation(index, title=title, summary=summary, tags=tags)
        for title, summary, tags, *_rest in CORPUS
        if title in {"Friedhofssatzung", "Lärmaktionsplan", "Baumschutzsatzung", "Straßenbäume"}
    }


def test_an_unpublished_draft_change_is_not_found_until_published(few):
    page = few["Friedhofssatzung"]
    page.title = "Bestattungssatzung"
    page.save_revision()

    assert found("Bestattung") == []
    assert found("Friedhof") == ["Friedhofssatzung"]

    page.get_latest_revision().publish()

    assert found("Bestattung") == ["Bestattungssatzung"]
    assert found("Friedhof") == []


def test_an_unpublished_consultation_is_no_longer_found(few):
    few["Lärmaktionsplan"].unpublish()

    assert found("Lärm") == []


def test_a_page_without_stored_text_is_still_found(few):
    # A page published by a path that tells nobody (or before the search kept texts) is
    # read from the page itself.
    ConsultationSearchText.objects.filter(page=few["Lärmaktionsplan"]).delete()
    ConsultationSearchText.objects.filter(page=few["Straßenbäume"]).update(revision_id=None)

    assert found("Laerm") == ["Lärmaktionsplan"]
    assert found("Baum")[:2] == ["Baumschutzsatzung", "Straßenbäume"]


def test_publishing_stores_the_folded_text(few):
    page = few["Lärmaktionsplan"]
    page.refresh_from_db()
    text = ConsultationSearchText.objects.get(page=page)

    assert text.title == "larmaktionsplan"
    assert text.summary == "weniger larm an grossen strassen"
    assert text.tags == "umwelt"
    assert text.revision_id == page.live_revision_id is not None


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Lärm", "larm"),
        ("LAERM", "larm"),
        ("Straße", "strasse"),
        ("Öffentliche Toilette", "offentliche toilette"),
        ("Café-Bar, 100%!", "cafe bar 100"),
        ("a_b", "a b"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_terms_keep_stop_words_only_when_there_is_nothing_else():
    assert [term.text for term in terms_of("die Radwege in der Stadt")] == ["radwege", "stadt"]
    assert [term.text for term in terms_of("in der")] == ["in", "der"]
    assert terms_of("%_*") == []
    assert len(terms_of(" ".join(f"wort{n}" for n in range(50)))) == 8


@pytest.mark.parametrize(
    ("term", "stemmed"),
    [("radwege", "radweg"), ("strassen", "strass"), ("burger", "burger"), ("bus", "bus")],
)
def test_stem(term, stemmed):
    assert stem(term) == stemmed
