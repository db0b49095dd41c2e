"""Sockets that are already open lose a consultation when readers may no longer see it.

Written as the attack: an anonymous reader keeps a socket open while the consultation is
restricted (a password, on the page or on the page above it) or unpublished; nothing more
may reach them, and the socket is closed with 4403 (4404 once the page is deleted). An
editor's or admin's socket stays and keeps receiving.
"""

import json

import pytest
from asgiref.sync import sync_to_async
from wagtail.models import PageViewRestriction

from participation.comments.services import comment_create
from participation.live import consumers
from participation.live.models import LiveEvent
from tests.factories import UserFactory, consultation, organisation_with_area
from tests.participation.live.test_discussion_live import connect, receive_events

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

TIMEOUT = 3


@pytest.fixture
def setup(db):
    _org, index = organisation_with_area(name="Stadt Zugang", slug="zugang")
    return {
        "index": index,
        "page": consultation(index, title="Offen für alle", state="open"),
        "author": UserFactory(display_name="Alice"),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }


async def closed_with(communicator) -> int:
    """The close code the server sends; any frame before it must be a presence count."""
    while True:
        output = await communicator.receive_output(timeout=TIMEOUT)
        if output["type"] == "websocket.close":
            return output.get("code")
        assert json.loads(output["text"])["type"] == "presence", output


def restrict(page) -> None:
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="nur-intern"
    )


def unpublish(page) -> None:
    page.unpublish()


CHANGES = {
    "restricted": lambda s: restrict(s["page"]),
    "restricted above": lambda s: restrict(s["index"]),
    "unpublished": lambda s: unpublish(s["page"]),
}


@pytest.mark.parametrize("change", CHANGES)
async def test_an_anonymous_socket_is_closed_when_the_page_is_no_longer_public(setup, change):
    page = setup["page"]
    anonymous, connected, _ = await connect(page)
    signed_in, _, _ = await connect(page, user=setup["author"])
    admin, _, _ = await connect(page, user=setup["admin"])
    assert connected

    await sync_to_async(CHANGES[change])(setup)

    assert await closed_with(anonymous) == 4403
    assert await closed_with(signed_in) == 4403
    # Those who may still see it keep their socket, and what happens there.
    comment = await sync_to_async(comment_create)(
        author=setup["admin"], consultation=page, body="Nur noch intern"
    )
    [event] = await receive_events(admin, 1)
    assert event["comment"] == comment.pk
    assert await anonymous.receive_nothing(timeout=0.3)
    await admin.disconnect()


async def test_a_page_moved_under_a_restricted_page_closes_its_sockets(setup):
    _org, private = await sync_to_async(organisation_with_area)(name="Intern", slug="intern")
    await sync_to_async(restrict)(private)
    page = setup["page"]
    reader, _, _ = await connect(page)
    await sync_to_async(lambda: page.move(private, pos="last-child"))()
    assert await closed_with(reader) == 4403


async def test_readers_of_other_pages_keep_their_socket(setup):
    other = await sync_to_async(consultation)(setup["index"], title="Nebenan", state="open")
    reader, _, _ = await connect(other)
    await sync_to_async(restrict)(setup["page"])
    comment = await sync_to_async(comment_create)(
        author=setup["author"], consultation=other, body="Hier geht es weiter"
    )
    [event] = await receive_events(reader, 1)
    assert event["comment"] == comment.pk
    await reader.disconnect()


async def test_a_deleted_page_closes_its_sockets_and_forgets_its_events(setup):
    page = setup["page"]
    await sync_to_async(comment_create)(author=setup["author"], consultation=page, body="Weg damit")
    reader, _, _ = await connect(page)
    await sync_to_async(lambda: type(page).objects.get(pk=page.pk).delete())()
    assert await closed_with(reader) == 4404
    assert not await sync_to_async(
        LiveEvent.objects.filter(room=f"consultation.{page.pk}").exists
    )()


async def test_a_restriction_that_commits_while_a_socket_opens_reaches_it(setup, monkeypatch):
    """The reader's permission is asked before the restriction commits (allowed), and the
    answer arrives after the readers were told: the socket must not stay open."""
    page = setup["page"]
    asked = []

    def allowed_then_restricted(user, page_id):
        answer = consumers.stream_viewable(user, page_id)
        if not asked:
            asked.append(answer)
            restrict(page)  # commits, and readers are told, before this answer arrives
        return answer

    monkeypatch.setattr(consumers, "may_view", consumers.SharedLookup(allowed_then_restricted))
    reader, connected, code = await connect(page)
    assert asked == [True]
    if connected:
        code = await closed_with(reader)
    assert code == 4403
