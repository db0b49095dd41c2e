"""The vote endpoint as production runs it: the whole ASGI stack, the view's work in a
worker thread with its own database connection (OFFLOAD_VIEWS, off elsewhere in tests)."""

import threading

import pytest
from django.test import AsyncClient

from participation.polls.models import PollVote
from tests.participation.polls.conftest import add_poll

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_vote_through_the_async_stack_runs_beside_the_request_thread(
    offloaded, make_consultation, make_person, monkeypatch
):
    page = make_consultation("open")
    poll = add_poll(page, allow_change=False)
    voter = make_person("citizen")
    choice = poll.choices.first()
    threads: list[str] = []

    from participation.polls import views

    original = views.poll_vote_cast

    def spy(**kwargs):
        threads.append(threading.current_thread().name)
        return original(**kwargs)

    monkeypatch.setattr(views, "poll_vote_cast", spy)

    async def vote():
        client = AsyncClient()
        await client.aforce_login(voter)
        url = f"/beteiligungen/{page.pk}/umfragen/{poll.pk}/abstimmen/"
        first = await client.post(url, {"choice": choice.pk})
        again = await client.post(url, {"choice": choice.pk})
        return first, again

    from asgiref.sync import async_to_sync

    first, again = async_to_sync(vote)()
    assert first.status_code == 302
    assert first["Location"].endswith(f"#poll-{poll.pk}")
    assert again.status_code == 409  # the second try is refused, in the same place
    assert PollVote.objects.filter(poll=poll, user=voter).count() == 1
    assert threads and threading.current_thread().name not in threads
