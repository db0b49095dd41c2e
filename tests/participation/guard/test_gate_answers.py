"""What the writer is told when the moderation gate refuses or holds a contribution,
through every entry point: the comment and proposal forms (page and htmx) and the API
back channel. Slow mode is a 429 with Retry-After; a held contribution says why it waits."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation

from participation.api.models import TokenScope
from participation.api.tokens import token_create
from participation.comments.models import Comment
from participation.gate.policy import young_account_message
from participation.guard.services import calm_mode_start
from participation.proposals.models import ModerationStatus, Proposal
from tests.factories import TEST_PASSWORD, UserFactory
from tests.participation.guard.conftest import old_user
from tests.participation.moderation.helpers import premoderate, suspend_from, world

pytestmark = pytest.mark.django_db

SLOW_MODE = "Calm mode is on in this consultation: everyone can contribute once every 5 minutes."
PREMODERATION = (
    "The moderation checks new contributions in this consultation before they appear. Your "
    "contribution is saved and waits for approval."
)
PROPOSAL = {"title": "Mehr Bänke am Markt", "body": "Am Markt fehlen Sitzplätze für Ältere."}


@pytest.fixture
def w():
    return world()


@pytest.fixture
def calm(w):
    page = w.town_consultation
    calm_mode_start(consultation=page, started_by=w.superuser, reason="Sehr viele Beiträge.")
    return page


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def signed_in(client, user):
    client.login(username=user.username, password=TEST_PASSWORD)
    return user


def english(msgid: str) -> str:
    with translation.override("en"):
        return translation.gettext(msgid)


def young_account_reason() -> str:
    with translation.override("en"):
        return young_account_message(7)


# --- comments, the web form -------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_slow_mode_answers_429_with_retry_after(client, w, calm, htmx):
    signed_in(client, old_user())
    url = en("comment_create", calm.pk)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    assert client.post(url, {"body": "Mein erster Beitrag zur Sache."}).status_code == 302
    second = client.post(url, {"body": "Gleich noch ein Beitrag hinterher."}, **headers)
    assert second.status_code == 429
    assert 240 < int(second["Retry-After"]) <= 300
    assert SLOW_MODE in text_of(second)
    assert "Gleich noch ein Beitrag hinterher." in second.content.decode()


def test_a_refusal_without_a_wait_has_no_retry_after(client, w):
    page = w.town_consultation
    author = signed_in(client, old_user())
    suspend_from(w, author, page)
    response = client.post(en("comment_create", page.pk), {"body": "Ein Versuch trotz Sperre."})
    assert response.status_code == 422
    assert "Retry-After" not in response
    assert "You are suspended from this consultation" in text_of(response)


def test_a_young_account_is_told_why_its_contribution_waits(client, w, calm):
    signed_in(client, UserFactory())
    response = client.post(
        en("comment_create", calm.pk), {"body": "Ich bin neu hier."}, follow=True
    )
    assert Comment.objects.get().status == Comment.Status.PENDING
    messages = [m.get_text(" ", strip=True) for m in soup(response).select(".messages li")]
    assert messages == [young_account_reason()]


def test_a_young_account_is_told_in_the_htmx_form_too(client, w, calm):
    signed_in(client, UserFactory())
    response = client.post(
        en("comment_create", calm.pk), {"body": "Ich bin neu hier."}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    status = soup(response).select_one("[data-form-status]")
    assert status.get_text(" ", strip=True) == young_account_reason()


def test_pre_moderation_by_the_moderation_says_so(client, w):
    page = w.town_consultation
    premoderate(w, page)
    signed_in(client, old_user())
    response = client.post(
        en("comment_create", page.pk), {"body": "Wartet auf Prüfung."}, follow=True
    )
    messages = [m.get_text(" ", strip=True) for m in soup(response).select(".messages li")]
    assert messages == [english(PREMODERATION)]


def test_published_at_once_no_waiting_message(client, w):
    page = w.town_consultation
    signed_in(client, old_user())
    response = client.post(en("comment_create", page.pk), {"body": "Gleich sichtbar."}, follow=True)
    messages = [m.get_text(" ", strip=True) for m in soup(response).select(".messages li")]
    assert messages == ["Your contribution has been published."]


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


# --- proposals, the web form ------------------------------------------------------------


def test_proposals_slow_mode_answers_429_with_retry_after(client, w, calm):
    signed_in(client, old_user())
    url = en("proposal_create", calm.pk)
    assert client.post(url, PROPOSAL).status_code == 302
    second = client.post(url, {**PROPOSAL, "title": "Noch ein Vorschlag"})
    assert second.status_code == 429
    assert 240 < int(second["Retry-After"]) <= 300
    assert SLOW_MODE in text_of(second)
    assert "Noch ein Vorschlag" in second.content.decode()
    assert Proposal.objects.count() == 1


def test_a_young_accounts_proposal_says_why_it_waits(client, w, calm):
    signed_in(client, UserFactory())
    response = client.post(en("proposal_create", calm.pk), PROPOSAL, follow=True)
    assert Proposal.objects.get().moderation_status == ModerationStatus.PENDING
    messages = [m.get_text(" ", strip=True) for m in soup(response).select(".messages li")]
    assert messages == [young_account_reason()]


# --- the API back channel ---------------------------------------------------------------


def bearer(user) -> dict:
    secret = token_create(
        user=user, name="Rückkanal", scopes=[TokenScope.COMMENT, TokenScope.PROPOSE]
    ).secret
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_ACCEPT_LANGUAGE": "en"}


def api_post(client, path: str, body: dict, headers: dict):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_api_slow_mode_answers_429_with_retry_after(client, w, calm):
    headers = bearer(old_user())
    path = f"/api/v1/consultations/{calm.pk}/comments/"
    assert api_post(client, path, {"body": "Erster Beitrag."}, headers).status_code == 201
    second = api_post(client, path, {"body": "Zweiter Beitrag."}, headers)
    assert second.status_code == 429
    assert 240 < int(second["Retry-After"]) <= 300
    assert second.json()["detail"].startswith(SLOW_MODE)
    proposal = api_post(client, f"/api/v1/consultations/{calm.pk}/proposals/", PROPOSAL, headers)
    assert proposal.status_code == 429
    assert 240 < int(proposal["Retry-After"]) <= 300


def test_api_suspension_is_a_403_with_the_reason(client, w):
    page = w.town_consultation
    author = old_user()
    suspend_from(w, author, page)
    response = api_post(
        client, f"/api/v1/consultations/{page.pk}/comments/", {"body": "Trotzdem."}, bearer(author)
    )
    assert response.status_code == 403
    assert "Retry-After" not in response
    assert response.json()["detail"].startswith("You are suspended from this consultation")


def test_api_says_why_a_held_comment_and_proposal_wait(client, w, calm):
    headers = bearer(UserFactory())
    comment = api_post(
        client, f"/api/v1/consultations/{calm.pk}/comments/", {"body": "Ich bin neu."}, headers
    )
    assert comment.status_code == 201
    assert comment.json()["status"] == "pending"
    assert comment.json()["hold_reason"] == young_account_reason()


def test_api_pending_proposal_is_answered_201_with_its_reason(client, w):
    page = w.town_consultation
    premoderate(w, page)
    response = api_post(
        client, f"/api/v1/consultations/{page.pk}/proposals/", PROPOSAL, bearer(old_user())
    )
    assert response.status_code == 201
    body = response.json()
    assert body["moderation_status"] == "pending"
    assert body["hold_reason"] == english(PREMODERATION)
    assert body["title"] == PROPOSAL["title"]
    # Still not public.
    assert client.get(body["api_url"]).status_code == 404


def test_api_published_comment_has_no_hold_reason(client, w):
    page = w.town_consultation
    response = api_post(
        client,
        f"/api/v1/consultations/{page.pk}/comments/",
        {"body": "Sofort da."},
        bearer(old_user()),
    )
    assert response.status_code == 201
    assert response.json()["status"] == "published"
    assert response.json()["hold_reason"] == ""
