"""An author changes or withdraws their proposal: the services (bad input, states, the
gate, notifications), the pages without JavaScript, and what lists show afterwards."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from participation.gate.policy import ContributionRefused
from participation.moderation.services import decision_create
from participation.notifications.models import Notification
from participation.notifications.services import follow_create
from participation.proposals.models import ModerationStatus, Proposal, ProposalStatus
from participation.proposals.selectors import (
    proposal_count,
    proposal_last_written_at,
    proposal_list_page,
)
from participation.proposals.services import (
    proposal_answer,
    proposal_create,
    proposal_edit,
    proposal_support,
    proposal_withdraw,
)
from tests.factories import UserFactory
from tests.participation.moderation.helpers import premoderate, suspend_from, world
from tests.participation.proposals.conftest import ROLES, proposal_in

pytestmark = pytest.mark.django_db

CHANGED = {
    "title": "Fahrradständer am Bahnhof und am Rathaus",
    "body": "Am Bahnhof **und** am Rathaus fehlen Ständer.",
    "tags": ["Radverkehr", "Bahnhof"],
    "location": "Bahnhofsplatz",
}
FORM = {**CHANGED, "tags": "Radverkehr, Bahnhof"}


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def edit_url(proposal) -> str:
    return reverse("proposal_edit", args=[proposal.consultation_id, proposal.pk])


def withdraw_url(proposal) -> str:
    return reverse("proposal_withdraw", args=[proposal.consultation_id, proposal.pk])


@pytest.fixture
def page(make_consultation):
    return make_consultation("open")


@pytest.fixture
def author(db):
    return UserFactory(display_name="Anton Acker")


@pytest.fixture
def proposal(page, author):
    return proposal_in(page, author, title="Mehr Fahrradständer")


@pytest.fixture
def speaker(make_person):
    return make_person("speaker")


@pytest.fixture
def english():
    """The services' messages in the source language, for matching them."""
    with translation.override("en"):
        yield


def edit(proposal, **changes):
    return proposal_edit(proposal=proposal, **{**CHANGED, **changes})


# --- the services ---------------------------------------------------------------------------


def test_an_edit_changes_every_field_and_renders_the_text_again(proposal):
    edit(proposal)

    stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.title == CHANGED["title"]
    assert stored.body_html == "<p>Am Bahnhof <strong>und</strong> am Rathaus fehlen Ständer.</p>"
    assert sorted(stored.tags.names()) == ["Bahnhof", "Radverkehr"]
    assert stored.location == "Bahnhofsplatz"
    assert stored.edited_at is not None
    assert stored.moderation_status == ModerationStatus.VISIBLE


def test_an_edit_sanitises_the_new_text(proposal):
    edit(proposal, body='Ein Text <script>alert("x")</script> mit [Link](javascript:alert(1)).')

    html = Proposal.objects.get(pk=proposal.pk).body_html
    assert "<script" not in html
    assert 'href="javascript' not in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "ab"}, "at least 3 characters"),
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"body": "zu kurz"}, "at least 10 characters"),
        ({"body": "x" * 5001}, "at most 5000 characters"),
        ({"tags": ["a", "b", "c", "d", "e", "f"]}, "at most 5 topics"),
        ({"tags": ["x" * 51]}, "at most 50 characters"),
        ({"location": "x" * 201}, "at most 200 characters"),
    ],
    ids=[
        "short title",
        "long title",
        "short body",
        "long body",
        "many tags",
        "long tag",
        "location",
    ],
)
def test_bad_input_changes_nothing(english, proposal, changes, message):
    with pytest.raises(ValidationError, match=message):
        edit(proposal, **changes)

    stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.title == "Mehr Fahrradständer"
    assert stored.edited_at is None


def test_a_supported_proposal_cannot_be_changed(english, proposal):
    proposal_support(user=UserFactory(), proposal=proposal)
    stale = Proposal.objects.get(pk=proposal.pk)
    stale.support_count = 0  # as read before the support arrived: the service looks again

    with pytest.raises(ValidationError, match="already has supporters"):
        edit(stale)
    assert Proposal.objects.get(pk=proposal.pk).title == "Mehr Fahrradständer"


