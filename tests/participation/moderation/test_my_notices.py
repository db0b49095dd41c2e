"""My moderation notices (Meine Meldungen): what each notice was about, by the rule every
channel asks (its text and link only while the public sees it in a consultation the
reporter may see), the state of the notice and the decision on it."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Page

from participation.comments.services import comment_delete_by_author
from participation.moderation.services import decision_create, report_create, report_reject
from tests.participation.moderation.helpers import RULE_FACTS, proposal, published_comment
from tests.participation.moderation.test_notice_visibility import restrict

pytestmark = pytest.mark.django_db

BODY = "**Fahrradstraße** statt [Parkplätze](https://example.org/werbung), sagt _jemand_"
WORDS = "Fahrradstraße statt Parkplätze, sagt jemand"
URL = "/en/moderation/meine/"


def notice(target, reporter, ip="10.0.0.7"):
    return report_create(
        target=target,
        reporter=reporter,
        kind="rule",
        clause="2",
        explanation="Das ist **Werbung** und beleidigend.",
        good_faith=True,
        ip=ip,
    )


def decide(w, target, action):
    return decision_create(
        moderator=w.org_mandate,
        target=target,
        action=action,
        facts=RULE_FACTS,
        ground_type="rule",
        clause="2",
        ground_explanation="Beleidigung nach Nr. 2 der Netiquette.",
    )


def my_notices(client, user):
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.select(".my-notices__item"), soup


def _text(item) -> str:
    return item.get_text(" ", strip=True)


def test_a_published_contribution_is_named_and_linked_without_markup(client, w):
    comment = published_comment(w.town_consultation, w.author, body=BODY)
    notice(comment, w.citizen)
    [item], _soup = my_notices(client, w.citizen)
    link = item.select_one(".my-notices__what a")
    assert link["href"] == comment.get_absolute_url()
    assert link.get_text(strip=True) == WORDS
    assert "**" not in _text(item) and "](" not in _text(item)
    consultation = item.select_one(".my-notices__facts a")
    assert consultation.get_text(strip=True) == "Radwege"
    assert consultation["href"] == w.town_consultation.url
    assert "Contribution:" in _text(item)
    assert "Open" in _text(item)


def test_a_proposal_is_named_by_its_title(client, w):
    notice(proposal(w.town_consultation, w.author, title="Mehr Fahrradbügel"), w.citizen)
    [item], _soup = my_notices(client, w.citizen)
    assert (
        item.select_one(".my-notices__what a")
        .get_text(strip=True)
        .startswith("Mehr Fahrradbügel: Am Bahnhof")
    )


@pytest.mark.parametrize(
    ("action", "says", "decision"),
    [("hide", "Content hidden by the moderation", "Hide"), ("remove", "Content removed", "Remove")],
)
def test_hidden_or_removed_content_is_named_without_its_text(client, w, action, says, decision):
    comment = published_comment(w.town_consultation, w.author, body=BODY)
    notice(comment, w.citizen)
    decide(w, comment, action)
    [item], _soup = my_notices(client, w.citizen)
    text = _text(item)
    assert says in text
    assert "Fahrradstraße" not in text and comment.get_absolute_url() not in str(item)
    assert "Decided" in text
    assert f"Decision {decision}," in text
    # The consultation itself is still public: it is named and linked.
    assert item.select_one(".my-notices__facts a").get_text(strip=True) == "Radwege"


def test_a_reversed_decision_says_so_and_the_restored_content_shows_again(client, w):
    comment = published_comment(w.town_consultation, w.author, body=BODY)
    notice(comment, w.citizen)
    hidden = decide(w, comment, "hide")
    restored = decide(w, comment, "restore")
    hidden.reversed_by = restored
    hidden.save(update_fields=["reversed_by"])
    [item], _soup = my_notices(client, w.citizen)
    assert item.select_one(".my-notices__what a").get_text(strip=True) == WORDS
    assert "Hide," in _text(item) and "(reversed)" in _text(item)


def test_content_deleted_by_its_author(client, w):
    comment = published_comment(w.town_consultation, w.author, body=BODY)
    notice(comment, w.citizen)
    comment_delete_by_author(comment=comment)
    [item], _soup = my_notices(client, w.citizen)
    assert "Deleted by its author" in _text(item)
    assert item.select_one(".my-notices__what a") is None


def test_content_that_is_gone_altogether(client, w):
    comment = published_comment(w.town_consultation, w.author, body=BODY)
    notice(comment, w.citizen)
    comment.delete()
    [item], _soup = my_notices(client, w.citizen)
    assert "The content no longer exists" in _text(item)
    assert "Fahrradstraße" not in _text(item)


def test_a_rejected_notice_says_no_action_was_taken(client, w):
    comment = published_comment(w.town_consultation, w.author, body=BODY)
    report = notice(comment, w.citizen)
    report_reject(reports=[report], moderator=w.org_mandate, reasons="Sachliche Kritik.")
    [item], _soup = my_notices(client, w.citizen)
    text = _text(item)
    assert "Rejected (no action)" in text
    assert "The moderation took no action" in text
    # The content stays public, and so does its link.
    assert item.select_one(".my-notices__what a")["href"] == comment.get_absolute_url()


@pytest.mark.parametrize("how", ["unpublished", "password"])
def test_a_consultation_no_longer_public_hides_its_title_and_the_text(client, w, how):
    comment = published_comment(w.town_consultation, w.author, body=BODY)
    notice(comment, w.citizen)
    restrict(Page.objects.get(pk=w.town_consultation.pk), how)
    [item], _soup = my_notices(client, w.citizen)
    text = _text(item)
    assert "No longer publicly visible" in text
    assert "Fahrradstraße" not in text and "Radwege" not in text
    assert item.select("a") == []


def test_its_editor_still_sees_a_restricted_consultation(client, w):
    """The rule is the one every channel asks: the consultation's editors see it."""
    comment = published_comment(w.town_consultation, w.author, body=BODY)
    notice(comment, w.editor)
    restrict(Page.objects.get(pk=w.town_consultation.pk), "password")
    [item], _soup = my_notices(client, w.editor)
    assert item.select_one(".my-notices__what a").get_text(strip=True) == WORDS


def test_a_display_name_notice_does_not_give_away_the_name_now(client, w):
    w.author.display_name = "Alter Name"
    w.author.save(update_fields=["display_name"])
    notice(w.author, w.citizen)
    w.author.display_name = "Neuer Name"
    w.author.save(update_fields=["display_name"])
    [item], _soup = my_notices(client, w.citizen)
    text = _text(item)
    assert "Display name:" in text and "the display name of a participant" in text
    assert "Neuer Name" not in text and "Alter Name" not in text


def test_only_ones_own_notices_are_listed(client, w):
    mine = published_comment(w.town_consultation, w.author, body="Mein gemeldeter Beitrag")
    theirs = published_comment(w.town_consultation, w.author, body="Fremd gemeldeter Beitrag")
    notice(mine, w.citizen)
    notice(theirs, w.editor, ip="10.0.0.8")
    items, soup = my_notices(client, w.citizen)
    assert len(items) == 1
    assert "Mein gemeldeter Beitrag" in soup.get_text()
    assert "Fremd gemeldeter Beitrag" not in soup.get_text()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
