"""Contributions are written in Markdown: moderation shows them as readers see them
(rendered and sanitised, participation/contributions/markup.py) where their text is shown
whole, and as plain words without markup where a heading, a label or an excerpt needs
text. What people type into moderation's own forms (a notice's explanation) is plain text
and stays so."""

import pytest
from bs4 import BeautifulSoup

from participation.contributions.markup import markdown_to_text
from participation.moderation.services import report_create
from tests.factories import log_in_with_second_factor
from tests.participation.moderation.helpers import proposal, published_comment

pytestmark = pytest.mark.django_db

BODY = (
    "**Fahrradstraße** statt [Parkplätze](https://example.org/werbung)\n\n"
    "* erstens\n* zweitens <script>alert(1)</script>"
)
WORDS = "Fahrradstraße statt Parkplätze erstens zweitens <script>alert(1)</script>"
EXPLANATION = "Siehe **Absatz 2** <b>hier</b>"


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("**fett** und _kursiv_", "fett und kursiv"),
        ("[Text](https://example.org)", "Text"),
        ("Zeile eins\nZeile zwei\n\n> Zitat", "Zeile eins Zeile zwei Zitat"),
        ("`a < b` &amp; c", "a < b & c"),
        ("<em>roh</em>", "<em>roh</em>"),  # raw HTML is text in contributions
        ("", ""),
    ],
)
def test_markdown_to_text(source, text):
    assert markdown_to_text(source) == text


def _reported(w, target):
    return report_create(
        target=target,
        reporter=w.citizen,
        kind="rule",
        clause="2",
        explanation=EXPLANATION,
        good_faith=True,
        ip="10.0.0.9",
    )


def test_the_queue_names_the_contribution_in_plain_words(client, w):
    comment = published_comment(w.town_consultation, w.author, body=BODY)
    _reported(w, comment)
    log_in_with_second_factor(client, w.org_mandate)
    soup = BeautifulSoup(client.get("/en/moderation/").content, "html.parser")
    title = soup.select_one(".moderation-queue__title")
    assert "Fahrradstraße statt Parkplätze erstens" in title.get_text(" ", strip=True)
    assert "**" not in title.get_text() and "](" not in title.get_text()
    assert title.select("script, strong, a") == []


def test_the_decision_form_shows_the_contribution_rendered_and_the_explanation_as_text(client, w):
    comment = published_comment(w.town_consultation, w.author, body=BODY)
    _reported(w, comment)
    log_in_with_second_factor(client, w.org_mandate)
    response = client.get(f"/en/moderation/entscheiden/beitrag/{comment.pk}/")
    soup = BeautifulSoup(response.content, "html.parser")
    quote = soup.select_one(".report-target__excerpt")
    assert quote.select_one("strong").get_text() == "Fahrradstraße"
    link = quote.select_one("a")
    assert link["href"] == "https://example.org/werbung"
    assert "nofollow" in link["rel"]
    assert [li.get_text(strip=True) for li in quote.select("li")][:1] == ["erstens"]
    assert "**" not in quote.get_text()
    assert quote.select("script") == [] and b"<script>alert(1)" not in response.content
    # The notice's explanation is the reporter's plain text: shown as typed, escaped.
    notices = soup.select_one(".report-list").decode_contents()
    assert "Siehe **Absatz 2** &lt;b&gt;hier&lt;/b&gt;" in notices


def test_the_notice_form_shows_the_contribution_rendered(client, w):
    comment = published_comment(w.town_consultation, w.author, body=BODY)
    client.force_login(w.citizen)
    response = client.get(f"/en/moderation/melden/beitrag/{comment.pk}/")
    quote = BeautifulSoup(response.content, "html.parser").select_one(".report-target__excerpt")
    assert quote.select_one("strong").get_text() == "Fahrradstraße"
    assert "**" not in quote.get_text()
    assert quote.select("script") == []


def test_a_proposal_shows_its_title_and_rendered_body(client, w):
    prop = proposal(w.town_consultation, w.author, title="<b>Mehr</b> Bügel")
    client.force_login(w.citizen)
    response = client.get(f"/en/moderation/melden/vorschlag/{prop.pk}/")
    quote = BeautifulSoup(response.content, "html.parser").select_one(".report-target__excerpt")
    assert quote.select_one("strong").get_text() == "<b>Mehr</b> Bügel"  # escaped, as text
    assert "Am Bahnhof fehlen" in quote.get_text()


def test_the_api_excerpt_is_plain_text(w):
    from participation.moderation.targets import reportable

    comment = published_comment(w.town_consultation, w.author, body=BODY)
    assert reportable(comment).excerpt == WORDS
