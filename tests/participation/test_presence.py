"""The presence socket: how many people read a consultation, pushed to every reader.

Runs against the real ASGI application (origin check, session auth, routing), with the
in-process presence store and in-memory layer by default, Redis for both when REDIS_URL
is set. Only what a client receives is asserted: frames `{"type": "presence", "count": n}`.
"""

import asyncio
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from wagtail.models import Collection, Locale, Page, Site

from cms.models import HomePage
from config.asgi import application
from cooperative.organisations.models import OrganisationRole
from participation.live.hub import hub_reset
from participation.live.presence import presence_store_reset
from tests.factories import UserFactory, consultation, grant

# Transactional: the consumer reads the database through its own connection.
pytestmark = pytest.mark.django_db(transaction=True)

# The origin validator was built from ALLOWED_HOSTS when config.asgi was imported.
ORIGIN = f"http://{settings.ALLOWED_HOSTS[0]}".encode()
# Counts are coalesced and sent about once a second; allow for a slow CI machine.
WAIT = 5
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


def presence(count: int) -> dict:
    return {"type": "presence", "count": count}


@pytest.fixture(autouse=True)
def page_tree(transactional_db):
    """The locale, root page, home page, site and root collection that data migrations
    create. A transactional test ends with a flush that empties them, so any such test
    that ran before this one took them away: put them back.

    (serialized_rollback would restore them too, but clashes on PostgreSQL with the
    content types the flush of a test without it has re-created.)
    """
    if Site.objects.filter(is_default_site=True).exists():
        return
    locale = Locale.objects.first() or Locale.objects.create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(
            title="Root",
            slug="root",
            locale=locale,
            content_type=ContentType.objects.get_for_model(Page),
        )
    )
    home = root.add_child(instance=HomePage(title="Allmende", slug="home", locale=locale))
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Allmende"
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@pytest.fixture(autouse=True)
def isolated_presence(settings):
    """A fresh presence store per test; with Redis, keys no other test uses."""
    settings.REDIS_PREFIX = f"test-{uuid.uuid4().hex}"
    presence_store_reset()
    hub_reset()
    yield
    presence_store_reset()


def run(scenario) -> None:
    async def in_a_fresh_loop():
        try:
            await scenario()
        finally:
            # The hub's background tasks belong to this loop: stop them with it.
            hub_reset()
            presence_store_reset()
            await asyncio.sleep(0)

    async_to_sync(in_a_fresh_loop)()


def reader(page_id: int, *, origin: bytes = ORIGIN, cookie: str = "") -> WebsocketCommunicator:
    headers = [(b"origin", origin), (b"host", b"localhost")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, f"/ws/consultations/{page_id}/presence/", headers)


async def receive_until_count(communicator: WebsocketCommunicator, count: int) -> list[dict]:
    """Frames up to and including the first that reports `count` readers."""
    received: list[dict] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while True:
        remaining = deadline - loop.time()
        assert remaining > 0, f"never saw count {count}; got {received}"
        try:
            message = await communicator.receive_json_from(timeout=remaining)
        except TimeoutError:
            raise AssertionError(f"never saw count {count}; got {received}") from None
        received.append(message)
        if message == presence(count):
            return received


async def receive_all(communicator: WebsocketCommunicator, seconds: float) -> list[dict]:
    """Everything the client receives in the next `seconds`."""
    await asyncio.sleep(seconds)
    received = []
    while not await communicator.receive_nothing(timeout=0.05):
        received.append(await communicator.receive_json_from())
    return received


@pytest.fixture
def live_consultation(organisation_area):
    _org, index = organisation_area
    return consultation(index, title="Radwege", state="open")


def test_readers_are_counted_and_every_reader_is_told(live_consultation):
    async def scenario():
        first = reader(live_consultation.pk)
        connected, _ = await first.connect()
        assert connected
        assert await receive_until_count(first, 1) == [presence(1)]

        second = reader(live_consultation.pk)
        connected, _ = await second.connect()
        assert connected
        # The newcomer may first see the count the others saw, then the new one.
        assert (await receive_until_count(second, 2))[-1] == presence(2)
        assert await receive_until_count(first, 2) == [presence(2)]

        await second.disconnect()
        assert await receive_until_count(first, 1) == [presence(1)]
        await first.disconnect()

    run(scenario)


