"""Catch-up serves only what a reader may see now (issue 13, finding 3).

Written as the attack: a contribution is posted and then hidden by the moderation,
removed, deleted by its author, edited or rejected; then someone connects anonymously
(or as its author) with `?since=0` and reads every frame the server sends. Its text must
be in none of them. A reader whose page is older than all of it must still end where a
fresh page load starts (the stored frames are redacted, not dropped, so replies keep their
place), and a restore still brings the text back.
"""

import json

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from participation.comments.models import Comment
from participation.comments.services import comment_create, comment_delete_by_author, comment_edit
from participation.consultations.models import ConsultationPage, ModerationMode
from participation.live.events import last_event_id
from participation.live.models import LiveEvent
from participation.moderation.services import decision_create
from tests.factories import UserFactory
from tests.participation.live.test_discussion_live import apply_events, connect, thread_of
from tests.participation.moderation.helpers import RULE_FACTS, proposal, world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

TIMEOUT = 3
GROUND = {
    "facts": RULE_FACTS,
    "ground_type": "rule",
    "clause": "2",
    "ground_explanation": "Beleidigung nach Nr. 2 der Netiquette.",
}


@pytest.fixture
def w(db):
    return world()


async def drain(communicator, seconds=0.5) -> list[str]:
    """Every frame the server sends until it falls silent, as raw text."""
    frames = []
    while not await communicator.receive_nothing(timeout=seconds):
        frames.append(await communicator.receive_from(timeout=TIMEOUT))
    return frames


def events_of(frames: list[str]) -> list[dict]:
    return [e for e in map(json.loads, frames) if e["type"] != "presence"]


def hide(w, comment):
    decision_create(moderator=w.org_mandate, target=comment, action="hide", **GROUND)


def remove(w, comment):
    decision_create(moderator=w.org_mandate, target=comment, action="remove", **GROUND)


def delete_by_author(w, comment):
    comment_delete_by_author(comment=Comment.objects.get(pk=comment.pk))


GONE = {
    "hidden by the moderation": hide,
    "removed": remove,
    "deleted by its author": delete_by_author,
}


def post(w, *, body, official=False, parent=None, author=None):
    return comment_create(
        author=author or w.author,
        consultation=w.town_consultation,
        body=body,
        official=official,
        parent=parent,
    )


@pytest.mark.parametrize("official", [False, True], ids=["contribution", "official statement"])
@pytest.mark.parametrize("how", GONE)
async def test_catch_up_from_the_start_never_replays_content_that_is_gone(w, how, official):
    text = "Vertraulich-4711 steht hier"
    comment = await sync_to_async(post)(w, body=text, official=official)
    await sync_to_async(post)(w, body="Eine Antwort darauf", parent=comment, author=w.citizen)
    await sync_to_async(GONE[how])(w, comment)

    reader, connected, _ = await connect(w.town_consultation, since=0)
    assert connected
    frames = await drain(reader)
    await reader.disconnect()

    kinds = [(e["type"], e.get("comment")) for e in events_of(frames)]
    assert ("comment.created", comment.pk) in kinds  # its place in the thread stays
    assert not [frame for frame in frames if "Vertraulich-4711" in frame]
    assert any("Eine Antwort darauf" in frame for frame in frames)


@pytest.mark.parametrize("how", GONE)
async def test_a_stale_page_plus_catch_up_equals_a_fresh_page(w, how):
    page = w.town_consultation
    client = Client()
    url = await sync_to_async(lambda: page.url)()
    stale = (await sync_to_async(client.get)(url)).content.decode()
    since = await sync_to_async(last_event_id)()

    comment = await sync_to_async(post)(w, body="Vertraulich-0815 und mehr")
    await sync_to_async(post)(w, body="Eine Antwort darauf", parent=comment, author=w.citizen)
    await sync_to_async(post)(w, body="Ein anderer Beitrag", author=w.citizen)
    await sync_to_async(GONE[how])(w, comment)

    reader, _, _ = await connect(page, since=since)
    frames = await drain(reader)
    await reader.disconnect()
    fresh = (await sync_to_async(client.get)(url)).content.decode()

    assert not [frame for frame in frames if "Vertraulich-0815" in frame]
    assert thread_of(apply_events(stale, events_of(frames))) == thread_of(fresh)
    assert len(thread_of(fresh)["items"]) == 3


async def test_after_an_edit_catch_up_carries_only_the_new_text(w):
    comment = await sync_to_async(post)(w, body="Erste Fassung, Vertraulich-1234")
    await sync_to_async(comment_edit)(
        comment=await sync_to_async(Comment.objects.get)(pk=comment.pk), body="Zweite Fassung"
    )
    reader, _, _ = await connect(w.town_consultation, since=0)
    frames = await drain(reader)
    await reader.disconnect()
    assert not [frame for frame in frames if "Vertraulich-1234" in frame]
    created = [e for e in events_of(frames) if e["type"] == "comment.created"]
    assert "Zweite Fassung" in created[0]["html"]["de"]


