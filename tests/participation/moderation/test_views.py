"""The moderation pages: scope (inside the mandate: allowed; outside: 403), the notice
form without JavaScript, bad input on every form (clear errors, nothing lost)."""

import pytest
from django.utils import timezone

from participation.comments.models import Comment
from participation.moderation.models import Appeal, ModerationDecision, Report
from participation.moderation.services import appeal_create, decision_create, report_create
from tests.factories import log_in_with_second_factor
from tests.participation.moderation.helpers import RULE_FACTS, published_comment

pytestmark = pytest.mark.django_db

INSIDE = {
    "org_mandate": ("town",),
    "tag_mandate": ("town",),
    "platform_mandate": ("town", "other"),
    "superuser": ("town", "other"),
}


def notice(target, reporter, ip="10.0.0.1"):
    return report_create(
        target=target,
        reporter=reporter,
        kind="rule",
        clause="2",
        explanation="Eine Beleidigung im Beitrag.",
        good_faith=True,
        ip=ip,
    )


@pytest.fixture
def reported(w):
    town = published_comment(w.town_consultation, w.author, body="Beitrag in der Stadt")
    other = published_comment(w.other_consultation, w.author, body="Beitrag im Kreis")
    notice(town, w.citizen)
    notice(other, w.citizen)
    return w, {"town": town, "other": other}


@pytest.mark.parametrize("role", sorted(INSIDE))
def test_each_scope_acts_inside_and_gets_403_outside(client, reported, role):
    w, comments = reported
    moderator = getattr(w, role)
    log_in_with_second_factor(client, moderator)
    queue = client.get("/moderation/").content.decode()
    for place, comment in comments.items():
        inside = place in INSIDE[role]
        assert (comment.body in queue) is inside, (role, place)
        url = f"/moderation/entscheiden/beitrag/{comment.pk}/"
        assert client.get(url).status_code == (200 if inside else 403)
        response = client.post(
            url,
            {
                "action": "hide",
                "facts": RULE_FACTS,
                "ground_type": "rule",
                "clause": "2",
                "ground_explanation": "Beleidigung nach Nr. 2 der Netiquette.",
            },
        )
        comment.refresh_from_db()
        if inside:
            assert response.status_code == 302
            assert comment.status == Comment.Status.HIDDEN
            decision = ModerationDecision.objects.get(object_id=comment.pk)
            assert response["Location"] == decision.get_absolute_url()
            assert decision.moderator == moderator
        else:
            assert response.status_code == 403
            assert comment.status == Comment.Status.PUBLISHED


