"""BITV 2.0: the Easy Read page (Leichte Sprache), the sign-language page (DGS) and the
accessibility statement render for everyone, in the German and the English interface, and
every footer and the start page lead to both § 4 pages."""

import itertools
import re

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document

from cms.models import SignLanguagePage
from tests.cms.accessibility_helpers import CONTACT, accessibility_pages
from tests.factories import UserFactory, log_in_with_second_factor

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def main_of(response):
    main = soup_of(response).find("main")
    assert main is not None
    return main


def heading_levels(main) -> list[int]:
    return [int(h.name[1]) for h in main.find_all(re.compile(r"^h[1-6]$"))]


def assert_headings_in_order(main) -> None:
    levels = heading_levels(main)
    assert levels[0] == 1 and levels.count(1) == 1, levels
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels


def test_easy_read_page_in_german(client):
    accessibility_pages()
    response = client.get("/leichte-sprache/")
    page = soup_of(response)
    assert page.html["lang"] == "de"
    article = page.find("main").find("article")
    assert article["lang"] == "de"
    assert "easy-read" in article["class"]
    assert article.find("h1").get_text(strip=True) == "Leichte Sprache"
    assert "Hier können Sie mit-reden." in article.get_text()
    assert "Here you can have your say." not in article.get_text()
    assert_headings_in_order(page.find("main"))


def test_easy_read_page_in_english_shows_the_easy_read_text(client):
    accessibility_pages()
    page = soup_of(client.get("/en/leichte-sprache/"))
    assert page.html["lang"] == "en"
    article = page.find("main").find("article")
    assert article["lang"] == "en"
    assert article.find("h1").get_text(strip=True) == "Easy Read"
    assert "Here you can have your say." in article.get_text()
    assert "Hier können Sie mit-reden." not in article.get_text()


def test_without_an_english_text_the_german_one_is_marked_as_german(client):
    accessibility_pages(english=False)
    page = soup_of(client.get("/en/leichte-sprache/"))
    assert page.html["lang"] == "en"
    article = page.find("main").find("article")
    assert article["lang"] == "de"
    assert "Hier können Sie mit-reden." in article.get_text()


def test_sign_language_page_without_video_says_it_is_in_preparation(client):
    statement, _easy, _sign = accessibility_pages()
    main = main_of(client.get("/gebaerdensprache/"))
    assert main.find("h1").get_text(strip=True) == "Deutsche Gebärdensprache"
    assert main.find("video") is None
    text = main.get_text(" ", strip=True)
    assert "Das Video in Deutscher Gebärdensprache ist in Vorbereitung." in text
    assert main.find("a", href=f"mailto:{CONTACT}") is not None
    assert main.find("a", href=f"{statement.url}#feedback-heading") is not None
    # The text alternative is there all the same, under its own heading.
    assert main.find("h2", id="transcript-heading") is not None
    assert "Hier reden Sie mit." in text
    assert_headings_in_order(main)

    english = main_of(client.get("/en/gebaerdensprache/"))
    assert english.find("h1").get_text(strip=True) == "German Sign Language"
    assert "The video in German Sign Language is in preparation." in english.get_text(" ")
    # No English transcript: the German one, marked as German.
    assert english.find("div", class_="prose")["lang"] == "de"


def video_document(name: str = "dgs.mp4", content: bytes = b"\x00\x00\x00\x18ftypmp42") -> Document:
    document = Document(title="Allmende in DGS")
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def test_sign_language_page_plays_the_uploaded_video_with_its_text_alternative(client):
    _statement, _easy, sign = accessibility_pages()
    sign.video = video_document()
    sign.save_revision().publish()
    main = main_of(client.get("/gebaerdensprache/"))
    video = main.find("video")
    assert video is not None and video.has_attr("controls")
    source = video.find("source")
    assert source["type"] == "video/mp4"
    assert source["src"] == sign.video.url
    caption = main.find(id=video["aria-describedby"])
    assert "Video in Deutscher Gebärdensprache (DGS)." in caption.get_text()
    assert caption.find("a", href="#transcript-heading") is not None
    assert "In Vorbereitung" not in main.get_text()
    # The video is played from the platform itself, in the page.
    served = client.get(source["src"])
    assert served.status_code == 200
    assert served["Content-Type"] == "video/mp4"
    assert "attachment" not in served.get("Content-Disposition", "")


def test_only_a_video_file_can_be_the_sign_language_video():
    page = SignLanguagePage(title="DGS", slug="dgs")
    page.video = video_document("plan.pdf", b"%PDF-1.4")
    with pytest.raises(ValidationError) as refused:
        page.clean()
    assert "video" in refused.value.message_dict


@pytest.mark.parametrize(
    ("status", "sentence"),
    [
        ("full", "vollständig vereinbar"),
        ("partial", "teilweise vereinbar"),
        ("none", "nicht vereinbar"),
    ],
)
def test_statement_names_the_conformance_status_the_operator_chose(client, status, sentence):
    accessibility_pages(conformance=status)
    main = main_of(client.get("/barrierefreiheit/"))
    status_text = main.find(class_="accessibility-statement__status").get_text(" ", strip=True)
    assert sentence in status_text
    assert "BITV 2.0" in status_text and "EN 301 549" in status_text and "WCAG 2.1" in status_text


