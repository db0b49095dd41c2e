"""The results page of a consultation: who sees it when, what it shows, open data."""

import csv
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cooperative import permissions
from participation.polls.models import Poll
from participation.polls.services import poll_vote_cast
from participation.proposals.services import proposal_answer, proposal_create
from tests.factories import UserFactory
from tests.participation.polls.conftest import add_poll
from tests.participation.results.conftest import PHASES, ROLES

pytestmark = pytest.mark.django_db

# role -> states in which the results page can be seen
ORGANISATION = {"editor", "speaker", "admin"}


@pytest.mark.parametrize("state", PHASES)
def test_results_are_public_once_finished_and_a_preview_for_the_organisation(
    make_person, make_consultation, state
):
    page = make_consultation(state)
    for role in ROLES:
        expected = state == "finished" or role in ORGANISATION
        assert (
            permissions.allowed(make_person(role), "participation_results.view_results", page)
            is expected
        ), role


def test_no_public_results_of_an_unpublished_consultation(make_person, make_consultation):
    page = make_consultation("finished", live=False)

    assert not permissions.allowed(
        make_person("citizen"), "participation_results.view_results", page
    )
    assert permissions.allowed(make_person("editor"), "participation_results.view_results", page)


@pytest.fixture
def finished_with_results(make_consultation, make_person):
    open_page = make_consultation("open")
    single = add_poll(
        open_page, question="Tempo 30?", results_visibility=Poll.Visibility.AFTER_CLOSE
    )
    ranking = add_poll(open_page, question="Reihenfolge?", kind=Poll.Kind.RANKING)
    yes, no, _maybe = (c.pk for c in single.choices.all())
    for choice in (yes, yes, no):
        poll_vote_cast(user=UserFactory(), poll=single, choices=[choice])
    r = [c.pk for c in ranking.choices.all()]
    poll_vote_cast(user=UserFactory(), poll=ranking, ranks={r[0]: 2, r[1]: 1, r[2]: 3})
    proposal = proposal_create(
        author=UserFactory(display_name="Anna A."),
        consultation=open_page,
        title="Zebrastreifen an der Schule",
        body="Vor der Grundschule fehlt ein sicherer Übergang.",
    )
    speaker = make_person("speaker")
    proposal_answer(
        author=speaker, proposal=proposal, status="accepted", text="Wird im Frühjahr gebaut."
    )
    # the consultation ends: move its phases into the past
    from datetime import timedelta

    from django.utils import timezone

    shift = timedelta(days=400)
    for phase in open_page.phases.all():
        phase.starts_at -= shift
        phase.ends_at = phase.ends_at - shift if phase.kind != "result" else timezone.now() + shift
        phase.save()
    open_page.results_summary = "<p>Tempo 30 kommt.</p>"
    open_page.save_revision().publish()
    return open_page, single, ranking, proposal


def test_the_page_shows_every_poll_every_proposal_and_the_final_statement(
    client, finished_with_results
):
    page, single, ranking, _proposal = finished_with_results
    url = reverse("consultation_results", kwargs={"consultation_id": page.pk})

    html = BeautifulSoup(client.get(url).content, "html.parser")

    assert "Tempo 30 kommt." in html.get_text()
    article = html.find(id=f"poll-{single.pk}")
    rows = [
        [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
        for tr in article.select("tbody tr")
    ]
    assert rows[:2] == [["Ja", "2", "67 %"], ["Nein", "1", "33 %"]]
    chart = article.find(attrs={"role": "img"})
    description = html.find(id=chart["aria-labelledby"].split()[1])
    assert description.get_text().startswith("Ja: 2 (67 %)")
    ranked = html.find(id=f"poll-{ranking.pk}")
    assert ranked.select("tbody tr th")[0].get_text() == "Nein"  # first place
    assert "Zebrastreifen an der Schule" in html.get_text()
    assert "Wird im Frühjahr gebaut." in html.get_text()
    assert "angenommen" in html.get_text().lower()


def test_json_and_csv_downloads(client, finished_with_results):
    page, single, _ranking, proposal = finished_with_results

    response = client.get(reverse("consultation_results_json", kwargs={"consultation_id": page.pk}))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    poll = next(p for p in data["polls"] if p["id"] == single.pk)
    assert poll["participants"] == 3
    assert [o["votes"] for o in poll["options"]] == [2, 1, 0]
    (entry,) = data["proposals"]
    assert (
        entry["status"] == "accepted" and entry["feedback"][0]["text"] == "Wird im Frühjahr gebaut."
    )
    assert entry["author"] == "Anna A."
    assert "email" not in json.dumps(data)

    response = client.get(reverse("consultation_results_csv", kwargs={"consultation_id": page.pk}))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "item_id", "item", "option_id", "option", "figure", "value"]
    assert ["poll", str(single.pk), "Tempo 30?", "", "", "participants", "3"] in rows
    assert [
        "proposal",
        str(proposal.pk),
        "Zebrastreifen an der Schule",
        "",
        "",
        "status",
        "accepted",
    ] in rows


def test_results_of_a_running_consultation_are_not_found_for_the_public(client, make_consultation):
    page = make_consultation("open")
    for name in ("consultation_results", "consultation_results_csv", "consultation_results_json"):
        assert client.get(reverse(name, kwargs={"consultation_id": page.pk})).status_code == 404
    assert (
        client.get(reverse("consultation_results", kwargs={"consultation_id": 999999})).status_code
        == 404
    )


def test_the_organisation_sees_a_marked_preview(client, make_consultation, make_person):
    page = make_consultation("open")
    client.force_login(make_person("editor"))

    response = client.get(reverse("consultation_results", kwargs={"consultation_id": page.pk}))

    assert response.status_code == 200
    assert "Vorschau" in response.content.decode()


def test_post_is_not_allowed(client, make_consultation):
    page = make_consultation("finished")
    assert (
        client.post(
            reverse("consultation_results", kwargs={"consultation_id": page.pk})
        ).status_code
        == 405
    )


def test_the_finished_consultation_links_its_results(client, make_consultation):
    page = make_consultation("finished")
    html = BeautifulSoup(client.get(page.url).content, "html.parser")
    link = html.find("a", href=reverse("consultation_results", kwargs={"consultation_id": page.pk}))
    assert link is not None
