"""What a poll shows: every option to everyone, the viewer's own answer to the viewer
alone, how ranking points are counted, no report link on the organisation's options, and
the same results on page load and in a live update."""

import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import translation

from participation.live.models import LiveEvent
from participation.polls.live import publish_results
from participation.polls.models import Poll
from participation.polls.render import render_results
from participation.polls.services import poll_vote_cast
from participation.polls.templatetags.polls_charts import points_method
from tests.factories import UserFactory
from tests.participation.polls.conftest import add_poll

pytestmark = pytest.mark.django_db

KINDS = [Poll.Kind.SINGLE, Poll.Kind.MULTIPLE, Poll.Kind.RANKING, Poll.Kind.RATING]
OPTIONS = ("Geschützte Radwege", "Mehr Fahrradstellplätze", "Tempo 30 vor Schulen")


def ids(poll):
    return [c.pk for c in poll.choices.all()]


def reader(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def poll_article(client, poll) -> BeautifulSoup:
    response = client.get(poll.page.url)
    assert response.status_code == 200
    article = BeautifulSoup(response.content, "html.parser").find(id=f"poll-{poll.pk}")
    assert article is not None
    return article


def ballot(poll, index: int = 0) -> dict:
    """A valid vote of each kind, favouring option `index`."""
    choices = ids(poll)
    if poll.kind == Poll.Kind.SINGLE:
        return {"choices": [choices[index]]}
    if poll.kind == Poll.Kind.MULTIPLE:
        return {"choices": [choices[index], choices[(index + 1) % 3]]}
    if poll.kind == Poll.Kind.RANKING:
        order = choices[index:] + choices[:index]
        return {"ranks": {choice: place for place, choice in enumerate(order, start=1)}}
    return {"ratings": {choices[index]: poll.scale_max, choices[(index + 1) % 3]: 1}}


def marks(element) -> list[str]:
    return [mark.get_text(strip=True) for mark in element.select(".poll-own__mark")]


# 1. Every option, for every kind, to anonymous visitors and signed-in citizens


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_visitors_read_the_question_and_every_option(make_poll, kind):
    poll = make_poll(kind=kind, options=OPTIONS)

    article = poll_article(reader(), poll)

    assert article.find("h3").get_text(strip=True) == poll.question
    listed = [li.get_text(strip=True) for li in article.select(".poll__options--readonly li")]
    assert listed == list(OPTIONS)
    assert not article.find("form", class_="poll__form")  # read-only: nothing to send
    links = article.select(".notice a")
    assert [link["href"].split("?next=")[1] for link in links] == [
        f"{poll.page.url}%23poll-{poll.pk}"
    ] * 2


@pytest.mark.parametrize("kind", KINDS)
def test_signed_in_citizens_get_every_option_in_the_form(make_poll, kind):
    poll = make_poll(kind=kind, options=OPTIONS)

    article = poll_article(reader(UserFactory()), poll)

    form = article.find("form", class_="poll__form")
    assert form is not None
    for text in OPTIONS:
        assert text in form.get_text()
    fields = {
        Poll.Kind.SINGLE: "input[name=choice]",
        Poll.Kind.MULTIPLE: "input[name=choices]",
        Poll.Kind.RANKING: "select[name^=rank_]",
        Poll.Kind.RATING: "fieldset.poll__rating",
    }[kind]
    assert len(form.select(fields)) == len(OPTIONS)
    assert not article.select(".poll__options--readonly")
    assert "/konto/login/" not in str(article)


@pytest.mark.parametrize("kind", KINDS)
def test_the_options_stay_readable_when_voting_is_not_open(make_consultation, kind):
    poll = add_poll(make_consultation("upcoming"), kind=kind, options=OPTIONS)

    for client in (reader(), reader(UserFactory())):
        article = poll_article(client, poll)
        listed = [li.get_text(strip=True) for li in article.select(".poll__options--readonly li")]
        assert listed == list(OPTIONS)
        assert not article.select(".notice a")  # nothing to log in for yet


def test_a_final_vote_is_shown_read_only_with_the_voters_answer(make_poll):
    poll = make_poll(
        kind=Poll.Kind.RANKING,
        options=OPTIONS,
        allow_change=False,
        results_visibility=Poll.Visibility.AFTER_CLOSE,
    )
    voter = UserFactory()
    poll_vote_cast(user=voter, poll=poll, **ballot(poll, 1))

    article = poll_article(reader(voter), poll)

    items = article.select(".poll__options--readonly li")
    assert [marks(li) for li in items] == [["Ihr Platz: 3"], ["Ihr Platz: 1"], ["Ihr Platz: 2"]]
    assert not marks(poll_article(reader(UserFactory()), poll))


# 2. The viewer's own answer in chart and table, for the viewer alone


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (Poll.Kind.SINGLE, [[], ["Ihre Wahl"], []]),
        (Poll.Kind.MULTIPLE, [[], ["Ihre Wahl"], ["Ihre Wahl"]]),
        (Poll.Kind.RATING, [[], ["Ihre Bewertung: 5"], ["Ihre Bewertung: 1"]]),
    ],
)
def test_the_voter_sees_the_own_answer_in_chart_and_table(make_poll, kind, expected):
    poll = make_poll(kind=kind, options=OPTIONS, results_visibility=Poll.Visibility.LIVE)
    voter = UserFactory()
    poll_vote_cast(user=voter, poll=poll, **ballot(poll, 1))
    poll_vote_cast(user=UserFactory(), poll=poll, **ballot(poll, 0))

    results = poll_article(reader(voter), poll).find(id=f"poll-{poll.pk}-results")

    chart_rows = {
        row.select_one(".poll-chart__label").contents[0].strip(): marks(row)
        for row in results.select(".poll-chart__row")
    }
    table_rows = {
        tr.th.contents[0].strip(): marks(tr) for tr in results.select(".poll-table tbody tr")
    }
    assert chart_rows == table_rows == dict(zip(OPTIONS, expected, strict=True))


