"""Proposals as participants and organisations meet them: forms without JS, htmx, errors."""

from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation

from cooperative.organisations.models import OrganisationRole
from participation.contributions import ratelimit
from participation.notifications.models import Follow, Notification
from participation.proposals.models import Feedback, Proposal, Support
from participation.proposals.services import proposal_answer, proposal_support
from tests.factories import UserFactory, grant, log_in_with_second_factor
from tests.participation.proposals.conftest import proposal_in

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def page(make_consultation):
    return make_consultation("open")


@pytest.fixture
def citizen(client):
    user = UserFactory(display_name="Frieda Feldweg")
    client.force_login(user)
    return user


@pytest.fixture
def speaker(organisation_area):
    user = UserFactory(display_name="Pressestelle")
    grant(user, organisation_area[0], OrganisationRole.Role.SPEAKER)
    return user


@pytest.fixture
def proposal(page):
    return proposal_in(page, UserFactory(display_name="Anton Acker"), title="Mehr Bänke")


VALID = {
    "title": "Radweg an der Hauptstraße",
    "body": "Die Hauptstraße braucht einen **geschützten** Radweg.",
    "tags": "Radweg, Sicherheit",
    "location": "Hauptstraße",
}


# --- Submitting ---------------------------------------------------------------------------


def test_the_form_is_german_with_a_counter_and_labels(client, page, citizen):
    response = client.get(reverse("proposal_create", args=[page.pk]))

    soup = soup_of(response)
    assert response.status_code == 200
    assert soup.find("h1").get_text() == "Vorschlag einreichen"
    for name in ["title", "body", "tags", "location"]:
        field = soup.find(attrs={"name": name})
        assert soup.find("label", attrs={"for": field["id"]}) is not None
    assert "Höchstens 5000 Zeichen" in soup.select_one("[data-counter-output]").get_text()


def test_post_creates_and_redirects_to_the_proposal(client, page, citizen):
    response = client.post(en("proposal_create", page.pk), VALID)

    proposal = Proposal.objects.get()
    assert proposal.author == citizen
    assert sorted(proposal.tags.names()) == ["Radweg", "Sicherheit"]
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    detail = client.get(response["Location"])
    soup = soup_of(detail)
    assert soup.find("h1").get_text() == "Radweg an der Hauptstraße"
    assert soup.select_one(".prose strong").get_text() == "geschützten"
    assert "Hauptstraße" in soup.get_text()
    assert {a.get_text() for a in soup.select(".tag-list .tag")} == {"Radweg", "Sicherheit"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Please give your proposal a title."),
        ("body", "kurz", "at least 10 characters"),
        ("body", "x" * 5001, "at most 5000 characters"),
        ("tags", "a, b, c, d, e, f", "at most 5 topics"),
    ],
)
def test_bad_input_comes_back_filled_in(client, page, citizen, field, value, message):
    response = client.post(en("proposal_create", page.pk), {**VALID, field: value})

    assert response.status_code == 422
    assert message in response.content.decode()
    soup = soup_of(response)
    assert soup.find("input", attrs={"name": "location"})["value"] == "Hauptstraße"
    if field != "title":
        assert soup.find("input", attrs={"name": "title"})["value"] == VALID["title"]
    assert not Proposal.objects.exists()


def test_anonymous_people_are_sent_to_log_in(client, page):
    response = client.post(en("proposal_create", page.pk), VALID)

    assert response.status_code == 302
    assert "/konto/" in response["Location"] or "login" in response["Location"]
    assert not Proposal.objects.exists()


def test_outside_the_phase_the_form_says_why(client, make_consultation, citizen):
    page = make_consultation("evaluation")

    response = client.post(en("proposal_create", page.pk), VALID)

    assert response.status_code == 403
    assert "cannot be submitted in the current phase" in response.content.decode()
    assert not Proposal.objects.exists()