def test_an_answered_proposal_cannot_be_changed_or_withdrawn(english, proposal, speaker):
    proposal_answer(author=speaker, proposal=proposal, status="under_review", text="Wir prüfen.")
    stale = Proposal.objects.get(pk=proposal.pk)
    stale.status = ProposalStatus.SUBMITTED

    with pytest.raises(ValidationError, match="official feedback"):
        edit(stale)
    with pytest.raises(ValidationError, match="official feedback"):
        proposal_withdraw(proposal=stale)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.UNDER_REVIEW


def test_a_withdrawn_proposal_cannot_be_changed_withdrawn_again_or_answered(
    english, proposal, speaker
):
    proposal_withdraw(proposal=proposal)

    with pytest.raises(ValidationError, match="withdrawn"):
        edit(proposal)
    with pytest.raises(ValidationError, match="already been withdrawn"):
        proposal_withdraw(proposal=proposal)
    with pytest.raises(ValidationError, match="withdrawn"):
        proposal_answer(author=speaker, proposal=proposal, status="accepted", text="Gern.")
    stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.status == ProposalStatus.WITHDRAWN
    assert stored.title == "Mehr Fahrradständer"
    assert not stored.feedback.exists()


def test_withdrawing_tells_supporters_and_followers_but_not_the_author(proposal, author):
    supporter, follower, bystander = UserFactory(), UserFactory(), UserFactory()
    proposal_support(user=supporter, proposal=proposal)
    follow_create(user=follower, target=proposal)
    follow_create(user=author, target=proposal)

    proposal_withdraw(proposal=proposal)

    notified = Notification.objects.filter(kind=Notification.Kind.WITHDRAWN)
    assert sorted(notified.values_list("recipient_id", flat=True)) == sorted(
        [supporter.pk, follower.pk]
    )
    assert not Notification.objects.filter(recipient__in=[author, bystander]).exists()
    assert notified.first().text == "Mehr Fahrradständer"
    assert notified.first().url == proposal.get_absolute_url()


def test_the_notification_says_what_happened(client, proposal):
    supporter = UserFactory()
    proposal_support(user=supporter, proposal=proposal)
    proposal_withdraw(proposal=proposal)
    client.force_login(supporter)

    text = soup_of(client.get(reverse("notification_list"))).get_text()

    assert "Der Vorschlag „Mehr Fahrradständer“ wurde von der Autorin oder dem Autor" in text


def test_an_edit_counts_for_slow_mode(proposal, author, page):
    before = proposal_last_written_at(author.pk, page.pk)
    edit(proposal)
    assert proposal_last_written_at(author.pk, page.pk) > before


# --- the gate -------------------------------------------------------------------------------


@pytest.fixture
def w(db):
    return world()


def test_a_suspended_author_cannot_change_it(english, w):
    page = w.town_consultation
    proposal = proposal_create(
        author=w.author, consultation=page, title="Mehr Bänke", body="Am Markt fehlen Bänke."
    )
    suspend_from(w, w.author, page)

    with pytest.raises(ContributionRefused, match="suspended"):
        edit(proposal)
    assert Proposal.objects.get(pk=proposal.pk).title == "Mehr Bänke"


def test_a_locked_discussion_of_the_proposal_refuses_changes(english, w):
    page = w.town_consultation
    proposal = proposal_create(
        author=w.author, consultation=page, title="Mehr Bänke", body="Am Markt fehlen Bänke."
    )
    decision_create(
        moderator=w.org_mandate,
        target=proposal,
        action="lock",
        facts="Die Diskussion eskaliert.",
        ground_type="rule",
        clause="1",
        ground_explanation="Kein respektvoller Umgang mehr (Nr. 1).",
    )

    with pytest.raises(ContributionRefused, match="locked"):
        edit(proposal)


def test_under_pre_moderation_a_changed_proposal_waits_again(w, client):
    page = w.town_consultation
    proposal = proposal_create(
        author=w.author, consultation=page, title="Mehr Bänke", body="Am Markt fehlen Bänke."
    )
    premoderate(w, page)

    changed = edit(proposal, title="Geheimer neuer Titel")

    assert changed.moderation_status == ModerationStatus.PENDING
    assert "wartet auf Freigabe" in changed.hold_reason
    stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.moderation_status == ModerationStatus.PENDING
    # Out of every public channel: lists, the page, the API, the feed.
    assert proposal_count(w.citizen, page) == 0
    client.force_login(w.citizen)
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    assert (
        "Geheimer neuer Titel"
        not in client.get(f"/api/v1/consultations/{page.pk}/proposals/").content.decode()
    )
    # Its author still sees it, with the notice; a moderator's approval brings it back.
    client.force_login(w.author)
    own = client.get(proposal.get_absolute_url())
    assert own.status_code == 200
    assert "wartet auf die Freigabe" in own.content.decode()
    decision_create(moderator=w.org_mandate, target=stored, action="approve", facts="In Ordnung.")
    assert proposal_count(w.citizen, page) == 1


