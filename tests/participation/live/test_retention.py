"""Stored live events are kept for LIVE_EVENT_RETENTION_HOURS, then pruned; a reader who
asks for anything from before what is kept is told to reload (`resync`), never sent a
history with holes in it."""

import json
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from participation.comments.services import comment_create
from participation.live.events import last_event_id
from participation.live.models import LiveEvent, LiveHorizon
from participation.live.retention import events_prune
from participation.live.tasks import prune_schedule
from tests.factories import UserFactory, consultation, organisation_with_area
from tests.participation.live.test_catch_up_redaction import drain, events_of
from tests.participation.live.test_discussion_live import connect, receive_events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def page(db):
    _org, index = organisation_with_area(name="Stadt Gedächtnis", slug="gedaechtnis")
    return consultation(index, title="Archiv", state="open")


@pytest.fixture
def author(db):
    return UserFactory(display_name="Ada")


def write(page, author, body):
    return comment_create(author=author, consultation=page, body=body)


def age(hours: float, *, through: int, after: int = 0) -> None:
    LiveEvent.objects.filter(pk__gt=after, pk__lte=through).update(
        created_at=timezone.now() - timedelta(hours=hours)
    )


def test_events_older_than_the_retention_are_pruned(page, author):
    for n in range(3):
        write(page, author, f"alt {n}")
    old = last_event_id()
    age(49, through=old)
    write(page, author, "neu")
    young = last_event_id()

    assert events_prune() == 3

    assert list(LiveEvent.objects.values_list("pk", flat=True)) == [young]
    assert LiveHorizon.objects.get().pruned_through == old
    assert events_prune() == 0  # nothing more is old enough


@override_settings(LIVE_EVENT_RETENTION_HOURS=2)
def test_the_retention_is_a_setting(page, author):
    write(page, author, "vor drei Stunden")
    three = last_event_id()
    age(3, through=three)
    write(page, author, "vor einer Stunde")
    age(1, after=three, through=last_event_id())
    assert events_prune() == 1
    assert LiveEvent.objects.count() == 1


def test_the_command_prunes(page, author, capsys):
    write(page, author, "alt")
    age(72, through=last_event_id())
    call_command("live_events_prune")
    assert not LiveEvent.objects.exists()
    assert "Live events deleted: 1" in capsys.readouterr().out


@override_settings(LIVE_EVENT_PRUNE_INTERVAL_MINUTES=60)
def test_the_live_path_asks_for_a_prune_once_an_interval(page, author):
    """Every installation with a task worker prunes, without a timer of its own: after the
    first event of an interval commits, the task runs (immediately, in tests)."""
    write(page, author, "alt")
    age(49, through=last_event_id())
    cache.clear()  # a new interval begins
    prune_schedule.next_at = 0.0
    write(page, author, "neu")  # asks for a prune after commit
    assert [e.type for e in LiveEvent.objects.all()] == ["comment.created"]
    kept = last_event_id()
    write(page, author, "noch einer")
    age(49, after=kept, through=last_event_id())
    write(page, author, "und noch einer")  # same interval: no second prune
    assert LiveEvent.objects.count() == 3
    prune_schedule.next_at = 0.0


@pytest.mark.asyncio
async def test_a_reader_behind_what_is_kept_is_told_to_reload(page, author):
    await sync_to_async(write)(page, author, "gelesen")
    seen = await sync_to_async(last_event_id)()
    await sync_to_async(write)(page, author, "verpasst, längst gelöscht")
    await sync_to_async(age)(49, through=await sync_to_async(last_event_id)())
    await sync_to_async(write)(page, author, "verpasst, noch da")
    await sync_to_async(events_prune)()
    now = await sync_to_async(last_event_id)()

    reader, connected, _ = await connect(page, since=seen)
    assert connected
    [resync] = await receive_events(reader, 1)
    assert resync == {"type": "resync", "since": now}  # not the one event still kept
    live = await sync_to_async(write)(page, author, "danach")
    [event] = await receive_events(reader, 1)  # the socket stays, live events come
    assert event["comment"] == live.pk
    await reader.disconnect()

    # A page rendered now (or reloaded after the resync) catches up as usual.
    reader, _, _ = await connect(page, since=now)
    assert [e["comment"] for e in events_of(await drain(reader))] == [live.pk]
    await reader.disconnect()


@pytest.mark.asyncio
async def test_a_page_rendered_after_everything_was_pruned_does_not_reload(page, author):
    """With nothing stored, a page stands at the horizon; it must not be sent resync (it
    would reload for ever)."""
    await sync_to_async(write)(page, author, "alt")
    pruned = await sync_to_async(last_event_id)()
    await sync_to_async(age)(49, through=pruned)
    await sync_to_async(events_prune)()
    assert not await sync_to_async(LiveEvent.objects.exists)()
    assert await sync_to_async(last_event_id)() == pruned

    reader, _, _ = await connect(page, since=pruned)
    assert events_of(await drain(reader)) == []
    live = await sync_to_async(write)(page, author, "neu")
    [event] = await receive_events(reader, 1)
    assert event["comment"] == live.pk and event["id"] > pruned
    await reader.disconnect()


@pytest.mark.asyncio
async def test_too_much_missed_is_a_resync_that_says_where_to_go_on(page, author, monkeypatch):
    from participation.live import events

    monkeypatch.setattr(events, "CATCH_UP_LIMIT", 2)
    since = await sync_to_async(last_event_id)()
    for n in range(3):
        await sync_to_async(write)(page, author, f"verpasst {n}")
    reader, _, _ = await connect(page, since=since)
    frames = [json.loads(f) for f in await drain(reader)]
    await reader.disconnect()
    assert [f for f in frames if f["type"] != "presence"] == [
        {"type": "resync", "since": await sync_to_async(last_event_id)()}
    ]
