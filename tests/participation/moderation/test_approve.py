"""One-click approval ("Freigeben") in the moderation queue: for each role inside and
outside its mandate, for bad input and a missing CSRF token; the decision it records
(action approve, standard facts, no ground, source and mandate); the queue's buttons with
and without htmx; and "Reject", which keeps the full decision form."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import translation

from participation.comments.models import Comment
from participation.consultations.models import ConsultationPage
from participation.live.events import last_event_id
from participation.live.groups import consultation_group
from participation.live.models import LiveEvent
from participation.moderation.models import ModerationDecision, Report
from participation.moderation.scope import mandate_used
from participation.moderation.services import APPROVAL_FACTS
from participation.proposals.models import ModerationStatus
from tests.factories import log_in_with_second_factor
from tests.participation.moderation.helpers import proposal, published_comment
from tests.participation.moderation.test_api import notice

pytestmark = pytest.mark.django_db

INSIDE = ("org_mandate", "tag_mandate", "platform_mandate", "superuser")
NOT_MODERATORS = ("citizen", "author", "editor", "org_moderator")


def pre_moderated(page) -> ConsultationPage:
    ConsultationPage.objects.filter(pk=page.pk).update(moderation_mode="pre")
    return ConsultationPage.objects.get(pk=page.pk)


@pytest.fixture
def pending(w):
    town = pre_moderated(w.town_consultation)
    other = pre_moderated(w.other_consultation)
    return w, {
        "town": published_comment(town, w.author, body="Wartet in der Stadt"),
        "other": published_comment(other, w.author, body="Wartet im Kreis"),
    }


def approve_url(target, kind="beitrag") -> str:
    with translation.override("en"):
        return reverse("moderation_approve", args=[kind, target.pk])


def queue_url() -> str:
    with translation.override("en"):
        return reverse("moderation_queue")


def as_user(user) -> Client:
    client = Client()
    log_in_with_second_factor(client, user)
    return client


def german_facts() -> str:
    with translation.override("de"):
        return translation.gettext(APPROVAL_FACTS)


def status_of(comment) -> str:
    comment.refresh_from_db()
    return comment.status


# --- who may ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", INSIDE)
def test_a_mandate_inside_its_scope_approves_in_one_click(pending, role):
    w, comments = pending
    moderator = getattr(w, role)
    client = as_user(moderator)
    response = client.post(approve_url(comments["town"]))
    assert response.status_code == 302
    assert response["Location"] == queue_url()
    assert status_of(comments["town"]) == Comment.Status.PUBLISHED
    decision = ModerationDecision.objects.get()
    assert decision.action == ModerationDecision.Action.APPROVE
    assert decision.moderator == moderator
    assert decision.mandate == mandate_used(moderator, w.town_consultation)
    assert decision.source == ModerationDecision.Source.OWN_INITIATIVE
    assert decision.facts == german_facts()
    assert decision.ground_type == "" and decision.rule_version is None
    assert not decision.is_restriction
    page = client.get(response["Location"])
    assert "Approved and published: Wartet in der Stadt" in page.content.decode()


@pytest.mark.parametrize("role", ["org_mandate", "tag_mandate"])
def test_a_mandate_outside_its_scope_is_refused(pending, role):
    w, comments = pending
    response = as_user(getattr(w, role)).post(approve_url(comments["other"]))
    assert response.status_code == 403
    assert "This content is outside your moderation mandate." in response.content.decode()
    assert status_of(comments["other"]) == Comment.Status.PENDING
    assert not ModerationDecision.objects.exists()


@pytest.mark.parametrize("role", NOT_MODERATORS)
def test_people_without_a_mandate_are_refused(pending, role):
    w, comments = pending
    response = as_user(getattr(w, role)).post(approve_url(comments["town"]))
    assert response.status_code == 403
    assert status_of(comments["town"]) == Comment.Status.PENDING
    assert not ModerationDecision.objects.exists()


def test_anonymous_is_sent_to_sign_in(pending):
    _w, comments = pending
    response = Client().post(approve_url(comments["town"]))
    assert response.status_code == 302
    assert "login" in response["Location"] or "anmelden" in response["Location"]
    assert status_of(comments["town"]) == Comment.Status.PENDING


# --- bad input --------------------------------------------------------------------------


def test_get_is_not_allowed(pending):
    w, comments = pending
    assert as_user(w.org_mandate).get(approve_url(comments["town"])).status_code == 405
    assert status_of(comments["town"]) == Comment.Status.PENDING


@pytest.mark.parametrize("kind", ["beteiligung", "anzeigename", "option", "unbekannt"])
def test_only_contributions_and_proposals_can_be_approved(pending, kind):
    w, _comments = pending
    with translation.override("en"):
        url = reverse("moderation_approve", args=[kind, w.town_consultation.pk])
    assert as_user(w.platform_mandate).post(url).status_code == 404
    assert not ModerationDecision.objects.exists()


def test_an_unknown_contribution_is_404(pending):
    w, _comments = pending
    with translation.override("en"):
        url = reverse("moderation_approve", args=["beitrag", 999_999])
    assert as_user(w.platform_mandate).post(url).status_code == 404


def test_a_published_contribution_cannot_be_approved(w):
    comment = published_comment(w.town_consultation, w.author)
    response = as_user(w.org_mandate).post(approve_url(comment))
    assert response.status_code == 409
    assert "Not approved: This contribution is not in a state for this action." in (
        " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())
    )
    assert not ModerationDecision.objects.exists()


def test_a_second_click_does_not_decide_twice(pending):
    w, comments = pending
    client = as_user(w.org_mandate)
    assert client.post(approve_url(comments["town"])).status_code == 302
    assert client.post(approve_url(comments["town"])).status_code == 409
    assert ModerationDecision.objects.count() == 1


def test_without_the_csrf_token_nothing_happens(pending):
    w, comments = pending
    client = Client(enforce_csrf_checks=True)
    log_in_with_second_factor(client, w.org_mandate)
    assert client.post(approve_url(comments["town"])).status_code == 403
    assert status_of(comments["town"]) == Comment.Status.PENDING
    # The queue's own form carries the token and works.
    queue = client.get(queue_url())
    form = BeautifulSoup(queue.content, "html.parser").select_one("form[data-approve-form]")
    token = form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    response = client.post(form["action"], {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


# --- what it records --------------------------------------------------------------------


def test_with_a_notice_open_the_source_is_the_notice(pending):
    w, comments = pending
    report = notice(comments["town"], w.citizen)
    assert as_user(w.org_mandate).post(approve_url(comments["town"])).status_code == 302
    decision = ModerationDecision.objects.get()
    assert decision.source == ModerationDecision.Source.NOTICE
    assert list(decision.reports.all()) == [report]
    report.refresh_from_db()
    assert report.status == Report.Status.DECIDED


def test_readers_get_the_approved_contribution_live(pending):
    w, comments = pending
    since = last_event_id()
    as_user(w.org_mandate).post(approve_url(comments["town"]))
    rows = LiveEvent.objects.filter(
        room=consultation_group(w.town_consultation.pk), pk__gt=since, type="comment.created"
    )
    assert [row.type for row in rows] == ["comment.created"]


def test_a_pending_proposal_is_approved_too(w):
    page = pre_moderated(w.town_consultation)
    waiting = proposal(page, w.author)
    assert waiting.moderation_status == ModerationStatus.PENDING
    response = as_user(w.tag_mandate).post(approve_url(waiting, "vorschlag"))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.moderation_status == ModerationStatus.VISIBLE
    decision = ModerationDecision.objects.get()
    assert decision.action == ModerationDecision.Action.APPROVE and decision.facts == german_facts()


# --- the queue --------------------------------------------------------------------------


def test_the_queue_offers_approve_and_reject_for_waiting_items_only(pending):
    w, comments = pending
    reported = published_comment(w.town_consultation, w.citizen, body="Gemeldet, nicht wartend")
    notice(reported, w.author)
    soup = BeautifulSoup(as_user(w.org_mandate).get(queue_url()).content, "html.parser")
    waiting = soup.select_one(f"#queue-beitrag-{comments['town'].pk}")
    form = waiting.select_one("form[data-approve-form]")
    assert form["method"] == "post" and form["action"] == approve_url(comments["town"])
    assert form.select_one("input[name=csrfmiddlewaretoken]") is not None
    assert form["hx-post"] == form["action"]
    assert form.select_one("button").get_text(" ", strip=True).startswith("Approve")
    reject = [a for a in waiting.select("a") if a.get_text(strip=True).startswith("Reject")]
    assert reject and reject[0]["href"].endswith("?action=reject")
    other = soup.select_one(f"#queue-beitrag-{reported.pk}")
    assert other.select_one("form[data-approve-form]") is None


def test_reject_opens_the_full_form_with_reject_chosen(pending):
    w, comments = pending
    client = as_user(w.org_mandate)
    with translation.override("en"):
        url = reverse("moderation_decide", args=["beitrag", comments["town"].pk])
    soup = BeautifulSoup(client.get(f"{url}?action=reject").content, "html.parser")
    chosen = soup.select_one("[name=action] option[selected], [name=action][checked]")
    assert chosen is not None and chosen["value"] == "reject"
    assert soup.select_one("[name=ground_type]") is not None
    # Reject still needs its ground: without one nothing happens.
    response = client.post(url, {"action": "reject", "facts": "Beleidigt eine Person."})
    assert response.status_code == 422
    assert status_of(comments["town"]) == Comment.Status.PENDING


def test_with_htmx_the_list_comes_back_in_place(pending):
    w, comments = pending
    client = as_user(w.org_mandate)
    response = client.post(approve_url(comments["town"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("html") is None  # the list, not a page
    message = soup.select_one("[data-queue-message]")
    assert message["role"] == "status"
    assert message.get_text(strip=True) == "Approved and published: Wartet in der Stadt"
    assert soup.select_one(f"#queue-beitrag-{comments['town'].pk}") is None


def test_with_htmx_outside_the_mandate_the_refusal_comes_in_place(pending):
    w, comments = pending
    response = as_user(w.org_mandate).post(approve_url(comments["other"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    message = BeautifulSoup(response.content, "html.parser").select_one("[data-queue-message]")
    assert message["role"] == "alert"
    assert message.get_text(strip=True) == "This content is outside your moderation mandate."
    assert status_of(comments["other"]) == Comment.Status.PENDING
