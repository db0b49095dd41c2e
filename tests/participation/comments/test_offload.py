"""Writing a contribution as production runs it: the whole ASGI stack, the view's work in
a worker thread with its own database connection (OFFLOAD_VIEWS, off elsewhere in tests),
and the live event sent after the commit from that thread."""

import threading

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient

from participation.comments.models import Comment
from participation.live.models import LiveEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_contribution_through_the_async_stack_is_written_beside_the_request_thread(
    offloaded, make_consultation, make_person, monkeypatch
):
    page = make_consultation("open")
    writer = make_person("citizen")
    threads: list[str] = []
    published: list[tuple[str, int | None, str]] = []

    from participation.comments import views
    from participation.live import events

    original = views.comment_create

    def spy(**kwargs):
        threads.append(threading.current_thread().name)
        return original(**kwargs)

    async def publish(room, event_id, frame):
        published.append((room, event_id, frame))

    monkeypatch.setattr(views, "comment_create", spy)
    monkeypatch.setattr(events.hub, "publish", publish)

    async def write():
        client = AsyncClient()
        await client.aforce_login(writer)
        url = f"/beteiligungen/{page.pk}/beitraege/neu/"
        sent = await client.post(url, {"body": "Aus dem Nebenfaden"})
        empty = await client.post(url, {"body": ""})
        return sent, empty

    sent, empty = async_to_sync(write)()

    comment = Comment.objects.get(consultation=page, author=writer)
    assert sent.status_code == 302
    assert sent["Location"] == comment.get_absolute_url()
    assert empty.status_code == 422  # refused in the same place, nothing written
    assert Comment.objects.filter(consultation=page).count() == 1
    assert threads and threading.current_thread().name not in threads
    event = LiveEvent.objects.get(type="comment.created")
    assert [(room, event_id) for room, event_id, _frame in published] == [(event.room, event.pk)]
    assert "Aus dem Nebenfaden" in published[0][2]