def test_a_pre_moderated_consultation_holds_the_change(make_consultation, author):
    page = make_consultation("open", moderation_mode="pre")
    proposal = proposal_in(page, author)

    changed = edit(proposal)

    assert changed.moderation_status == ModerationStatus.PENDING


# --- the pages ------------------------------------------------------------------------------


def own_actions(client, proposal) -> dict:
    soup = soup_of(client.get(proposal.get_absolute_url()))
    return {
        "edit": soup.select_one("[data-proposal-edit-link]"),
        "withdraw": soup.select_one("[data-proposal-withdraw-link]"),
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_the_author_sees_the_buttons(client, make_person, page, role):
    person = make_person(role)
    proposal = proposal_in(page, person if role == "author" else make_person("citizen"))
    if role != "anonymous":
        client.force_login(person)

    actions = own_actions(client, proposal)

    if role == "author":
        assert actions["edit"]["href"] == edit_url(proposal)
        assert actions["withdraw"]["href"] == withdraw_url(proposal)
        # Never a link that leads to a refusal.
        assert client.get(actions["edit"]["href"]).status_code == 200
        assert client.get(actions["withdraw"]["href"]).status_code == 200
    else:
        assert actions == {"edit": None, "withdraw": None}


def test_the_buttons_follow_the_rules(client, proposal, author, speaker):
    client.force_login(author)
    proposal_support(user=UserFactory(), proposal=proposal)
    actions = own_actions(client, proposal)
    assert actions["edit"] is None
    assert actions["withdraw"] is not None

    proposal_answer(author=speaker, proposal=proposal, status="accepted", text="Wird gemacht.")
    assert own_actions(client, proposal) == {"edit": None, "withdraw": None}


def test_after_the_phase_only_withdrawing_is_offered(client, make_consultation, author):
    proposal = proposal_in(make_consultation("evaluation"), author)
    client.force_login(author)

    actions = own_actions(client, proposal)

    assert actions["edit"] is None
    assert actions["withdraw"] is not None
    response = client.get(edit_url(proposal))
    assert response.status_code == 403
    assert "In der aktuellen Phase dieser Beteiligung können Vorschläge nicht geändert" in (
        response.content.decode()
    )


def test_the_edit_form_is_filled_in_and_saves(client, proposal, author):
    proposal.tags.set(["Radweg"])
    proposal.location = "Markt"
    proposal.save()
    client.force_login(author)

    form = soup_of(client.get(edit_url(proposal)))
    assert form.find("h1").get_text() == "Vorschlag bearbeiten"
    assert form.find("input", attrs={"name": "title"})["value"] == "Mehr Fahrradständer"
    assert form.find("textarea", attrs={"name": "body"}).get_text() == "Am Bahnhof fehlen Ständer."
    assert form.find("input", attrs={"name": "tags"})["value"] == "Radweg"
    assert form.find("input", attrs={"name": "location"})["value"] == "Markt"
    assert form.find("form", class_="proposal-form")["action"] == edit_url(proposal)

    response = client.post(edit_url(proposal), FORM)

    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    detail = client.get(response["Location"])
    soup = soup_of(detail)
    assert soup.find("h1").get_text() == CHANGED["title"]
    assert soup.select_one("#proposal-content .prose strong").get_text() == "und"
    assert {a.get_text() for a in soup.select(".tag-list .tag")} == {"Radverkehr", "Bahnhof"}
    assert "Von der Autorin oder dem Autor geändert" in soup.get_text()
    assert "Ihre Änderungen wurden gespeichert." in soup.get_text()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "ab", "mindestens 3 Zeichen"),
        ("body", "x" * 5001, "5000 Zeichen"),
        ("tags", "a, b, c, d, e, f", "höchstens 5 Themen"),
    ],
)
def test_bad_input_in_the_edit_form_comes_back_filled_in(
    client, proposal, author, field, value, message
):
    client.force_login(author)

    response = client.post(edit_url(proposal), {**FORM, field: value})

    assert response.status_code == 422
    assert message in response.content.decode()
    assert soup_of(response).find("input", attrs={"name": "location"})["value"] == "Bahnhofsplatz"
    assert Proposal.objects.get(pk=proposal.pk).title == "Mehr Fahrradständer"


