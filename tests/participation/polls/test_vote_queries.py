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
    # The person; the poll with its page, closing and view restrictions; the write in its
    # transaction (a savepoint in the test's own transaction): the closing read under the
    # poll's lock (one round trip on PostgreSQL), the vote, its answers in one insert.
    assert len(sql) == 7, sql
    if connection.vendor == "postgresql":
        assert "pg_advisory_xact_lock_shared" in sql[3] and "pollclosure" in sql[3]


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


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL write path")
def test_outside_a_transaction_a_first_vote_is_a_transaction_of_its_own(make_poll):
    from participation.polls.selectors import poll_to_vote_in_by_id
    from participation.polls.services import VoteRefused, poll_close, poll_vote_cast

    poll = make_poll(allow_change=False)
    first, second = (c.pk for c in list(poll.choices.all())[:2])
    person, late, failing = UserFactory(), UserFactory(), UserFactory()
    poll = poll_to_vote_in_by_id(person, poll.page_id, poll.pk)

    assert not connection.in_atomic_block
    with CaptureQueriesContext(connection) as queries:
        vote, created = poll_vote_cast(user=person, poll=poll, choices=[first])
    assert created
    # the write: lock and closing, vote, answers, in one transaction; then (in tests at
    # once, on commit) the live results read the poll
    sql = [query["sql"] for query in queries.captured_queries]
    assert sql[0] == "BEGIN" and "pg_advisory_xact_lock_shared" in sql[1], sql
    assert sql[4] == "COMMIT", sql
    assert all(statement.startswith("SELECT") for statement in sql[5:]), sql
    # committed: another connection sees it
    from django.db import connections

    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM participation_polls_pollanswer WHERE vote_id = %s",
                [vote.pk],
            )
            assert cursor.fetchone()[0] == 1
    finally:
        other.close()

    # a second vote: refused, nothing written, the connection out of any transaction
    with pytest.raises(VoteRefused) as refused:
        poll_vote_cast(user=person, poll=poll, choices=[second])
    assert refused.value.code == "duplicate"
    assert connection.connection.info.transaction_status == 0  # IDLE

    # an option deleted meanwhile (the cached options still list it): the database
    # refuses, and the aborted transaction is ended before the connection is used again
    from django.db import IntegrityError

    from participation.polls.models import PollChoice

    PollChoice.objects.filter(pk=second).delete()
    with pytest.raises(IntegrityError):
        poll_vote_cast(user=failing, poll=poll, choices=[second])
    assert connection.connection.info.transaction_status == 0
    assert not PollVote.objects.filter(user=failing).exists()

    # a close that committed before the vote: refused, nothing inserted
    poll_close(poll=poll)
    stale = poll_to_vote_in_by_id(late, poll.page_id, poll.pk)
    stale.closed_at = None  # as read before the close committed
    with pytest.raises(VoteRefused) as closed:
        poll_vote_cast(user=late, poll=stale, choices=[first])
    assert closed.value.code == "closed"
    assert not PollVote.objects.filter(user=late).exists()
    assert PollVote.objects.filter(poll=poll).count() == 1
