"""Feeds, calendars, JSON-LD, open data and the DCAT-AP.de catalogue, as their readers
(feed readers, calendar apps, search engines, GovData) parse them."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.core.files.storage import default_storage
from django.test import Client, override_settings
from django.urls import reverse
from icalendar import Calendar
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from participation.api.export import PLATFORM_CSV, PLATFORM_JSON, open_data_export
from participation.comments.services import comment_create
from participation.proposals.services import proposal_create

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")


@pytest.fixture
def content(open_page, citizen, speaker, pre_page):
    comment_create(author=citizen, consultation=open_page, body="Öffentlich </script><b>x</b>")
    comment_create(author=speaker, consultation=open_page, body="Die Stadt prüft.", official=True)
    comment_create(author=citizen, consultation=pre_page, body="Noch nicht geprüft")
    proposal_create(
        author=citizen, consultation=open_page, title="Bänke", body="Mehr Bänke, bitte."
    )
    return open_page


def atom(url: str) -> ET.Element:
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own output)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.findtext(f"{ATOM}{required}"), required
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{required}"), required
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
        assert entry.findtext(f"{ATOM}author/{ATOM}name") or feed.findtext(
            f"{ATOM}author/{ATOM}name"
        )
    return feed


@pytest.mark.parametrize(
    "name,args",
    [
        ("feed_consultations", []),
        ("feed_organisation", ["musterstadt"]),
        ("feed_statements", []),
        ("feed_results", []),
    ],
)
def test_every_feed_is_valid_atom(content, name, args):
    atom(reverse(name, args=args))


def test_contributions_feed_has_published_contributions_and_proposals(content, pre_page):
    feed = atom(reverse("feed_consultation_contributions", args=[content.pk]))
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert len(titles) == 3
    assert any("Bänke" in title for title in titles)
    body = ET.tostring(feed, encoding="unicode")
    assert "Noch nicht geprüft" not in body


def test_statements_feed(content):
    feed = atom(reverse("feed_statements"))
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Stadt Musterstadt"


def test_pages_link_their_feeds_and_calendar(client, content):
    soup = BeautifulSoup(client.get(content.url).content, "html.parser")
    feeds = [link["href"] for link in soup.select("head link[rel=alternate]")]
    assert reverse("feed_consultation_contributions", args=[content.pk]) in feeds
    assert reverse("consultation_calendar", args=[content.pk]) in " ".join(feeds)
    index = BeautifulSoup(client.get(content.get_parent().url).content, "html.parser")
    types = {link["type"] for link in index.select("head link[rel=alternate]")}
    assert "application/atom+xml" in types


def test_calendar_parses_with_icalendar(client, content):
    response = client.get(reverse("consultation_calendar", args=[content.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == content.phases.count()
    for event in events:
        assert event["UID"] and event["DTSTART"].dt < event["DTEND"].dt
        assert str(event["URL"]).endswith(content.url)
    platform = Calendar.from_ical(client.get(reverse("platform_calendar")).content)
    assert len(list(platform.walk("VEVENT"))) >= len(events)


def test_calendar_extension_point(client, content):
    from datetime import timedelta

    from django.utils import timezone
    from wagtail import hooks

    now = timezone.now()

    def ballot_events(request):
        return [
            {
                "uid": "ballot-1@allmende",
                "summary": "Abstimmung über die Netiquette",
                "starts_at": now,
                "ends_at": now + timedelta(days=7),
            }
        ]

    with hooks.register_temporarily("allmende_calendar_events", ballot_events):
        calendar = Calendar.from_ical(client.get(reverse("platform_calendar")).content)
    assert "ballot-1@allmende" in [str(e["UID"]) for e in calendar.walk("VEVENT")]


def _json_ld(soup) -> list:
    blocks = []
    for script in soup.select('script[type="application/ld+json"]'):
        data = json.loads(script.string)
        blocks += data if isinstance(data, list) else [data]
    return blocks


def test_json_ld_on_consultation_and_organisation_pages(client, content):
    html = client.get(content.url).content.decode()
    assert "</script><b>" not in html.split('type="application/ld+json"')[1].split("</script>")[0]
    blocks = _json_ld(BeautifulSoup(html, "html.parser"))
    types = [block["@type"] for block in blocks]
    assert types.count("Event") == content.phases.count()
    posts = [b for b in blocks if b["@type"] == "DiscussionForumPosting"]
    assert {p["author"]["name"] for p in posts} == {"Frieda Feldweg", "Stadt Musterstadt"}
    assert any("</script><b>x</b>" in p["text"] for p in posts)
    organisation = _json_ld(
        BeautifulSoup(client.get(content.get_parent().url).content, "html.parser")
    )
    assert organisation[0]["@type"] == "GovernmentOrganization"
    assert organisation[0]["name"] == "Stadt Musterstadt"


def test_consultation_export_json_and_csv(client, content, citizen):
    data = json.loads(client.get(reverse("consultation_export", args=[content.pk, "json"])).content)
    assert data["consultation"]["id"] == content.pk
    assert len(data["comments"]) == 2 and len(data["proposals"]) == 1
    text = json.dumps(data)
    assert citizen.email not in text and "Noch nicht geprüft" not in text
    response = client.get(reverse("consultation_export", args=[content.pk, "csv"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["type"] for row in rows].count("comment") == 2
    assert {row["author"] for row in rows if row["type"] == "comment"} == {
        "Frieda Feldweg",
        "Pressestelle",
    }


def test_platform_export_task_writes_under_media(content, citizen):
    result = open_data_export.enqueue()
    assert result.return_value["consultations"] >= 2
    data = json.loads(default_storage.open(PLATFORM_JSON).read())
    assert any(c["consultation"]["id"] == content.pk for c in data["consultations"])
    text = default_storage.open(PLATFORM_CSV).read().decode()
    assert "Frieda Feldweg" in text and citizen.email not in text
    assert "Noch nicht geprüft" not in text


MANDATORY_DATASET = [DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCATDE.contributorID]
MANDATORY_DISTRIBUTION = [DCAT.accessURL, DCTERMS.license, DCTERMS.format]


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_dcat_catalogue_carries_the_mandatory_properties(client, content, fmt, parser):
    response = client.get(reverse("open_data_catalogue", args=[fmt]))
    graph = Graph().parse(data=response.content, format=parser)
    [catalogue] = graph.subjects(RDF.type, DCAT.Catalog)
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher):
        assert graph.value(catalogue, prop) is not None
    datasets = list(graph.objects(catalogue, DCAT.dataset))
    assert len(datasets) >= 3  # two public consultations and the platform export
    for dataset in datasets:
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        for prop in MANDATORY_DATASET:
            assert graph.value(dataset, prop) is not None, (dataset, prop)
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert distributions
        for distribution in distributions:
            for prop in MANDATORY_DISTRIBUTION:
                assert graph.value(distribution, prop) is not None, (distribution, prop)
    page_dataset = URIRef(f"http://testserver{content.url}#dataset")
    publisher = graph.value(page_dataset, DCTERMS.publisher)
    assert (
        str(graph.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))) == "Stadt Musterstadt"
    )
    licences = set(graph.objects(None, DCTERMS.license))
    assert licences == {URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")}


@override_settings(OPEN_DATA_LICENCE="cc-by/4.0")
def test_licence_follows_the_setting(client, content):
    graph = Graph().parse(data=client.get(reverse("open_data_catalogue", args=["ttl"])).content)
    assert set(graph.objects(None, DCTERMS.license)) == {
        URIRef("http://dcat-ap.de/def/licenses/cc-by/4.0")
    }


def test_consultation_list_links_the_platform_feeds(client, content):
    soup = BeautifulSoup(client.get(reverse("consultation_list")).content, "html.parser")
    hrefs = {link["href"] for link in soup.select("head link[rel=alternate]")}
    assert {
        reverse("feed_consultations"),
        reverse("feed_statements"),
        reverse("feed_results"),
    } <= hrefs