def test_a_ranking_voter_sees_each_place_given(make_poll):
    poll = make_poll(kind=Poll.Kind.RANKING, options=OPTIONS, results_visibility="live")
    voter = UserFactory()
    poll_vote_cast(user=voter, poll=poll, **ballot(poll, 2))

    results = poll_article(reader(voter), poll).find(id=f"poll-{poll.pk}-results")

    # points: the voter's first place (Tempo 30) earns 3, and comes first
    labels = [
        (row.select_one(".poll-chart__label").contents[0].strip(), marks(row))
        for row in results.select(".poll-chart__row")
    ]
    assert labels == [
        ("Tempo 30 vor Schulen", ["Ihr Platz: 1"]),
        ("Geschützte Radwege", ["Ihr Platz: 2"]),
        ("Mehr Fahrradstellplätze", ["Ihr Platz: 3"]),
    ]


def test_an_own_free_text_answer_is_a_row_of_the_chart_and_marked_for_its_writer(make_poll):
    poll = make_poll(allow_other=True, results_visibility=Poll.Visibility.LIVE)
    writer = UserFactory()
    poll_vote_cast(user=writer, poll=poll, choices=[], other_text="Eine Fahrradstraße")
    poll_vote_cast(user=UserFactory(), poll=poll, choices=[ids(poll)[0]])

    mine = poll_article(reader(writer), poll).find(id=f"poll-{poll.pk}-results")
    theirs = poll_article(reader(), poll).find(id=f"poll-{poll.pk}-results")

    row = mine.select(".poll-chart__row")[-1]
    assert row.select_one(".poll-chart__label").contents[0].strip() == "Eigene Antworten"
    assert row.select_one(".poll-chart__value").get_text() == "1 (50 %)"
    assert float(row.select_one("rect.poll-chart__fill")["width"]) == 50.0
    assert marks(row) == ["Ihre Wahl"]
    assert marks(mine.select(".poll-table tbody tr")[-1]) == ["Ihre Wahl"]
    # the free text itself is never published, to anyone
    assert "Fahrradstraße" not in str(theirs) and "Fahrradstraße" not in str(mine)
    assert theirs.select(".poll-chart__row")[-1].select_one(".poll-chart__value").get_text() == (
        "1 (50 %)"
    )


