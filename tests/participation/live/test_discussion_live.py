"""The live path end to end in one process: service → event after commit → hub → socket."""

import json

import pytest
from asgiref.sync import sync_to_async
from bs4 import BeautifulSoup
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from participation.comments.models import Comment
from participation.comments.services import (
    comment_create,
    comment_delete_by_author,
    comment_edit,
    reaction_toggle,
)
from participation.live.events import last_event_id
from tests.factories import UserFactory, consultation, organisation_with_area

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

TIMEOUT = 3


@pytest.fixture
def setup(db):
    _org, index = organisation_with_area(name="Stadt Live", slug="live")
    open_page = consultation(index, title="Offen", state="open")
    pre_page = consultation(index, title="Vorab", state="open", moderation_mode="pre")
    draft = consultation(index, title="Entwurf", live=False)
    return {
        "open": open_page,
        "pre": pre_page,
        "draft": draft,
        "alice": UserFactory(display_name="Alice"),
        "bob": UserFactory(display_name="Bob"),
    }


async def connect(page, *, user=None, since=None):
    path = f"/ws/consultations/{page.pk}/" + (f"?since={since}" if since is not None else "")
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    communicator = WebsocketCommunicator(application, path, headers=headers)
    if user is not None:
        communicator.scope["user"] = user
    connected, code = await communicator.connect()
    return communicator, connected, code


async def receive_events(communicator, count, *, skip_presence=True):
    events = []
    while len(events) < count:
        message = json.loads(await communicator.receive_from(timeout=TIMEOUT))
        if skip_presence and message["type"] == "presence":
            continue
        events.append(message)
    return events


async def assert_silent(communicator, seconds=0.5):
    """Nothing but presence counts arrives (receive_from's timeout would cancel the app)."""
    while not await communicator.receive_nothing(timeout=seconds):
        message = json.loads(await communicator.receive_from(timeout=TIMEOUT))
        assert message["type"] == "presence", f"unexpected event {message}"


create = sync_to_async(comment_create)


async def test_a_published_comment_reaches_every_reader(setup):
    reader, connected, _ = await connect(setup["open"])
    assert connected
    comment = await create(author=setup["alice"], consultation=setup["open"], body="Mehr **Bäume**")
    [event] = await receive_events(reader, 1)
    assert event["type"] == "comment.created"
    assert event["comment"] == comment.pk
    assert "<strong>Bäume</strong>" in event["html"]["de"]
    assert "Alice" in event["html"]["en"]
    await reader.disconnect()


async def test_pending_comments_reach_only_their_author(setup):
    stranger, _, _ = await connect(setup["pre"], user=setup["bob"])
    author, _, _ = await connect(setup["pre"], user=setup["alice"])
    anonymous, _, _ = await connect(setup["pre"])
    comment = await create(author=setup["alice"], consultation=setup["pre"], body="Bitte prüfen")
    [event] = await receive_events(author, 1)
    assert event["comment"] == comment.pk
    assert comment.status == Comment.Status.PENDING
    await assert_silent(stranger)
    await assert_silent(anonymous)
    for communicator in (stranger, author, anonymous):
        await communicator.disconnect()


async def test_reconnect_catches_up_without_gaps_or_duplicates(setup):
    page = setup["open"]
    first = await create(author=setup["alice"], consultation=page, body="eins")
    since = await sync_to_async(last_event_id)()
    missed = [
        await create(author=setup["alice"], consultation=page, body=f"verpasst {n}")
        for n in range(3)
    ]
    reader, _, _ = await connect(page, since=since)
    caught_up = await receive_events(reader, 3)
    assert [e["comment"] for e in caught_up] == [c.pk for c in missed]
    live = await create(author=setup["bob"], consultation=page, body="live")
    [event] = await receive_events(reader, 1)
    assert event["comment"] == live.pk
    await assert_silent(reader)
    ids = [e["id"] for e in [*caught_up, event]]
    assert ids == sorted(set(ids))
    assert first.pk not in [e["comment"] for e in caught_up]
    await reader.disconnect()


async def test_drafts_and_unknown_consultations_are_refused(setup):
    _, connected, code = await connect(setup["draft"])
    assert not connected
    assert code == 4403

    class Missing:
        pk = 999_999

    _, connected, code = await connect(Missing)
    assert not connected
    assert code == 4404