def test_creation_is_rate_limited_and_keeps_the_text(client, page, citizen, monkeypatch):
    # Windows are aligned to the clock: the test stays inside one (no boundary in between).
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))
    for n in range(3):
        assert (
            client.post(en("proposal_create", page.pk), {**VALID, "title": f"V {n}"}).status_code
            == 302
        )

    response = client.post(en("proposal_create", page.pk), {**VALID, "title": "Der vierte"})

    assert response.status_code == 429
    assert "your text is kept" in response.content.decode()
    assert soup_of(response).find("input", attrs={"name": "title"})["value"] == "Der vierte"
    assert Proposal.objects.count() == 3


def test_unknown_consultation_and_proposal_are_404(client, page, proposal, citizen):
    assert client.get(en("proposal_list", 999999)).status_code == 404
    assert client.get(en("proposal_detail", page.pk, 999999)).status_code == 404
    assert (
        client.post(en("proposal_support", page.pk, 999999), {"action": "support"}).status_code
        == 404
    )


def test_a_proposal_is_only_found_under_its_own_consultation(client, make_consultation, proposal):
    other = make_consultation("open")

    assert client.get(en("proposal_detail", other.pk, proposal.pk)).status_code == 404


@pytest.mark.parametrize("name", ["proposal_support", "proposal_follow", "proposal_answer"])
def test_get_on_post_endpoints_is_405(client, page, proposal, citizen, name):
    assert client.get(en(name, page.pk, proposal.pk)).status_code == 405


# --- Supporting ---------------------------------------------------------------------------


def test_support_without_js_counts_once_and_says_so(client, page, proposal, citizen):
    url = en("proposal_support", page.pk, proposal.pk)

    first = client.post(url, {"action": "support"}, follow=True)
    second = client.post(url, {"action": "support"}, follow=True)

    assert "Thank you for your support." in first.content.decode()
    assert "You already support this proposal." in second.content.decode()
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert Follow.objects.filter(user=citizen, target_id=proposal.pk).exists()
    button = soup_of(second).select_one("#support button[type=submit]")
    assert button["value"] == "withdraw"
    assert "1 support" in soup_of(second).select_one("#support").get_text()


def test_support_with_htmx_returns_the_box(client, page, proposal, citizen):
    response = client.post(
        en("proposal_support", page.pk, proposal.pk), {"action": "support"}, headers=HTMX
    )

    soup = soup_of(response)
    assert response.status_code == 200
    assert soup.select_one("div#support") is not None
    assert "1 support" in soup.get_text()
    assert soup.select_one("[role=status]").get_text() == "Thank you for your support."


def test_withdraw_support(client, page, proposal, citizen):
    proposal_support(user=citizen, proposal=proposal)

    client.post(en("proposal_support", page.pk, proposal.pk), {"action": "withdraw"})

    proposal.refresh_from_db()
    assert proposal.support_count == 0
    assert not Support.objects.exists()


def test_own_proposal_cannot_be_supported(client, page):
    author = UserFactory()
    client.force_login(author)
    proposal = proposal_in(page, author)

    response = client.post(en("proposal_support", page.pk, proposal.pk), {"action": "support"})

    assert response.status_code == 403
    assert "your own proposal" in response.content.decode()
    assert not Support.objects.exists()


def test_unknown_support_action_is_400(client, page, proposal, citizen):
    response = client.post(en("proposal_support", page.pk, proposal.pk), {"action": "vote"})

    assert response.status_code == 400
    assert not Support.objects.exists()


def test_support_is_refused_after_the_phase(client, make_consultation, citizen):
    page = make_consultation("evaluation")
    proposal = proposal_in(page, UserFactory())

    response = client.post(en("proposal_support", page.pk, proposal.pk), {"action": "support"})

    assert response.status_code == 403
    assert not Support.objects.exists()


# --- Following ----------------------------------------------------------------------------


def test_follow_and_unfollow(client, page, proposal, citizen):
    url = en("proposal_follow", page.pk, proposal.pk)

    followed = client.post(url, {"action": "follow"}, follow=True)
    assert Follow.objects.filter(user=citizen).count() == 1
    assert soup_of(followed).select_one("#follow button")["value"] == "unfollow"

    unfollowed = client.post(url, {"action": "unfollow"}, headers=HTMX)
    assert not Follow.objects.exists()
    assert soup_of(unfollowed).select_one("#follow button")["value"] == "follow"


# --- Official feedback --------------------------------------------------------------------