@pytest.mark.parametrize("role", ["citizen", "author", "editor", "org_moderator"])
def test_people_without_a_mandate_get_403(client, reported, role):
    w, comments = reported
    client.force_login(getattr(w, role))
    assert client.get("/moderation/").status_code == 403
    assert client.get(f"/moderation/entscheiden/beitrag/{comments['town'].pk}/").status_code == 403
    assert client.get("/moderation/beschwerden/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, reported):
    _w, comments = reported
    assert client.get("/moderation/").status_code == 302
    assert client.get(f"/moderation/entscheiden/beitrag/{comments['town'].pk}/").status_code == 302


def test_the_notice_form_works_without_javascript_for_anonymous_visitors(client, w):
    comment = published_comment(w.town_consultation, w.author)
    url = f"/en/moderation/melden/beitrag/{comment.pk}/"
    page = client.get(url).content.decode()
    assert comment.get_absolute_url() in page
    assert "2. Beleidigungen, Drohungen und Hassrede sind nicht erlaubt." in page
    response = client.post(
        url,
        {
            "kind": "rule",
            "clause": "2",
            "explanation": "Kurz",
            "reporter_name": "",
            "reporter_email": "eva@",
            "good_faith": "",
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    for message in ("at least 10 characters", "good faith", "valid e-mail", "your name"):
        assert message in text, message
    assert 'value="eva@"' in text and "Kurz</textarea>" in text  # nothing lost
    assert not Report.objects.exists()
    response = client.post(
        url,
        {
            "kind": "legal",
            "legal_ground": "stgb_185",
            "explanation": "Der Beitrag beleidigt mich.",
            "reporter_name": "Eva Muster",
            "reporter_email": "eva@example.org",
            "good_faith": "on",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.reporter is None and report.reporter_email == "eva@example.org"
    assert report.location_url == comment.get_absolute_url()
    received = client.get(response["Location"]).content.decode()
    assert "your notice was received" in received.lower()


def test_report_links_on_comments_proposals_and_options(client, w):
    from tests.participation.moderation.helpers import proposal

    comment = published_comment(w.town_consultation, w.author)
    prop = proposal(w.town_consultation, w.author)
    page = client.get(w.town_consultation.url).content.decode()
    assert f"/moderation/melden/beitrag/{comment.pk}/" in page
    detail = client.get(prop.get_absolute_url()).content.decode()
    assert f"/moderation/melden/vorschlag/{prop.pk}/" in detail
    assert f"/moderation/melden/vorschlag/{prop.pk}/anzeigename/" in detail
    assert client.get(f"/moderation/melden/vorschlag/{prop.pk}/anzeigename/").status_code == 200
    assert client.get(f"/moderation/melden/vorschlag/{prop.pk}/").status_code == 200


def test_hidden_content_cannot_be_reported_by_the_public(client, w):
    comment = published_comment(w.town_consultation, w.author)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.HIDDEN)
    assert client.get(f"/moderation/melden/beitrag/{comment.pk}/").status_code == 404


def test_bad_input_on_the_decision_form_keeps_what_was_written(client, reported):
    w, comments = reported
    log_in_with_second_factor(client, w.org_mandate)
    url = f"/en/moderation/entscheiden/beitrag/{comments['town'].pk}/"
    response = client.post(
        url,
        {
            "action": "hide",
            "facts": "Eine lange Schilderung.",
            "ground_type": "rule",
            "clause": "",
            "ground_explanation": "x",
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "choose the rule of the netiquette in force" in text
    assert "why the ground applies" in text
    assert "Eine lange Schilderung." in text
    assert not ModerationDecision.objects.exists()


def _offered(response) -> tuple[list[str], list[str]]:
    from bs4 import BeautifulSoup

    select = BeautifulSoup(response.content.decode(), "html.parser").find(
        "select", {"name": "action"}
    )
    options = select.find_all("option")
    return [o["value"] for o in options], [o["value"] for o in options if o.has_attr("selected")]


def test_the_decision_form_offers_what_fits_the_items_state_and_chooses_nothing(client, reported):
    w, comments = reported
    comment = comments["town"]
    log_in_with_second_factor(client, w.org_mandate)
    url = f"/en/moderation/entscheiden/beitrag/{comment.pk}/"

    values, selected = _offered(client.get(url))
    assert values == ["", "hide", "lock", "remove", "unlock"]  # public: no approval
    assert selected == [""]  # "Choose a decision"

    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)
    values, _selected = _offered(client.get(url))
    assert values == ["", "approve", "hide", "lock", "reject", "remove", "unlock"]
    assert _offered(client.get(f"{url}?action=reject"))[1] == ["reject"]

    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.HIDDEN)
    assert _offered(client.get(url))[0] == ["", "lock", "remove", "restore", "unlock"]

    response = client.post(url, {"action": "approve", "facts": RULE_FACTS})
    assert response.status_code == 422  # not offered, not taken
    assert not ModerationDecision.objects.exists()
    response = client.post(url, {"action": "", "facts": RULE_FACTS})
    assert response.status_code == 422


def test_decision_page_for_the_author_with_the_appeal_form(client, reported):
    w, comments = reported
    decision = decision_create(
        moderator=w.org_mandate,
        target=comments["town"],
        action="hide",
        facts=RULE_FACTS,
        ground_type="rule",
        clause="2",
        ground_explanation="Beleidigung nach Nr. 2.",
    )
    client.force_login(w.citizen)
    assert client.get(decision.get_absolute_url()).status_code == 403
    client.force_login(w.author)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert RULE_FACTS in page and "Netiquette, 1. Fassung, 2. Beleidigungen" in page
    assert "Send appeal" in page
    # English is active (conftest), so the URL carries /en/ and the page answers in English.
    response = client.post(f"{decision.get_absolute_url()}beschwerde/", {"text": "kurz"})
    assert response.status_code == 422 and "at least 10 characters" in response.content.decode()
    response = client.post(
        f"{decision.get_absolute_url()}beschwerde/", {"text": "Das war sachliche Kritik."}
    )
    assert response.status_code == 302
    assert Appeal.objects.get().status == "open"
    mine = client.get("/moderation/meine/").content.decode()
    assert decision.get_absolute_url() in mine


def test_the_appeal_queue_leaves_out_own_decisions_and_the_other_moderator_decides(
    client, reported
):
    w, comments = reported
    decision = decision_create(
        moderator=w.org_mandate,
        target=comments["town"],
        action="hide",
        facts=RULE_FACTS,
        ground_type="rule",
        clause="2",
        ground_explanation="Beleidigung nach Nr. 2.",
    )
    appeal = appeal_create(decision=decision, appellant=w.author, text="Das war sachliche Kritik.")
    url = f"/moderation/beschwerden/{appeal.pk}/"
    log_in_with_second_factor(client, w.org_mandate)
    assert url not in client.get("/moderation/beschwerden/").content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, {"outcome": "reverse", "reasons": "Eigene Prüfung"}).status_code == 403
    log_in_with_second_factor(client, w.tag_mandate)
    assert url in client.get("/moderation/beschwerden/").content.decode()
    assert client.post(url, {"outcome": "", "reasons": ""}).status_code == 422
    response = client.post(url, {"outcome": "reverse", "reasons": "Sachlich und zulässig."})
    assert response.status_code == 302
    comments["town"].refresh_from_db()
    assert comments["town"].status == Comment.Status.PUBLISHED
    appeal.refresh_from_db()
    assert appeal.status == "reversed" and appeal.decided_at <= timezone.now()


def test_the_header_links_the_queue_for_mandate_holders_only(client, w):
    log_in_with_second_factor(client, w.tag_mandate)
    assert 'href="/moderation/"' in client.get("/beteiligungen/").content.decode()
    log_in_with_second_factor(client, w.org_moderator)
    assert 'href="/moderation/"' not in client.get("/beteiligungen/").content.decode()