async def test_an_edit_that_waits_for_the_moderation_leaves_no_text_for_readers(w):
    """Published, then the editors switch pre-moderation on and the author edits: the edit
    waits for a moderator, and a fresh page shows neither version."""
    page = w.town_consultation
    comment = await sync_to_async(post)(w, body="Erste Fassung, Vertraulich-5555")
    await sync_to_async(ConsultationPage.objects.filter(pk=page.pk).update)(
        moderation_mode=ModerationMode.PRE
    )
    edited = await sync_to_async(Comment.objects.select_related("consultation").get)(pk=comment.pk)
    await sync_to_async(comment_edit)(comment=edited, body="Zweite Fassung, Vertraulich-6666")
    assert await sync_to_async(lambda: Comment.objects.get(pk=comment.pk).status)() == "pending"

    reader, _, _ = await connect(page, since=0)
    frames = await drain(reader)
    await reader.disconnect()
    assert not [f for f in frames if "Vertraulich-5555" in f or "Vertraulich-6666" in f]


async def test_a_rejected_contribution_leaves_its_author_only_the_placeholder(w):
    page = w.town_consultation
    await sync_to_async(ConsultationPage.objects.filter(pk=page.pk).update)(
        moderation_mode=ModerationMode.PRE
    )
    page = await sync_to_async(ConsultationPage.objects.get)(pk=page.pk)
    comment = await sync_to_async(comment_create)(
        author=w.author, consultation=page, body="Wartet, Vertraulich-7777"
    )
    assert comment.status == Comment.Status.PENDING
    await sync_to_async(decision_create)(
        moderator=w.org_mandate, target=comment, action="reject", **GROUND
    )
    for user in (w.author, None):
        reader, connected, _ = await connect(page, user=user, since=0)
        assert connected
        frames = await drain(reader)
        await reader.disconnect()
        assert not [frame for frame in frames if "Vertraulich-7777" in frame]
    # The author did get its frames (it is their room), only without the text.
    reader, _, _ = await connect(page, user=w.author, since=0)
    mine = [e for e in events_of(await drain(reader)) if e.get("comment") == comment.pk]
    await reader.disconnect()
    assert [e["type"] for e in mine] == ["comment.created", "comment.removed"]


async def test_a_restored_contribution_comes_back_on_catch_up(w):
    page = w.town_consultation
    client = Client()
    url = await sync_to_async(lambda: page.url)()
    stale = (await sync_to_async(client.get)(url)).content.decode()
    since = await sync_to_async(last_event_id)()
    comment = await sync_to_async(post)(w, body="Zu Unrecht verborgen, Nr. 42")
    await sync_to_async(hide)(w, comment)
    await sync_to_async(decision_create)(
        moderator=w.tag_mandate,
        target=comment,
        action="restore",
        facts="Nach erneuter Prüfung verstößt der Beitrag gegen keine Regel.",
    )
    reader, _, _ = await connect(page, since=since)
    events = events_of(await drain(reader))
    await reader.disconnect()
    assert [e["type"] for e in events if e.get("comment") == comment.pk] == [
        "comment.created",
        "comment.removed",
        "comment.restored",
    ]
    # discussion.js replaces a restored contribution that the page shows, as an update
    as_applied = [
        {**e, "type": "comment.updated"} if e["type"] == "comment.restored" else e for e in events
    ]
    fresh = (await sync_to_async(client.get)(url)).content.decode()
    assert "Zu Unrecht verborgen" in fresh
    assert thread_of(apply_events(stale, as_applied)) == thread_of(fresh)


@pytest.mark.parametrize("action", ["hide", "remove"])
async def test_a_hidden_proposal_is_not_replayed(w, action):
    page = w.town_consultation
    item = await sync_to_async(proposal)(page, w.author, title="Vertraulich-9999 Radweg")
    await sync_to_async(decision_create)(
        moderator=w.org_mandate, target=item, action=action, **GROUND
    )
    reader, _, _ = await connect(page, since=0)
    frames = await drain(reader)
    await reader.disconnect()
    assert not [frame for frame in frames if "Vertraulich-9999" in frame]
    assert {"type": "proposal.moderated", "proposal": item.pk, "visible": False} in [
        {k: v for k, v in e.items() if k != "id"} for e in events_of(frames)
    ]


async def test_an_erased_account_is_named_by_no_stored_frame(w):
    """Its contributions stay as a former participant's; catch-up shows them so too, and
    the account's own room (notifications, contributions that waited) is gone."""
    page = w.town_consultation
    erika = await sync_to_async(UserFactory)(display_name="Erika Vertraulich-3141")
    comment = await sync_to_async(comment_create)(
        author=erika, consultation=page, body="Ein Beitrag, der bleibt"
    )
    await sync_to_async(post)(w, body="Eine Antwort an Erika", parent=comment)
    assert await sync_to_async(LiveEvent.objects.filter(room=f"user.{erika.pk}").exists)()

    await sync_to_async(erika.delete)()

    reader, _, _ = await connect(page, since=0)
    frames = await drain(reader)
    await reader.disconnect()
    assert not [frame for frame in frames if "Vertraulich-3141" in frame]
    created = [e for e in events_of(frames) if e.get("comment") == comment.pk]
    assert "Ein Beitrag, der bleibt" in created[0]["html"]["de"]
    assert not await sync_to_async(LiveEvent.objects.filter(room=f"user.{erika.pk}").exists)()