async def test_a_socket_cannot_write(setup):
    reader, _, _ = await connect(setup["open"], user=setup["alice"])
    await reader.send_to(text_data=json.dumps({"type": "comment.create", "body": "x"}))
    await assert_silent(reader)
    assert await sync_to_async(Comment.objects.count)() == 0
    await reader.disconnect()


# -- a stale page plus the events it received equals a fresh page (Zulip's verify_action) --


def thread_of(html: str) -> dict:
    """What a reader sees of the thread: nesting, text and counts of every contribution."""
    soup = BeautifulSoup(html, "html.parser")
    result = {}
    for item in soup.select("li.comment"):
        card = item.select_one(".comment__card")
        parent = item.find_parent("li", class_="comment")
        counts = {
            span["data-count"]: span.get_text(strip=True) for span in card.select("[data-count]")
        }
        text = card.select_one(".comment__text")
        author = card.select_one(".comment__author")
        result[item["id"]] = {
            "parent": parent["id"] if parent else None,
            "author": author.get_text(strip=True) if author else None,
            "text": text.get_text(" ", strip=True) if text else None,
            "counts": counts,
            "classes": sorted(item["class"]),
        }
    order = [li["id"] for li in soup.select("#comment-list > li.comment")]
    return {"items": result, "order": order}


def apply_events(html: str, events: list[dict]) -> str:
    """The same steps as frontend/static/allmende/js/discussion.js, applied to HTML."""
    soup = BeautifulSoup(html, "html.parser")
    for event in events:
        if event["type"] == "comment.created":
            if soup.find(id=f"comment-{event['comment']}"):
                continue
            item = BeautifulSoup(event["html"]["de"], "html.parser").find("li")
            target = (
                soup.find(id=f"replies-{event['parent']}")
                if event["parent"]
                else soup.find(id="comment-list")
            )
            if event["parent"]:
                target.append(item)
            else:
                target.insert(0, item)
        elif event["type"] in {"comment.updated", "comment.removed"}:
            current = soup.find(id=f"comment-{event['comment']}")
            fresh = BeautifulSoup(event["html"]["de"], "html.parser").find("li")
            current.select_one(".comment__card").replace_with(fresh.select_one(".comment__card"))
            current["class"] = fresh["class"]
        elif event["type"] == "comment.reactions":
            box = soup.find(id=f"reactions-{event['comment']}")
            for kind in ("agree", "disagree", "helpful"):
                box.select_one(f'[data-count="{kind}"]').string = str(event[kind])
    return str(soup)


async def test_stale_page_plus_events_equals_fresh_page(setup):
    page, alice, bob = setup["open"], setup["alice"], setup["bob"]
    early = await create(author=alice, consultation=page, body="Früher Beitrag")
    await create(author=bob, consultation=page, body="Antwort", parent=early)
    client = Client()
    url = await sync_to_async(lambda: page.url)()
    stale = (await sync_to_async(client.get)(url)).content.decode()
    # One event before the page: catch-up replays it (the page already shows it), and once
    # it has arrived the catch-up query is done (the tests' shared in-memory SQLite refuses a
    # read of a table beside another connection's write: "table is locked").
    since = await sync_to_async(last_event_id)() - 1
    reader, _, _ = await connect(page, since=since)
    replayed = await receive_events(reader, 1)

    new = await create(author=bob, consultation=page, body="Neuer Beitrag")
    reply = await create(author=alice, consultation=page, body="Neue Antwort", parent=new)
    await sync_to_async(comment_edit)(comment=early, body="Früher Beitrag, *geändert*")
    await sync_to_async(reaction_toggle)(user=bob, comment=early, kind="agree")
    await sync_to_async(reaction_toggle)(user=alice, comment=new, kind="helpful")
    await sync_to_async(reaction_toggle)(user=bob, comment=early, kind="disagree")
    await sync_to_async(comment_delete_by_author)(comment=reply)
    events = replayed + await receive_events(reader, 7)
    await assert_silent(reader)
    await reader.disconnect()

    fresh = (await sync_to_async(client.get)(url)).content.decode()
    assert thread_of(apply_events(stale, events)) == thread_of(fresh)
    assert len(thread_of(fresh)["items"]) == 4
