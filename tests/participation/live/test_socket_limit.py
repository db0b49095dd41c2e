"""One client address may hold only LIVE_MAX_SOCKETS_PER_ADDRESS WebSockets open; the
next is closed with 4429. The address is the one cooperative.network derives, so forged
X-Forwarded-For values behind the documented proxy do not multiply it."""

import json

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from participation.live.limits import CLOSE_TOO_MANY_SOCKETS
from tests.deployment_chain import PROXY, DocumentedChain
from tests.factories import consultation, organisation_with_area

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ATTACKER = "203.0.113.7"
NEIGHBOUR = "203.0.113.99"
FORGED = ["198.51.100.1", "198.51.100.2, 127.0.0.1", "10.9.0.1, 192.0.2.44", "2001:db8::5"]
ORIGIN = [(b"origin", b"http://localhost"), (b"host", b"localhost")]


@pytest.fixture
def page(db):
    _org, index = organisation_with_area(name="Stadt Live", slug="live")
    return consultation(index, title="Offen", state="open")


@pytest.fixture
def limit(settings):
    settings.LIVE_MAX_SOCKETS_PER_ADDRESS = 3
    settings.TRUSTED_PROXIES = []
    return 3


def direct(address: str) -> dict:
    return {"client": [address, 40000], "headers": list(ORIGIN)}


async def open_socket(path: str, who: dict) -> tuple[WebsocketCommunicator, int | None]:
    """The socket and the code it was closed with at once (None: it stays open)."""
    communicator = WebsocketCommunicator(application, path, headers=who["headers"])
    communicator.scope["client"] = who["client"]
    connected, code = await communicator.connect()
    if not connected:
        return communicator, code
    while not await communicator.receive_nothing(timeout=0.2):
        message = await communicator.receive_output()
        if message["type"] == "websocket.close":
            return communicator, message.get("code")
        assert json.loads(message["text"])["type"] == "presence", message
    return communicator, None


async def test_a_socket_over_the_limit_is_closed_with_4429_and_others_are_not(page, limit):
    path = f"/ws/consultations/{page.pk}/"
    held = []
    for _n in range(limit):
        socket, code = await open_socket(path, direct(ATTACKER))
        assert code is None
        held.append(socket)
    extra, code = await open_socket(path, direct(ATTACKER))
    assert code == CLOSE_TOO_MANY_SOCKETS
    # Another address is not affected.
    neighbour, code = await open_socket(path, direct(NEIGHBOUR))
    assert code is None
    # A socket that closes makes room again.
    await held.pop().disconnect()
    again, code = await open_socket(path, direct(ATTACKER))
    assert code is None
    for socket in [*held, neighbour, again, extra]:
        await socket.disconnect()


async def test_forged_forwarded_for_behind_the_documented_proxy_opens_no_more(
    page, limit, settings
):
    settings.TRUSTED_PROXIES = [PROXY]
    chain = DocumentedChain.read()
    path = f"/ws/consultations/{page.pk}/"
    held = []
    for forged in FORGED[:limit]:
        socket, code = await open_socket(path, chain.websocket(client=ATTACKER, sent=forged))
        assert code is None, forged
        held.append(socket)
    for forged in FORGED[limit:]:
        socket, code = await open_socket(path, chain.websocket(client=ATTACKER, sent=forged))
        assert code == CLOSE_TOO_MANY_SOCKETS, forged
        await socket.disconnect()
    # Everyone else behind the same proxy is counted apart, not as the proxy.
    neighbour, code = await open_socket(path, chain.websocket(client=NEIGHBOUR, sent=ATTACKER))
    assert code is None
    for socket in [*held, neighbour]:
        await socket.disconnect()


async def test_an_ipv6_client_counts_once_for_its_64(page, limit):
    path = f"/ws/consultations/{page.pk}/"
    held = []
    for n in range(1, limit + 1):
        socket, code = await open_socket(path, direct(f"2001:db8:7:7::{n}"))
        assert code is None
        held.append(socket)
    socket, code = await open_socket(path, direct("2001:db8:7:7:abcd::1"))
    assert code == CLOSE_TOO_MANY_SOCKETS
    other, code = await open_socket(path, direct("2001:db8:7:8::1"))
    assert code is None
    for each in [*held, socket, other]:
        await each.disconnect()


async def test_every_websocket_route_counts(page, settings):
    settings.LIVE_MAX_SOCKETS_PER_ADDRESS = 1
    settings.TRUSTED_PROXIES = []
    reader, code = await open_socket(f"/ws/consultations/{page.pk}/", direct(ATTACKER))
    assert code is None
    # The moderators' queue would refuse an anonymous visitor with 4403; the limit comes first.
    queue, code = await open_socket("/ws/moderation/", direct(ATTACKER))
    assert code == CLOSE_TOO_MANY_SOCKETS
    for socket in (reader, queue):
        await socket.disconnect()


async def test_no_limit_when_set_to_zero(page, settings):
    settings.LIVE_MAX_SOCKETS_PER_ADDRESS = 0
    path = f"/ws/consultations/{page.pk}/"
    held = []
    for _n in range(5):
        socket, code = await open_socket(path, direct(ATTACKER))
        assert code is None
        held.append(socket)
    for socket in held:
        await socket.disconnect()
