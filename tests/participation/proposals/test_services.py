"""Writes for proposals, supports and feedback: what is stored, and which events go where."""

import json

import pytest
from django.core.exceptions import ValidationError

from cooperative.organisations.models import OrganisationRole
from participation.live.models import LiveEvent
from participation.notifications.models import Follow, Notification
from participation.proposals.models import Feedback, Proposal, ProposalStatus, Support
from participation.proposals.services import (
    proposal_answer,
    proposal_create,
    proposal_support,
    proposal_support_withdraw,
)
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def events() -> list[tuple[str, str, dict]]:
    return [
        (event.room, event.type, json.loads(event.data))
        for event in LiveEvent.objects.order_by("pk")
    ]


@pytest.fixture
def page(make_consultation):
    return make_consultation("open")


@pytest.fixture
def author():
    return UserFactory()


@pytest.fixture
def speaker(organisation_area):
    user = UserFactory()
    grant(user, organisation_area[0], OrganisationRole.Role.SPEAKER)
    return user


def create(page, author, **kwargs) -> Proposal:
    fields = {"title": "Mehr Bänke", "body": "Am Marktplatz fehlen **Bänke**."}
    return proposal_create(author=author, consultation=page, **{**fields, **kwargs})


def test_create_stores_sanitised_markdown_tags_and_location(page, author):
    proposal = create(
        page,
        author,
        body="**Bänke** <script>alert(1)</script> [hier](javascript:alert(1))",
        tags=["Sitzen", "Platz", "Sitzen"],
        location="  Marktplatz  ",
    )

    assert proposal.body_html.startswith("<p><strong>Bänke</strong>")
    assert "<script" not in proposal.body_html
    assert 'href="javascript' not in proposal.body_html
    assert sorted(proposal.tags.names()) == ["Platz", "Sitzen"]
    assert proposal.location == "Marktplatz"
    assert proposal.status == ProposalStatus.SUBMITTED


def test_create_follows_and_publishes_to_the_consultation(page, author):
    proposal = create(page, author)

    assert Follow.objects.filter(user=author, target_id=proposal.pk).exists()
    [(room, kind, data)] = events()
    assert room == f"consultation.{page.pk}"
    assert kind == "proposal.created"
    assert data["proposal"] == proposal.pk
    assert data["title"] == "Mehr Bänke"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "ab"}, "Der Titel: Bitte schreiben Sie mindestens 3 Zeichen."),
        ({"title": "x" * 201}, "Der Titel darf höchstens 200 Zeichen haben"),
        ({"body": "kurz"}, "mindestens 10 Zeichen"),
        ({"body": "x" * 5001}, "(dieser Text hat 5001)"),
        ({"location": "x" * 201}, "Die Ortsangabe darf höchstens 200 Zeichen haben."),
        ({"tags": [f"t{n}" for n in range(6)]}, "höchstens 5 Themen"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_nothing_is_stored(page, author, fields, message):
    with pytest.raises(ValidationError) as error:
        create(page, author, **fields)

    assert message in " ".join(error.value.messages)
    assert not Proposal.objects.exists()
    assert not LiveEvent.objects.exists()


def test_support_counts_once_per_person(page, author):
    proposal = create(page, author)
    supporter = UserFactory()

    assert proposal_support(user=supporter, proposal=proposal) == 1
    with pytest.raises(ValidationError) as error:
        proposal_support(user=supporter, proposal=proposal)

    assert error.value.messages == ["Sie unterstützen diesen Vorschlag bereits."]
    assert Support.objects.count() == 1
    proposal.refresh_from_db()
    assert proposal.support_count == 1


def test_support_and_withdraw_publish_the_exact_count(page, author):
    proposal = create(page, author)
    first, second = UserFactory(), UserFactory()

    proposal_support(user=first, proposal=proposal)
    proposal_support(user=second, proposal=proposal)
    assert proposal_support_withdraw(user=first, proposal=proposal) == 1

    counts = [data["count"] for _room, kind, data in events() if kind == "proposal.supports"]
    assert counts == [1, 2, 1]
    proposal.refresh_from_db()
    assert proposal.support_count == 1 == Support.objects.filter(proposal=proposal).count()


def test_supporting_follows_the_proposal(page, author):
    proposal = create(page, author)
    supporter = UserFactory()

    proposal_support(user=supporter, proposal=proposal)

    assert Follow.objects.filter(user=supporter, target_id=proposal.pk).exists()


def test_withdrawing_a_support_that_does_not_exist_is_refused(page, author):
    proposal = create(page, author)

    with pytest.raises(ValidationError):
        proposal_support_withdraw(user=UserFactory(), proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.support_count == 0


def test_answer_keeps_history_and_sets_the_latest_status(page, author, speaker):
    proposal = create(page, author)

    proposal_answer(author=speaker, proposal=proposal, status="under_review", text="Wir prüfen.")
    last = proposal_answer(
        author=speaker, proposal=proposal, status="accepted", text="Wird **umgesetzt**."
    )

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert list(Feedback.objects.order_by("pk").values_list("status", flat=True)) == [
        "under_review",
        "accepted",
    ]
    assert last.organisation == page.organisation
    assert last.text_html == "<p>Wird <strong>umgesetzt</strong>.</p>"
    answered = [data for _room, kind, data in events() if kind == "proposal.answered"]
    assert answered[-1]["status"] == "accepted"
    assert answered[-1]["organisation"] == page.organisation.name


@pytest.mark.parametrize("status", ["submitted", "nonsense", ""])
def test_answer_needs_a_real_status(page, author, speaker, status):
    proposal = create(page, author)

    with pytest.raises(ValidationError):
        proposal_answer(author=speaker, proposal=proposal, status=status, text="Text")

    assert not Feedback.objects.exists()


def test_answer_notifies_author_supporters_and_followers_once_each(page, author, speaker):
    proposal = create(page, author)
    supporter, follower, bystander = UserFactory(), UserFactory(), UserFactory()
    proposal_support(user=supporter, proposal=proposal)
    Follow.objects.create(
        user=follower, target_type_id=Follow.objects.first().target_type_id, target_id=proposal.pk
    )
    # The speaker supports and follows too, and must still not be told of their own answer.
    proposal_support(user=speaker, proposal=proposal)

    feedback = proposal_answer(author=speaker, proposal=proposal, status="rejected", text="Nein.")

    recipients = sorted(Notification.objects.values_list("recipient_id", flat=True))
    assert recipients == sorted([author.pk, supporter.pk, follower.pk])
    assert bystander.pk not in recipients
    notification = Notification.objects.get(recipient=author)
    assert notification.kind == Notification.Kind.FEEDBACK
    assert notification.text == "Mehr Bänke"
    assert notification.url.endswith(f"/vorschlaege/{proposal.pk}/#feedback-{feedback.pk}")
    rooms = sorted(room for room, kind, _data in events() if kind == "notification")
    assert rooms == sorted(f"user.{pk}" for pk in [author.pk, supporter.pk, follower.pk])
    unread = {data["unread"] for _room, kind, data in events() if kind == "notification"}
    assert unread == {1}