def test_a_burst_of_joins_is_coalesced(live_consultation):
    async def scenario():
        first = reader(live_consultation.pk)
        await first.connect()
        await receive_until_count(first, 1)

        others = [reader(live_consultation.pk) for _ in range(4)]
        for other in others:
            connected, _ = await other.connect()
            assert connected

        seen = await receive_until_count(first, 5)
        # Not one frame per join: readers are told the new count, not every step to it.
        assert len(seen) < len(others), seen
        assert await receive_all(first, 1.5) == []

        for communicator in [first, *others]:
            await communicator.disconnect()

    run(scenario)


def test_readers_of_another_consultation_are_not_counted(organisation_area):
    _org, index = organisation_area
    cycling = consultation(index, title="Radwege", state="open")
    market = consultation(index, title="Marktplatz", state="open")

    async def scenario():
        cycling_reader = reader(cycling.pk)
        market_reader = reader(market.pk)
        await cycling_reader.connect()
        await market_reader.connect()
        await receive_until_count(cycling_reader, 1)
        await receive_until_count(market_reader, 1)
        assert await receive_all(cycling_reader, 1.5) == []
        assert await receive_all(market_reader, 0) == []
        await cycling_reader.disconnect()
        await market_reader.disconnect()

    run(scenario)


def test_the_socket_ignores_what_a_client_sends(live_consultation):
    async def scenario():
        communicator = reader(live_consultation.pk)
        await communicator.connect()
        await receive_until_count(communicator, 1)
        await communicator.send_json_to({"type": "presence", "count": 1000})
        await communicator.send_to(text_data="not json")
        assert await receive_all(communicator, 1.5) == []
        await communicator.disconnect()

    run(scenario)


def test_draft_consultation_is_closed_to_anonymous_readers(organisation_area):
    _org, index = organisation_area
    draft = consultation(index, title="Entwurf", live=False)

    async def scenario():
        connected, code = await reader(draft.pk).connect()
        assert not connected
        assert code == CLOSE_FORBIDDEN

    run(scenario)


def test_editor_may_watch_their_organisations_draft(organisation_area):
    org, index = organisation_area
    draft = consultation(index, title="Entwurf", live=False)
    editor = UserFactory()
    grant(editor, org, OrganisationRole.Role.EDITOR)
    browser = Client()
    browser.force_login(editor)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"

    async def scenario():
        communicator = reader(draft.pk, cookie=cookie)
        connected, _ = await communicator.connect()
        assert connected
        assert await receive_until_count(communicator, 1) == [presence(1)]
        await communicator.disconnect()

    run(scenario)


def test_unknown_consultation_is_closed_with_not_found(live_consultation):
    async def scenario():
        connected, code = await reader(live_consultation.pk + 1000).connect()
        assert not connected
        assert code == CLOSE_NOT_FOUND

    run(scenario)


@pytest.mark.parametrize(
    "origin", [b"https://evil.example", b"http://localhost.evil.example", b"null"]
)
def test_socket_opened_by_another_site_is_rejected(live_consultation, origin):
    async def scenario():
        connected, _ = await reader(live_consultation.pk, origin=origin).connect()
        assert not connected

    run(scenario)


def test_socket_without_origin_is_rejected(live_consultation):
    async def scenario():
        communicator = WebsocketCommunicator(
            application, f"/ws/consultations/{live_consultation.pk}/presence/"
        )
        connected, _ = await communicator.connect()
        assert not connected

    run(scenario)


def test_same_site_origin_is_accepted(live_consultation):
    """The counterpart of the rejections above: they fail for the origin, not the path."""

    async def scenario():
        communicator = reader(live_consultation.pk)
        connected, _ = await communicator.connect()
        assert connected
        await communicator.disconnect()

    run(scenario)