@pytest.mark.parametrize("role", ["anonymous", "citizen", "other_voter", "editor"])
def test_nobody_else_sees_a_voters_answer(make_poll, make_person, role):
    poll = make_poll(options=OPTIONS, results_visibility=Poll.Visibility.LIVE)
    voter = UserFactory()
    poll_vote_cast(user=voter, poll=poll, choices=[ids(poll)[1]])
    viewer = make_person("citizen" if role == "other_voter" else role)
    if role == "other_voter":
        poll_vote_cast(user=viewer, poll=poll, choices=[ids(poll)[2]])

    article = poll_article(reader(None if role == "anonymous" else viewer), poll)

    rows = article.select(f"#poll-{poll.pk}-results .poll-chart__row")
    seen = [marks(row) for row in rows]
    assert seen == ([[], [], ["Ihre Wahl"]] if role == "other_voter" else [[], [], []])


def test_the_live_update_and_its_stored_frame_carry_no_ones_answer(make_poll):
    poll = make_poll(options=OPTIONS, results_visibility=Poll.Visibility.LIVE)
    poll_vote_cast(user=UserFactory(), poll=poll, choices=[ids(poll)[0]])

    publish_results(poll.pk)

    event = LiveEvent.objects.filter(type="poll.results").latest("pk")
    html = json.loads(event.data)["html"]
    for language in ("de", "en"):
        page = BeautifulSoup(html[language], "html.parser")
        assert page.select("[data-own-slot]")  # the slots are there, empty
        assert not page.select(".poll-own__mark")
    assert "Ihre Wahl" not in event.data and "Your choice" not in event.data


# The same results on page load and by live update


def carry_marks(update: BeautifulSoup, page: BeautifulSoup) -> None:
    """What polls.js does with an update: the reader's marks move into its slots."""
    slots = {slot["data-own-slot"]: slot for slot in page.select("[data-own-slot]")}
    for slot in update.select("[data-own-slot]"):
        source = slots.get(slot["data-own-slot"])
        if source is not None:
            slot.clear()
            for child in list(source.contents):
                slot.append(child.__copy__())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("viewer", ["anonymous", "voter"])
def test_a_live_update_renders_what_a_fresh_page_load_shows(make_poll, kind, viewer):
    poll = make_poll(kind=kind, options=OPTIONS, results_visibility=Poll.Visibility.LIVE)
    voter = UserFactory()
    poll_vote_cast(user=voter, poll=poll, **ballot(poll, 1))
    poll_vote_cast(user=UserFactory(), poll=poll, **ballot(poll, 2))

    publish_results(poll.pk)
    event = LiveEvent.objects.filter(type="poll.results").latest("pk")
    update = BeautifulSoup(json.loads(event.data)["html"]["de"], "html.parser")
    loaded = poll_article(reader(voter if viewer == "voter" else None), poll)
    page = BeautifulSoup(loaded.find(id=f"poll-{poll.pk}-results").decode_contents(), "html.parser")

    assert bool(page.select(".poll-own__mark")) == (viewer == "voter")
    carry_marks(update, page)
    assert str(update).strip() == str(page).strip()


# 3. How ranking points are counted


