"""The moderation API answers in the language the client asks for with Accept-Language
(the API has no language prefix: one URL per resource), German when it asks for none or
for one the platform does not speak."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from participation.api.models import TokenScope
from tests.participation.moderation.helpers import published_comment
from tests.participation.moderation.test_api import QUEUE, bearer, post

pytestmark = pytest.mark.django_db

NO_TOKEN = "Moderation through the API needs an API token."
NO_SCOPE = "This token does not permit moderation."
OUTSIDE = "This content is outside your moderation mandate."


def german(msgid: str) -> str:
    with translation.override("de"):
        return gettext(msgid)


@pytest.fixture
def german_is_translated():
    # The test means something only while the catalogue translates these messages.
    for msgid in (NO_TOKEN, NO_SCOPE, OUTSIDE):
        assert german(msgid) != msgid


@pytest.mark.parametrize(
    ("accept", "english"),
    [
        ("en", True),
        ("en-GB,en;q=0.9,de;q=0.5", True),
        ("de-DE,de;q=0.9,en;q=0.8", False),
        ("fr-FR, fr;q=0.9", False),  # not spoken here: the platform's language
        ("", False),
    ],
)
def test_errors_follow_accept_language(client, w, german_is_translated, accept, english):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.get(QUEUE, **headers)
    assert response.status_code == 401
    assert response.json()["detail"] == (NO_TOKEN if english else german(NO_TOKEN))
    assert response["Content-Language"] == ("en" if english else "de")
    assert "Accept-Language" in response["Vary"]


def test_a_token_without_the_scope_is_told_in_english(client, w, german_is_translated):
    headers = bearer(w.platform_mandate, scopes=[TokenScope.COMMENT])
    response = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en", **headers)
    assert response.status_code == 403
    assert response.json()["detail"] == NO_SCOPE


def test_a_decision_outside_the_mandate_is_refused_in_each_language(
    client, w, german_is_translated
):
    comment = published_comment(w.other_consultation, w.author)
    headers = bearer(w.org_mandate)
    body = {"target_kind": "comment", "target_id": comment.pk, "action": "approve", "facts": "x"}
    english = post(client, {**headers, "HTTP_ACCEPT_LANGUAGE": "en"}, body)
    assert english.status_code == 403
    assert english.json()["detail"] == OUTSIDE
    german_answer = post(client, {**headers, "HTTP_ACCEPT_LANGUAGE": "de"}, body)
    assert german_answer.json()["detail"] == german(OUTSIDE)


def test_service_errors_follow_accept_language(client, w):
    comment = published_comment(w.town_consultation, w.author)
    headers = {**bearer(w.org_mandate), "HTTP_ACCEPT_LANGUAGE": "en"}
    body = {"target_kind": "comment", "target_id": comment.pk, "action": "restore", "facts": "kurz"}
    response = post(client, headers, body)
    assert response.status_code == 400
    facts = response.json()["errors"]["facts"][0]
    assert facts == "The facts and circumstances: please write at least 10 characters."


def test_an_unknown_api_path_follows_accept_language(client, db):
    response = client.get("/api/v1/nirgendwo/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json()["detail"] == "There is no such API resource."
    assert response["Content-Language"] == "en"
