"""Tokens: stored hashed, shown once, revocable; scoped to actions and to an organisation."""

import hashlib
import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from cooperative.organisations.models import OrganisationRole
from participation.api.models import ApiToken
from participation.api.tokens import token_create, token_revoke
from participation.comments.models import Comment
from tests.factories import UserFactory, consultation, grant, log_in_with_second_factor
from tests.participation.api.conftest import bearer

pytestmark = pytest.mark.django_db


def post_comment(page, secret, body="Ein Beitrag über die API.", **extra):
    return Client().post(
        f"/api/v1/consultations/{page.pk}/comments/",
        json.dumps({"body": body, **extra}),
        content_type="application/json",
        **bearer(secret),
    )


def test_only_a_hash_is_stored(citizen):
    issued = token_create(user=citizen, name="App", scopes=["comment"])
    row = ApiToken.objects.get()
    assert issued.secret.startswith(f"alm_{row.prefix}_")
    assert row.secret_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    stored = json.dumps(list(ApiToken.objects.values()), default=str)
    assert issued.secret not in stored
    assert issued.secret.split("_", 2)[2] not in stored


def test_a_revoked_token_gets_401(citizen, open_page):
    issued = token_create(user=citizen, name="App", scopes=["comment"])
    assert post_comment(open_page, issued.secret).status_code == 201
    token_revoke(user=citizen, token=issued.token)
    response = post_comment(open_page, issued.secret)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    # also for reads: a token that is sent must be valid
    assert Client().get("/api/v1/", **bearer(issued.secret)).status_code == 401


def test_a_wrong_secret_with_a_real_prefix_gets_401(citizen, open_page):
    issued = token_create(user=citizen, name="App", scopes=["comment"])
    forged = f"alm_{issued.token.prefix}_{'x' * 43}"
    assert post_comment(open_page, forged).status_code == 401
    assert not Comment.objects.exists()


def test_writes_need_a_token(open_page):
    response = Client().post(
        f"/api/v1/consultations/{open_page.pk}/comments/",
        json.dumps({"body": "Ohne Token."}),
        content_type="application/json",
    )
    assert response.status_code == 401


def test_a_token_acts_only_within_its_scopes(citizen, open_page):
    issued = token_create(user=citizen, name="Nur Stimmen", scopes=["vote"])
    response = post_comment(open_page, issued.secret)
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_an_organisation_token_cannot_act_for_another(
    organisation_area, other_organisation_area, speaker, speaker_token, open_page
):
    _other, other_index = other_organisation_area
    elsewhere = consultation(other_index, title="Beispielkreis", state="open")
    refused = post_comment(elsewhere, speaker_token, "Im Namen der Stadt.", official=True)
    assert refused.status_code == 403
    plain = post_comment(elsewhere, speaker_token, "Auch ohne Stellungnahme nicht.")
    assert plain.status_code == 403
    assert not Comment.objects.filter(consultation=elsewhere).exists()
    own = post_comment(open_page, speaker_token, "Die Stadt antwortet.", official=True)
    assert own.status_code == 201


def test_an_organisation_token_stops_when_its_person_loses_the_role(
    organisation_area, speaker, speaker_token, open_page
):
    org, _index = organisation_area
    OrganisationRole.objects.filter(user=speaker, organisation=org).delete()
    assert post_comment(open_page, speaker_token).status_code == 403


def test_an_organisation_token_needs_a_role_there(citizen, organisation_area):
    org, _index = organisation_area
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        token_create(user=citizen, name="Fremd", scopes=["comment"], organisation=org)


# --- The account page ----------------------------------------------------------------


def test_account_page_shows_a_new_token_once_then_lists_and_revokes(client, organisation_area):
    org, _index = organisation_area
    user = UserFactory()
    grant(user, org, OrganisationRole.Role.SPEAKER)
    log_in_with_second_factor(client, user)  # speakers make tokens with their second factor
    url = reverse("api_tokens")
    response = client.post(
        url, {"name": "Rathaus-App", "organisation": org.pk, "scopes": ["comment", "vote"]}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = BeautifulSoup(response.content, "html.parser").find(id="issued-token")["value"]
    token = ApiToken.objects.get()
    assert token.organisation == org and token.scopes == ["comment", "vote"]
    assert secret.startswith(f"alm_{token.prefix}_")

    again = client.get(url).content.decode()
    assert secret not in again
    assert f"alm_{token.prefix}_" in again
    assert "Rathaus-App" in again

    client.post(reverse("api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    other = UserFactory()
    client.force_login(other)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404


def test_account_page_refuses_an_organisation_of_someone_else(client, organisation_area):
    org, _index = organisation_area
    log_in_with_second_factor(client, UserFactory())  # a fresh sign-in may make a token
    response = client.post(
        reverse("api_tokens"), {"name": "X", "organisation": org.pk, "scopes": ["comment"]}
    )
    assert response.status_code == 422
    assert not ApiToken.objects.exists()