def test_only_the_organisation_sees_the_answer_form(client, page, proposal, citizen, speaker):
    assert soup_of(client.get(proposal.get_absolute_url())).select_one("#feedback-form") is None

    client.force_login(speaker)
    form = soup_of(client.get(proposal.get_absolute_url())).select_one("#feedback-form")
    assert form is not None
    values = [option["value"] for option in form.select("select[name=status] option")]
    assert "submitted" not in values
    assert values[0] == "under_review"


def test_answer_publishes_marked_feedback_and_notifies(client, page, proposal, speaker):
    log_in_with_second_factor(client, speaker)

    response = client.post(
        en("proposal_answer", page.pk, proposal.pk),
        {"status": "partly_accepted", "text": "Teilweise: zwei **Bänke**."},
        follow=True,
    )

    feedback = Feedback.objects.get()
    soup = soup_of(response)
    item = soup.select_one(f"#feedback-{feedback.pk}")
    assert "Official feedback · Stadt Musterstadt" in item.get_text()
    assert "Partly accepted" in item.get_text()
    assert item.select_one("strong").get_text() == "Bänke"
    proposal.refresh_from_db()
    assert proposal.status == "partly_accepted"
    assert Notification.objects.get().recipient == proposal.author


def test_answer_refused_to_citizens(client, page, proposal, citizen):
    response = client.post(
        en("proposal_answer", page.pk, proposal.pk), {"status": "accepted", "text": "Ja."}
    )

    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_bad_answer_comes_back_filled_in(client, page, proposal, speaker):
    log_in_with_second_factor(client, speaker)

    response = client.post(
        en("proposal_answer", page.pk, proposal.pk), {"status": "submitted", "text": "Mein Text"}
    )

    assert response.status_code == 422
    soup = soup_of(response)
    assert soup.select_one("#feedback-form textarea").get_text() == "Mein Text"
    assert soup.select_one("#id_status_errors") is not None
    assert not Feedback.objects.exists()


def test_feedback_history_is_shown_oldest_first(client, page, proposal, speaker):
    proposal_answer(author=speaker, proposal=proposal, status="under_review", text="Wir prüfen.")
    proposal_answer(author=speaker, proposal=proposal, status="implemented", text="Erledigt.")

    soup = soup_of(client.get(proposal.get_absolute_url()))

    items = soup.select(".feedback-list > li")
    assert ["In Prüfung" in items[0].get_text(), "Umgesetzt" in items[1].get_text()] == [True, True]
    assert soup.select_one(".proposal__header .badge").get_text() == "Umgesetzt"


# --- The list and the consultation page ---------------------------------------------------


def test_list_filters_and_sorts(client, page):
    author = UserFactory()
    low = proposal_in(page, author, title="Wenig", support_count=1, status="rejected")
    high = proposal_in(page, author, title="Viel", support_count=9)
    high.tags.add("Radweg")
    url = reverse("proposal_list", args=[page.pk])

    def titles(query=""):
        soup = soup_of(client.get(f"{url}{query}"))
        return [h.get_text() for h in soup.select("#proposal-list .proposal-card__title")]

    assert titles() == ["Viel", "Wenig"]
    assert titles("?sort=oldest") == ["Wenig", "Viel"]
    assert titles("?status=rejected") == ["Wenig"]
    assert titles("?tag=radweg") == ["Viel"]
    assert titles("?sort=nonsense&status=nonsense&page=x") == ["Viel", "Wenig"]
    assert low.pk != high.pk


def test_consultation_page_shows_proposals_and_the_submit_link(client, page, proposal, citizen):
    soup = soup_of(client.get(page.url))

    section = soup.select_one("#proposals")
    assert section.find("h2").get_text().startswith("Vorschläge")
    assert "Mehr Bänke" in section.get_text()
    link = section.find("a", string="Vorschlag einreichen")
    assert link["href"] == reverse("proposal_create", args=[page.pk])


def test_consultation_page_without_proposals_outside_the_phase_has_no_section(
    client, make_consultation
):
    page = make_consultation("upcoming")

    assert soup_of(client.get(page.url)).select_one("#proposals") is None
