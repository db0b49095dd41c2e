"""The back channel: an author changes (PATCH) or withdraws a proposal through the REST API,
under the same rules, gate and rate limits as on the web page."""

import pytest

from participation.api.models import TokenScope
from participation.api.tokens import token_create
from participation.notifications.models import Notification
from participation.proposals.models import ModerationStatus, Proposal, ProposalStatus
from participation.proposals.services import proposal_answer, proposal_support
from tests.factories import UserFactory
from tests.participation.proposals.conftest import proposal_in

pytestmark = pytest.mark.django_db

SCOPES = [TokenScope.PROPOSE, TokenScope.SUPPORT, TokenScope.COMMENT]


def bearer(user, scopes=SCOPES) -> dict:
    secret = token_create(user=user, name="App", scopes=scopes).secret
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_ACCEPT_LANGUAGE": "en"}


def patch(client, proposal, data, headers):
    return client.patch(
        f"/api/v1/proposals/{proposal.pk}/", data, content_type="application/json", **headers
    )


def withdraw(client, proposal, headers):
    return client.post(
        f"/api/v1/proposals/{proposal.pk}/withdrawal/",
        {},
        content_type="application/json",
        **headers,
    )


@pytest.fixture
def author(db):
    return UserFactory(display_name="Anton Acker")


@pytest.fixture
def proposal(make_consultation, author):
    return proposal_in(make_consultation("open"), author, title="Mehr Fahrradständer")


def test_the_author_changes_some_fields_and_keeps_the_others(client, proposal, author):
    proposal.tags.set(["Radweg"])

    response = patch(
        client, proposal, {"title": "Neue Ständer", "location": "Markt"}, bearer(author)
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Neue Ständer"
    assert body["body"] == "Am Bahnhof fehlen Ständer."
    assert body["location"] == "Markt"
    assert [tag["name"] for tag in body["tags"]] == ["Radweg"]
    assert body["moderation_status"] == "visible"
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.title, stored.location) == ("Neue Ständer", "Markt")
    assert stored.edited_at is not None


@pytest.mark.parametrize(
    "data",
    [
        {"title": "ab"},
        {"body": "x" * 5001},
        {"tags": ["a", "b", "c", "d", "e", "f"]},
        {"title": 42},
        {"location": "x" * 201},
    ],
    ids=["short title", "long body", "many tags", "not text", "long location"],
)
def test_bad_input_is_a_400_and_changes_nothing(client, proposal, author, data):
    response = patch(client, proposal, data, bearer(author))

    assert response.status_code == 400
    assert Proposal.objects.get(pk=proposal.pk).title == "Mehr Fahrradständer"


@pytest.mark.parametrize("who", ["other citizen", "speaker", "admin"])
def test_nobody_else_may_change_or_withdraw_it(client, proposal, make_person, who):
    person = {
        "other citizen": UserFactory,
        "speaker": lambda: make_person("speaker"),
        "admin": lambda: make_person("admin"),
    }[who]()
    headers = bearer(person)

    changed = patch(client, proposal, {"title": "Gekapert"}, headers)
    withdrawn = withdraw(client, proposal, headers)

    assert changed.status_code == 403
    assert "Only its author" in changed.json()["detail"]
    assert withdrawn.status_code == 403
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.title, stored.status) == ("Mehr Fahrradständer", ProposalStatus.SUBMITTED)


def test_without_a_token_or_the_scope_it_is_refused(client, proposal, author):
    assert patch(client, proposal, {"title": "Ohne Token"}, {}).status_code == 401
    assert withdraw(client, proposal, {}).status_code == 401
    read_only = bearer(author, scopes=[TokenScope.COMMENT])
    assert patch(client, proposal, {"title": "Ohne Recht"}, read_only).status_code == 403
    assert withdraw(client, proposal, read_only).status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).title == "Mehr Fahrradständer"


def test_after_the_first_support_only_withdrawing_works(client, proposal, author):
    supporter = UserFactory()
    proposal_support(user=supporter, proposal=proposal)
    headers = bearer(author)

    changed = patch(client, proposal, {"title": "Zu spät"}, headers)
    assert changed.status_code == 403
    assert "supporters" in changed.json()["detail"]

    withdrawn = withdraw(client, proposal, headers)
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert Notification.objects.filter(
        recipient=supporter, kind=Notification.Kind.WITHDRAWN
    ).exists()
    again = withdraw(client, proposal, headers)
    assert again.status_code == 403
    assert "already been withdrawn" in again.json()["detail"]
    # Still public, with its status.
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").json()["status"] == "withdrawn"


def test_an_answered_proposal_can_be_neither_changed_nor_withdrawn(
    client, proposal, author, make_person
):
    proposal_answer(
        author=make_person("speaker"), proposal=proposal, status="accepted", text="Gern."
    )
    headers = bearer(author)

    assert patch(client, proposal, {"title": "Danach"}, headers).status_code == 403
    assert withdraw(client, proposal, headers).status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.ACCEPTED


def test_a_change_in_a_pre_moderated_consultation_waits_again(client, make_consultation, author):
    proposal = proposal_in(make_consultation("open", moderation_mode="pre"), author)

    response = patch(client, proposal, {"title": "Wartet wieder"}, bearer(author))

    assert response.status_code == 200
    assert response.json()["moderation_status"] == "pending"
    assert Proposal.objects.get(pk=proposal.pk).moderation_status == ModerationStatus.PENDING
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    # Its author may go on changing it while it waits.
    again = patch(client, proposal, {"title": "Wartet noch"}, bearer(author))
    assert again.status_code == 200


def test_outside_the_phase_changes_are_refused(client, make_consultation, author):
    proposal = proposal_in(make_consultation("evaluation"), author)

    response = patch(client, proposal, {"title": "Zu spät"}, bearer(author))

    assert response.status_code == 403
    assert "current phase" in response.json()["detail"]
    assert withdraw(client, proposal, bearer(author)).status_code == 200


def test_the_schema_describes_both_operations(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "patch" in schema["paths"]["/api/v1/proposals/{id}/"]
    assert "post" in schema["paths"]["/api/v1/proposals/{id}/withdrawal/"]
