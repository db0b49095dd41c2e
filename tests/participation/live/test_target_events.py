"""Live events of contributions on targets: each names its target, so a page puts it in the
right thread and moves the right counter; a stale draft text plus its events equals a
fresh load."""

import json

import pytest
from asgiref.sync import sync_to_async
from bs4 import BeautifulSoup
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse

from config.asgi import application
from participation.comments.services import comment_create, comment_delete_by_author
from participation.live.events import last_event_id
from tests.factories import UserFactory, consultation, organisation_with_area
from tests.participation.comments.conftest import with_draft_text
from tests.participation.proposals.conftest import proposal_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

TIMEOUT = 3


@pytest.fixture
def setup(db):
    _org, index = organisation_with_area(name="Stadt Text", slug="text")
    page = with_draft_text(consultation(index, title="Satzung", state="open"), 4)
    pre = with_draft_text(consultation(index, title="Vorab", state="open", moderation_mode="pre"))
    return {
        "page": page,
        "pre": pre,
        "keys": [paragraph.block_id for paragraph in page.draft_paragraphs()],
        "proposal": proposal_in(page, UserFactory()),
        "alice": UserFactory(display_name="Alice"),
        "bob": UserFactory(display_name="Bob"),
    }


async def connect(page, *, user=None, since=None):
    path = f"/ws/consultations/{page.pk}/" + (f"?since={since}" if since is not None else "")
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    communicator = WebsocketCommunicator(application, path, headers=headers)
    if user is not None:
        communicator.scope["user"] = user
    connected, _code = await communicator.connect()
    assert connected
    return communicator


async def receive_events(communicator, count):
    events = []
    while len(events) < count:
        message = json.loads(await communicator.receive_from(timeout=TIMEOUT))
        if message["type"] != "presence":
            events.append(message)
    return events


async def assert_silent(communicator, seconds=0.3):
    while not await communicator.receive_nothing(timeout=seconds):
        message = json.loads(await communicator.receive_from(timeout=TIMEOUT))
        assert message["type"] == "presence", f"unexpected event {message}"


create = sync_to_async(comment_create)


async def test_events_name_the_thread_they_belong_to(setup):
    page, alice = setup["page"], setup["alice"]
    reader = await connect(page)

    on_paragraph = await create(
        author=alice, consultation=page, body="Zu Absatz 2", target=f"paragraph:{setup['keys'][1]}"
    )
    reply = await create(author=setup["bob"], consultation=page, body="Ja", parent=on_paragraph)
    on_proposal = await create(
        author=alice,
        consultation=page,
        body="Zum Vorschlag",
        target=f"proposal:{setup['proposal'].pk}",
    )
    general = await create(author=alice, consultation=page, body="Allgemein")
    events = await receive_events(reader, 4)
    await reader.disconnect()

    assert [(e["comment"], e["target"], e["parent"]) for e in events] == [
        (on_paragraph.pk, f"paragraph:{setup['keys'][1]}", None),
        (reply.pk, f"paragraph:{setup['keys'][1]}", on_paragraph.pk),
        (on_proposal.pk, f"proposal:{setup['proposal'].pk}", None),
        (general.pk, "consultation", None),
    ]


async def test_a_pending_paragraph_contribution_reaches_only_its_author(setup):
    pre, alice = setup["pre"], setup["alice"]
    key = (await sync_to_async(pre.draft_paragraphs)())[0].block_id
    author = await connect(pre, user=alice)
    stranger = await connect(pre, user=setup["bob"])

    comment = await create(
        author=alice, consultation=pre, body="Bitte prüfen", target=f"paragraph:{key}"
    )

    [event] = await receive_events(author, 1)
    assert (event["comment"], event["target"]) == (comment.pk, f"paragraph:{key}")
    await assert_silent(stranger)
    await author.disconnect()
    await stranger.disconnect()


def apply_events(html: str, events: list[dict]) -> str:
    """What draft-text.js and discussion.js do with the events, on the stale page."""
    soup = BeautifulSoup(html, "html.parser")
    for event in events:
        item = BeautifulSoup(event["html"]["de"], "html.parser").li
        current = soup.find(id=f"comment-{event['comment']}")
        counters = soup.select(f'[data-comment-count-for="{event["target"]}"]')
        if event["type"] == "comment.created" and current is None:
            if event["parent"]:
                soup.find(id=f"replies-{event['parent']}").append(item)
            else:
                thread = soup.select_one(f'[data-comment-list-for="{event["target"]}"]')
                if thread is None:
                    continue
                thread.append(item)
                for empty in soup.select(f'[data-comment-empty-for="{event["target"]}"]'):
                    empty.decompose()
            delta = 1 if "comment--published" in item["class"] else 0
        elif event["type"] in ("comment.updated", "comment.removed") and current is not None:
            was = "comment--published" in current["class"]
            current.find("article").replace_with(item.find("article"))
            current["class"] = item["class"]
            delta = ("comment--published" in item["class"]) - was
        else:
            continue
        for counter in counters:
            counter.string = str(int(counter.text) + delta)
    return str(soup)


def paragraphs_of(html: str) -> dict:
    soup = BeautifulSoup(html, "html.parser")
    return {
        section["id"]: {
            "count": section.select_one("[data-comment-count-for]").text,
            "items": [
                (
                    li["id"],
                    li.select_one(".comment__text").text.strip()
                    if li.select_one(".comment__text")
                    else "",
                )
                for li in section.select("li.comment")
            ],
        }
        for section in soup.select("section.draft-paragraph")
    }


async def test_stale_draft_text_plus_events_equals_fresh_page(setup):
    page, alice, bob, keys = setup["page"], setup["alice"], setup["bob"], setup["keys"]
    early = await create(
        author=alice, consultation=page, body="Früh", target=f"paragraph:{keys[0]}"
    )
    url = reverse("draft_text", args=[page.pk])
    client = Client()
    stale = (await sync_to_async(client.get)(url)).content.decode()
    # One event before the page: catch-up replays it (the page already shows it), and once
    # it has arrived the catch-up query is done (SQLite would refuse a write beside it).
    since = await sync_to_async(last_event_id)() - 1
    reader = await connect(page, since=since)
    replayed = await receive_events(reader, 1)
    assert replayed[0]["comment"] == early.pk

    second = await create(
        author=bob, consultation=page, body="Zu Absatz 3", target=f"paragraph:{keys[2]}"
    )
    await create(author=alice, consultation=page, body="Antwort", parent=second)
    await create(author=alice, consultation=page, body="Zur Beteiligung")
    await sync_to_async(comment_delete_by_author)(comment=early)
    events = replayed + await receive_events(reader, 4)
    await assert_silent(reader)
    await reader.disconnect()

    fresh = (await sync_to_async(client.get)(url)).content.decode()
    assert paragraphs_of(apply_events(stale, events)) == paragraphs_of(fresh)
    assert paragraphs_of(fresh)["absatz-3"]["count"] == "2"
    assert paragraphs_of(fresh)["absatz-1"]["count"] == "0"