def test_someone_else_cannot_edit_or_withdraw(client, proposal):
    client.force_login(UserFactory())

    for url, data in [(edit_url(proposal), FORM), (withdraw_url(proposal), {"confirm": "yes"})]:
        assert client.get(url).status_code == 403
        response = client.post(url, data)
        assert response.status_code == 403
        assert "Nur die Autorin oder der Autor" in response.content.decode()
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.title, stored.status) == ("Mehr Fahrradständer", ProposalStatus.SUBMITTED)


def test_anonymous_visitors_are_sent_to_log_in(client, proposal):
    for url in (edit_url(proposal), withdraw_url(proposal)):
        response = client.post(url, {**FORM, "confirm": "yes"})
        assert response.status_code == 302
        assert "login" in response["Location"]
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED


def test_a_suspended_author_is_told_before_rewriting(client, w):
    page = w.town_consultation
    proposal = proposal_create(
        author=w.author, consultation=page, title="Mehr Bänke", body="Am Markt fehlen Bänke."
    )
    suspend_from(w, w.author, page)
    client.force_login(w.author)

    response = client.get(edit_url(proposal))

    assert response.status_code == 403
    assert "gesperrt" in response.content.decode()


def test_withdrawing_asks_first_and_then_withdraws(client, proposal, author):
    client.force_login(author)

    confirm = client.get(withdraw_url(proposal))
    assert confirm.status_code == 200
    assert "Möchten Sie Ihren Vorschlag „Mehr Fahrradständer“ zurückziehen?" in (
        confirm.content.decode()
    )
    unconfirmed = client.post(withdraw_url(proposal), {})
    assert unconfirmed.status_code == 422
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED

    response = client.post(withdraw_url(proposal), {"confirm": "yes"})

    assert response.status_code == 302
    detail = soup_of(client.get(response["Location"]))
    assert detail.select_one("[data-proposal-status-for]").get_text() == "Zurückgezogen"
    assert detail.select_one("[data-proposal-withdrawn-notice]") is not None
    assert "Ihr Vorschlag wurde zurückgezogen." in detail.get_text()
    again = client.post(withdraw_url(proposal), {"confirm": "yes"})
    assert again.status_code == 403
    assert "bereits zurückgezogen" in again.content.decode()


def test_a_withdrawn_proposal_stays_readable_and_cannot_be_supported(client, proposal, speaker):
    proposal_withdraw(proposal=proposal)
    citizen = UserFactory()
    client.force_login(citizen)

    page = soup_of(client.get(proposal.get_absolute_url()))
    assert page.find("h1").get_text() == "Mehr Fahrradständer"
    assert page.select_one("[data-support-form]") is None
    assert "kann nicht mehr unterstützt werden" in page.select_one("#support").get_text()

    url = reverse("proposal_support", args=[proposal.consultation_id, proposal.pk])
    response = client.post(url, {"action": "support"})
    assert response.status_code == 403
    assert not proposal.supports.exists()

    client.force_login(speaker)
    assert soup_of(client.get(proposal.get_absolute_url())).select_one("#feedback-form") is None


def test_lists_leave_withdrawn_proposals_out_and_a_filter_shows_them(client, page, author):
    kept = proposal_in(page, author, title="Bleibt")
    gone = proposal_in(page, author, title="Zurückgezogen-Vorschlag")
    proposal_withdraw(proposal=gone)
    visitor = UserFactory()

    assert [p.pk for p in proposal_list_page(visitor, page).proposals] == [kept.pk]
    assert [p.pk for p in proposal_list_page(visitor, page, status="withdrawn").proposals] == [
        gone.pk
    ]
    assert proposal_count(visitor, page) == 1
    listing = client.get(reverse("proposal_list", args=[page.pk])).content.decode()
    assert "Bleibt" in listing
    assert "Zurückgezogen-Vorschlag" not in listing
    filtered = client.get(reverse("proposal_list", args=[page.pk]) + "?status=withdrawn")
    assert "Zurückgezogen-Vorschlag" in filtered.content.decode()
    assert "Zurückgezogen-Vorschlag" not in client.get(page.url).content.decode()
