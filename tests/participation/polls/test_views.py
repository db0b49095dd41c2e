"""Voting through the page: without JavaScript (POST and redirect), with htmx, bad input."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from cooperative.organisations.models import OrganisationRole
from participation.polls.models import Poll, PollVote
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def vote_url(poll):
    return reverse("poll_vote", kwargs={"consultation_id": poll.page_id, "poll_id": poll.pk})


def ids(poll):
    return [c.pk for c in poll.choices.all()]


@pytest.fixture
def citizen(client):
    person = UserFactory()
    client.force_login(person)
    return person


def test_the_page_shows_the_poll_with_its_form(client, citizen, make_poll):
    poll = make_poll(explanation="Die Straße führt an der Grundschule vorbei.")

    page = BeautifulSoup(client.get(poll.page.url).content, "html.parser")
    article = page.find(id=f"poll-{poll.pk}")
    assert article.find("h3").get_text(strip=True) == poll.question
    assert "Grundschule" in article.get_text()
    assert len(article.select("input[type=radio][name=choice]")) == 3
    assert article.find("form")["action"] == vote_url(poll)


def test_voting_without_javascript_redirects_back_with_a_message(client, citizen, make_poll):
    poll = make_poll(results_visibility=Poll.Visibility.AFTER_VOTE)

    response = client.post(vote_url(poll), {"choice": ids(poll)[0]})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#poll-{poll.pk}")
    assert PollVote.objects.filter(poll=poll, user=citizen).count() == 1
    page = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    assert "Ihre Stimme wurde gezählt." in page.get_text()
    table = page.find(id=f"poll-{poll.pk}-results").find("table")
    assert table.find("tbody").find("tr").find_all("td")[0].get_text() == "1"


def test_voting_with_htmx_returns_the_poll_in_place(client, citizen, make_poll):
    poll = make_poll(results_visibility=Poll.Visibility.LIVE)

    response = client.post(vote_url(poll), {"choice": ids(poll)[1]}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    fragment = BeautifulSoup(response.content, "html.parser")
    assert fragment.find("article")["id"] == f"poll-{poll.pk}"
    chart = fragment.find(attrs={"role": "img"})
    description = fragment.find(id=chart["aria-labelledby"].split()[1])
    assert "Nein: 1 (100 %)" in description.get_text()
    # numbers in SVG attributes are never localised (a German "100,0" is no length)
    lengths = [float(bar["width"]) for bar in chart.select("rect.poll-chart__fill")]
    assert lengths == [0.0, 100.0, 0.0]


def test_changing_a_vote_shows_the_choice_selected(client, citizen, make_poll):
    poll = make_poll(allow_change=True)
    client.post(vote_url(poll), {"choice": ids(poll)[0]})
    client.post(vote_url(poll), {"choice": ids(poll)[2]})

    page = BeautifulSoup(client.get(poll.page.url).content, "html.parser")
    checked = page.find(id=f"poll-{poll.pk}").select("input[name=choice][checked]")
    assert [box["value"] for box in checked] == [str(ids(poll)[2])]
    assert PollVote.objects.filter(poll=poll).count() == 1


def test_bad_input_comes_back_with_a_message_and_the_filled_in_answer(client, citizen, make_poll):
    poll = make_poll(kind=Poll.Kind.MULTIPLE, max_choices=1, allow_other=True)

    response = client.post(vote_url(poll), {"choices": ids(poll)[:1], "other": "Fahrradstraße"})

    assert response.status_code == 422
    page = BeautifulSoup(response.content, "html.parser")
    assert "höchstens 1" in page.find(role="alert").get_text()
    assert page.find("input", attrs={"name": "other"})["value"] == "Fahrradstraße"
    assert page.select(f"input[name=choices][value='{ids(poll)[0]}'][checked]")
    assert not PollVote.objects.filter(poll=poll).exists()


def test_unknown_options_are_refused(client, citizen, make_poll):
    poll = make_poll()

    response = client.post(vote_url(poll), {"choice": "99999"})

    assert response.status_code == 422
    assert not PollVote.objects.exists()


def test_a_second_vote_gets_409_when_votes_are_final(client, citizen, make_poll):
    poll = make_poll(allow_change=False)
    client.post(vote_url(poll), {"choice": ids(poll)[0]})

    response = client.post(vote_url(poll), {"choice": ids(poll)[1]})

    assert response.status_code == 409
    assert "bereits abgestimmt" in response.content.decode()
    assert PollVote.objects.get(poll=poll).answers.get().choice_id == ids(poll)[0]


def test_anonymous_visitors_are_sent_to_log_in(client, make_poll):
    poll = make_poll()

    response = client.post(vote_url(poll), {"choice": ids(poll)[0]})

    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    assert not PollVote.objects.exists()


def test_the_poll_sends_anonymous_visitors_back_to_it_after_logging_in(client, make_poll):
    poll = make_poll()

    page = BeautifulSoup(client.get(poll.page.url).content, "html.parser")
    links = page.find(id=f"poll-{poll.pk}").select(".notice a")

    back = f"{poll.page.url}%23poll-{poll.pk}"
    assert [link["href"].split("?next=")[1] for link in links] == [back, back]
    assert "/konto/login/" in links[0]["href"] and "/konto/signup/" in links[1]["href"]


def test_voting_outside_the_phase_is_refused_with_the_reason(client, citizen, make_consultation):
    from tests.participation.polls.conftest import add_poll

    poll = add_poll(make_consultation("upcoming"))

    response = client.post(vote_url(poll), {"choice": ids(poll)[0]})

    assert response.status_code == 403
    assert "aktuellen Phase" in response.content.decode()


def test_get_is_not_allowed_and_unknown_polls_are_404(client, citizen, make_poll):
    poll = make_poll()

    assert client.get(vote_url(poll)).status_code == 405
    missing = reverse("poll_vote", kwargs={"consultation_id": poll.page_id, "poll_id": 999999})
    assert client.post(missing, {"choice": "1"}).status_code == 404
    other_page = reverse("poll_vote", kwargs={"consultation_id": 999999, "poll_id": poll.pk})
    assert client.post(other_page, {"choice": "1"}).status_code == 404


def test_withdrawing_a_vote(client, citizen, make_poll):
    poll = make_poll(allow_change=True)
    client.post(vote_url(poll), {"choice": ids(poll)[0]})
    url = reverse("poll_withdraw", kwargs={"consultation_id": poll.page_id, "poll_id": poll.pk})

    response = client.post(url)

    assert response.status_code == 302
    assert not PollVote.objects.exists()


def test_an_editor_closes_a_poll_and_a_citizen_cannot(client, make_poll):
    poll = make_poll()
    url = reverse("poll_close", kwargs={"consultation_id": poll.page_id, "poll_id": poll.pk})
    citizen = UserFactory()
    client.force_login(citizen)
    assert client.post(url).status_code == 403
    assert Poll.objects.get(pk=poll.pk).closed_at is None

    editor = UserFactory()
    grant(editor, poll.page.specific.organisation, OrganisationRole.Role.EDITOR)
    client.force_login(editor)
    assert client.post(url).status_code == 302
    assert Poll.objects.get(pk=poll.pk).closed_at <= timezone.now()
    client.force_login(citizen)
    response = client.post(vote_url(poll), {"choice": ids(poll)[0]})
    assert response.status_code == 403
    assert "geschlossen" in response.content.decode()


def test_ranking_and_rating_forms(client, citizen, make_poll):
    ranking = make_poll(kind=Poll.Kind.RANKING, question="Was zuerst?")
    rating = make_poll(kind=Poll.Kind.RATING, scale_max=4, question="Wie wichtig?")
    a, b, c = ids(ranking)

    bad = client.post(vote_url(ranking), {f"rank_{a}": "1", f"rank_{b}": "1", f"rank_{c}": "2"})
    assert bad.status_code == 422
    assert "genau einmal" in bad.content.decode()
    good = client.post(vote_url(ranking), {f"rank_{a}": "2", f"rank_{b}": "1", f"rank_{c}": "3"})
    assert good.status_code == 302

    x, y, _z = ids(rating)
    assert client.post(vote_url(rating), {f"rating_{x}": "9"}).status_code == 422
    assert (
        client.post(vote_url(rating), {f"rating_{x}": "4", f"rating_{y}": "1"}).status_code == 302
    )
    page = BeautifulSoup(client.get(rating.page.url).content, "html.parser")
    assert len(page.find(id=f"poll-{rating.pk}").select(f"input[name=rating_{x}]")) == 4