def test_ranking_results_say_how_points_are_counted_in_page_and_update(make_poll):
    poll = make_poll(kind=Poll.Kind.RANKING, options=OPTIONS, results_visibility="live")
    first, second, third = ids(poll)
    poll_vote_cast(user=UserFactory(), poll=poll, ranks={first: 1, second: 2, third: 3})
    poll_vote_cast(user=UserFactory(), poll=poll, ranks={first: 2, second: 1, third: 3})

    results = poll_article(reader(), poll).find(id=f"poll-{poll.pk}-results")
    update = render_results(Poll.objects.get(pk=poll.pk))

    method = results.select_one(".poll-chart__method").get_text(strip=True)
    assert method == (
        "Punkte: Platz 1 erhält 3 Punkte, Platz 2 erhält 2 und so weiter bis 1 Punkt für "
        "Platz 3. Die Punkte aller Teilnehmenden werden je Antwortmöglichkeit addiert "
        "(Borda-Zählung)."
    )
    # exactly what results.py counts: 3 + 2 for the first two options, 1 + 1 for the last
    points = [tr.td.get_text() for tr in results.select(".poll-table tbody tr")]
    assert sorted(points) == ["2", "5", "5"]
    assert method in BeautifulSoup(update["de"], "html.parser").get_text()
    english = BeautifulSoup(update["en"], "html.parser").select_one(".poll-chart__method")
    assert english.get_text(strip=True).startswith("Points: place 1 earns 3 points, place 2")
    assert "(Borda count)" in english.get_text()


def test_the_explanation_fits_two_options_and_is_absent_from_other_kinds(make_poll):
    with translation.override("de"):
        assert points_method(2) == (
            "Punkte: Platz 1 erhält 2 Punkte, Platz 2 erhält 1 Punkt. Die Punkte aller "
            "Teilnehmenden werden je Antwortmöglichkeit addiert (Borda-Zählung)."
        )
    for kind in (Poll.Kind.SINGLE, Poll.Kind.MULTIPLE, Poll.Kind.RATING):
        poll = make_poll(kind=kind, options=OPTIONS, results_visibility="live")
        results = poll_article(reader(), poll).find(id=f"poll-{poll.pk}-results")
        assert results.select(".poll-chart__row")
        assert not results.select(".poll-chart__method")


# 4. No report link on the organisation's options


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("signed_in", [False, True])
def test_the_organisations_options_carry_no_report_link(make_poll, kind, signed_in):
    poll = make_poll(kind=kind, options=OPTIONS, allow_other=kind in ("single", "multiple"))

    article = poll_article(reader(UserFactory() if signed_in else None), poll)

    assert not article.select("a[href*='/melden/']")
    assert not [a for a in article.find_all("a") if a.get_text(strip=True).startswith("Melden(")]


def test_comments_written_by_citizens_keep_their_report_link(client, make_poll):
    from participation.comments.services import comment_create

    poll = make_poll()
    comment_create(author=UserFactory(), consultation=poll.page.specific, body="Gute Idee.")

    page = BeautifulSoup(client.get(poll.page.url).content, "html.parser")

    assert page.select("a.comment__report[href*='/melden/beitrag/']")
    assert not page.find(id=f"poll-{poll.pk}").select("a[href*='/melden/']")


# 5. Labels are text of the page, not of a scaled drawing


def test_chart_labels_and_figures_are_html_text_and_bars_unlocalised(make_poll):
    poll = make_poll(kind=Poll.Kind.RATING, options=OPTIONS, results_visibility="live")
    poll_vote_cast(user=UserFactory(), poll=poll, ratings={ids(poll)[0]: 3})

    results = poll_article(reader(), poll).find(id=f"poll-{poll.pk}-results")

    assert not results.select("svg text")
    labels = [
        row.select_one(".poll-chart__label").get_text()
        for row in results.select(".poll-chart__row")
    ]
    assert labels == list(OPTIONS)  # in full, never truncated
    values = [value.get_text() for value in results.select(".poll-chart__value")]
    assert values == ["⌀ 3,0", "keine Bewertung", "keine Bewertung"]
    assert [rect["width"] for rect in results.select("rect.poll-chart__fill")] == [
        "60.0",
        "0.0",
        "0.0",
    ]
    scroll = results.select_one(".poll-table__scroll")
    assert scroll["tabindex"] == "0" and scroll.find("table", class_="poll-table")
