"""The moderators' live queue over WebSocket: accepted only with a mandate (else 4403),
and each moderator hears about notices within their mandate only."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from participation.live.hub import hub_reset
from participation.live.presence import presence_store_reset
from participation.moderation.services import report_create
from tests.factories import log_in_with_second_factor
from tests.participation.moderation.helpers import published_comment, world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

TIMEOUT = 3
MODERATORS = ["org_mandate", "tag_mandate", "platform_mandate", "superuser"]
NOBODY = ["anonymous", "citizen", "author", "editor", "org_moderator"]


@pytest.fixture(autouse=True)
def fresh_hub():
    hub_reset()
    presence_store_reset()
    yield
    hub_reset()
    presence_store_reset()


@pytest.fixture
def setup(transactional_db):
    w = world()
    return (
        w,
        published_comment(w.town_consultation, w.author),
        published_comment(w.other_consultation, w.author, body="Im Kreis geschrieben"),
    )


def signed_in_cookie(user) -> bytes:
    """The session of a real sign-in with the second factor, which moderators need."""
    client = Client()
    log_in_with_second_factor(client, user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def open_queue(user):
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    if user.is_authenticated:
        headers.append((b"cookie", await sync_to_async(signed_in_cookie)(user)))
    communicator = WebsocketCommunicator(application, "/ws/moderation/", headers=headers)
    communicator.scope["user"] = user
    connected, code = await communicator.connect()
    return communicator, connected, code


async def queue_events(communicator):
    events = []
    while not await communicator.receive_nothing(timeout=0.5):
        message = json.loads(await communicator.receive_from(timeout=TIMEOUT))
        if message["type"] == "moderation.queue":
            events.append(message)
    return events


notice = sync_to_async(
    lambda target, reporter, ip: report_create(
        target=target,
        reporter=reporter,
        kind="rule",
        clause="2",
        explanation="Eine Beleidigung im Beitrag.",
        good_faith=True,
        ip=ip,
    )
)


@pytest.mark.parametrize("role", NOBODY)
async def test_without_a_mandate_the_queue_refuses_with_4403(setup, role):
    w, _town, _other = setup
    communicator, connected, code = await open_queue(getattr(w, role))
    assert not connected and code == 4403
    await communicator.disconnect()


async def test_each_moderator_hears_of_notices_within_their_mandate_only(setup):
    w, town, other = setup
    sockets = {}
    for role in MODERATORS:
        communicator, connected, _code = await open_queue(getattr(w, role))
        assert connected, role
        sockets[role] = communicator
    await notice(town, w.citizen, "10.0.0.1")
    for role, communicator in sockets.items():
        events = await queue_events(communicator)
        assert [e["consultation"] for e in events] == [w.town_consultation.pk], role
    await notice(other, w.citizen, "10.0.0.2")
    for role, communicator in sockets.items():
        events = await queue_events(communicator)
        expected = [w.other_consultation.pk] if role in ("platform_mandate", "superuser") else []
        assert [e["consultation"] for e in events] == expected, role
    for communicator in sockets.values():
        await communicator.disconnect()