def test_statement_lists_barriers_dates_method_feedback_and_enforcement(client):
    accessibility_pages()
    main = main_of(client.get("/barrierefreiheit/"))
    text = main.get_text(" ", strip=True)
    headings = [h.get_text(strip=True) for h in main.find_all("h2")]
    assert headings == [
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Feedback und Kontaktangaben",
        "Durchsetzungsverfahren",
    ]
    assert_headings_in_order(main)
    barrier = main.find("li", class_="barrier")
    assert barrier.find("h3").get_text(strip=True) == "Alte Pläne als PDF"
    assert "Die Pläne sind eingescannt." in barrier.get_text()
    assert "Wir senden Ihnen den Inhalt als Text." in barrier.get_text()
    assert "1. September 2026" in text and "15. November 2026" in text
    assert "Selbstbewertung" in text and "Prüfung mit Tastatur und Bildschirmleser." in text
    # The feedback form: every field has its label.
    form = main.find("form", class_="feedback-form")
    for name in ("message", "page_url", "name", "email"):
        field = form.find(attrs={"name": name})
        assert form.find("label", attrs={"for": field["id"]}) is not None, name
    assert main.find("a", href=f"mailto:{CONTACT}") is not None
    # The enforcement procedure: the conciliation body under § 16 BGG and the states' own.
    assert main.find("a", href="https://www.schlichtungsstelle-bgg.de") is not None
    assert "Schlichtungsstelle nach § 16 des Behindertengleichstellungsgesetzes (BGG)" in text
    assert "(Landes-Durchsetzungsstelle)" in text


def test_statement_in_english_keeps_the_operators_german_text_marked(client):
    accessibility_pages()
    main = main_of(client.get("/en/barrierefreiheit/"))
    headings = [h.get_text(strip=True) for h in main.find_all("h2")]
    assert headings[0] == "Conformance status"
    assert "Enforcement procedure" in headings
    assert "partially conformant" in main.get_text(" ")
    assert main.find("p", class_="lead")["lang"] == "de"
    assert main.find("li", class_="barrier")["lang"] == "de"
    assert main.find("span", lang="de", string="Schlichtungsstelle nach § 16 BGG") is not None


def test_the_operator_replaces_the_enforcement_text(client):
    statement, _easy, _sign = accessibility_pages()
    statement.enforcement_text = "<p>Zuständig ist die Ombudsstelle des Landes Musterland.</p>"
    statement.save_revision().publish()
    main = main_of(client.get("/barrierefreiheit/"))
    assert "Ombudsstelle des Landes Musterland" in main.get_text()
    assert main.find("a", href="https://www.schlichtungsstelle-bgg.de") is None


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_footer_links_easy_read_and_sign_language(client, prefix):
    accessibility_pages()
    for path in ["/", reverse("consultation_list"), "/barrierefreiheit/", "/leichte-sprache/"]:
        response = client.get(prefix + path)
        footer = soup_of(response).find("footer")
        hrefs = {a["href"] for a in footer.find_all("a")}
        assert f"{prefix}/leichte-sprache/" in hrefs, (path, hrefs)
        assert f"{prefix}/gebaerdensprache/" in hrefs, (path, hrefs)
        assert f"{prefix}/barrierefreiheit/" in hrefs, (path, hrefs)
        labels = footer.get_text(" ", strip=True)
        if prefix:
            assert "Easy Read" in labels and "Sign language (DGS)" in labels
        else:
            assert "Leichte Sprache" in labels and "Gebärdensprache" in labels
        # The icons are drawn in the page and say nothing of their own.
        for icon in footer.select(".access-link svg"):
            assert icon["aria-hidden"] == "true"


def test_start_page_leads_to_easy_read_and_sign_language(client):
    accessibility_pages()
    main = main_of(client.get("/"))
    nav = main.find("nav", class_="access-links")
    assert nav is not None
    heading = nav.find(id=nav["aria-labelledby"])
    assert "Leichter Sprache" in heading.get_text() and "Gebärdensprache" in heading.get_text()
    hrefs = {a["href"] for a in nav.find_all("a")}
    assert hrefs == {"/leichte-sprache/", "/gebaerdensprache/"}
    assert_headings_in_order(main)


def test_without_the_pages_the_start_page_and_footer_say_nothing_of_them(client):
    main = soup_of(client.get("/"))
    assert main.find("nav", class_="access-links") is None
    assert main.select(".access-link") == []


def test_an_admin_edits_and_previews_the_three_page_types(client):
    statement, easy, sign = accessibility_pages()
    admin = UserFactory(is_superuser=True, is_staff=True)
    log_in_with_second_factor(client, admin)
    home = statement.get_parent()
    for page in (statement, easy, sign):
        model = page.specific_class._meta.model_name
        assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200, model
        preview = page.make_preview_request()
        assert preview.status_code == 200, model
        assert page.title in preview.content.decode()
    # Only one statement per site; the Easy Read and sign-language pages can be added.
    add = "/admin/pages/add/cms/{}/" + f"{home.pk}/"
    assert client.get(add.format("easylanguagepage")).status_code == 200
    assert client.get(add.format("signlanguagepage")).status_code == 200
    assert client.get(add.format("accessibilitystatementpage")).status_code in (302, 403)
