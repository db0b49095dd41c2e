"""A vote is the busiest write of the platform (bench/vote_throughput.py): the number of
queries it takes is kept, and a change that adds one shows up here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation.polls.models import Poll, PollAnswer, PollVote
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def vote_url(poll):
    return reverse("poll_vote", kwargs={"consultation_id": poll.page_id, "poll_id": poll.pk})


def test_a_first_vote_takes_few_queries(client, make_poll):
    poll = make_poll(kind=Poll.Kind.MULTIPLE, allow_change=False)
    first, second = (c.pk for c in list(poll.choices.all())[:2])
    # Someone voted before: the poll's options and the site's root paths are known.
    client.force_login(UserFactory())
    assert client.post(vote_url(poll), {"choices": [first]}).status_code == 302
    person = UserFactory()
    client.force_login(person)  # the session is in the cache, as after logging in

    with CaptureQueriesContext(connection) as queries:
        response = client.post(vote_url(poll), {"choices": [first, second]})

    assert response.status_code == 302
    vote = PollVote.objects.get(poll=poll, user=person)
    assert sorted(PollAnswer.objects.filter(vote=vote).values_list("choice_id", flat=True)) == [
        first,
        second,
    ]
    sql = [query["sql"] for query in queries.captured_queries]
    # The person; the poll with its page, closing and view restrictions; the transaction
    # (a savepoint in the test's own transaction) around the write.
    if connection.vendor == "postgresql":
        # lock, closing, vote and answers in one round trip
        assert len(sql) == 5, sql
        assert "pg_advisory_xact_lock_shared" in sql[3] and "pollanswer" in sql[3]
    else:
        # closing, vote, answers one by one (SQLite writes one transaction at a time)
        assert len(sql) == 7, sql


def test_a_second_vote_is_refused_without_writing(client, make_poll):
    poll = make_poll(allow_change=False)
    choice = poll.choices.first().pk
    person = UserFactory()
    client.force_login(person)
    assert client.post(vote_url(poll), {"choice": choice}).status_code == 302

    response = client.post(vote_url(poll), {"choice": choice})

    assert response.status_code == 409
    assert PollVote.objects.filter(poll=poll, user=person).count() == 1
    assert PollAnswer.objects.filter(poll=poll).count() == 1


def test_a_live_update_reads_the_poll_in_one_query(make_poll, django_assert_num_queries):
    from participation.live.models import LiveEvent
    from participation.polls.live import publish_results

    poll = make_poll(results_visibility=Poll.Visibility.LIVE)
    publish_results(poll.pk)  # the poll's options and phases are known from now on

    # the poll with its page and closing; participants; counts per option; the event
    with django_assert_num_queries(4):
        publish_results(poll.pk)

    assert LiveEvent.objects.filter(type="poll.results").count() == 2
    assert '"participants":0' in LiveEvent.objects.latest("pk").data
