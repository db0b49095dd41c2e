"""The fast paths of the live fan-out, without a server: shared lookups and daphne's wire."""

import asyncio
import functools
import threading
import time

import pytest

from participation.live.consumers import DaphneWire, SharedLookup
from participation.live.hub import Frame

pytestmark = pytest.mark.asyncio


async def test_callers_share_runs_but_never_get_an_answer_older_than_their_question():
    started: list[float] = []
    lock = threading.Lock()

    def lookup(value):
        with lock:
            started.append(time.monotonic())
        time.sleep(0.03)
        return value * 2

    shared = SharedLookup(lookup)

    async def ask(delay):
        await asyncio.sleep(delay)
        asked = time.monotonic()
        return asked, await shared("key", 21)

    answers = await asyncio.gather(*(ask(n * 0.004) for n in range(40)))

    assert {result for _asked, result in answers} == {42}
    assert len(started) < len(answers)  # shared
    for asked, _result in answers:
        # some run started after this caller asked
        assert any(start >= asked for start in started)
    assert shared._runs == {} and shared._waiting == {}


async def test_a_failing_lookup_fails_every_caller_and_leaves_nothing_behind():
    def lookup(value):
        raise ValueError(value)

    shared = SharedLookup(lookup)
    results = await asyncio.gather(*(shared("key", n) for n in range(5)), return_exceptions=True)

    assert all(isinstance(result, ValueError) for result in results)
    assert shared._runs == {} and shared._waiting == {}


class Factory:
    def __init__(self):
        self.prepared = 0

    def prepareMessage(self, payload, isBinary=False):
        self.prepared += 1
        return Prepared(payload)


class Prepared:
    def __init__(self, payload):
        self.payload = payload
        self.payloadHybi = b"\x81" + bytes([len(payload)]) + payload


class Socket:
    def __init__(self, accept=None):
        self.accept = accept
        self.sent: list[bytes] = []

    def send(self, data):
        taken = len(data) if self.accept is None else min(self.accept, len(data))
        self.sent.append(bytes(data[:taken]))
        return taken


def make_tcp_transport_class():
    # DaphneWire writes straight to the socket only for Twisted's plain TCP transport.
    return type("Server", (), {"__module__": "twisted.internet.tcp"})


class Protocol:
    STATE_CLOSED, STATE_CONNECTING, STATE_CLOSING, STATE_OPEN = 0, 1, 2, 3

    def __init__(self, socket):
        self.state = self.STATE_OPEN
        self.factory = Factory()
        self.send_queue = []
        self._perMessageCompress = None
        self.prepared_sent = []
        self.server = type("DaphneServer", (), {})()
        self.server.connections = {self: {"connected": 0}}
        transport = make_tcp_transport_class()()
        transport.socket = socket
        transport.TLS = False
        transport.connected = 1
        transport.disconnecting = 0
        transport._writeDisconnected = False
        transport.producerPaused = False
        transport._tempDataLen = 0
        transport.dataBuffer = b""
        transport.offset = 0
        transport.written = []
        transport.write = transport.written.append
        self.transport = transport

    def handle_reply(self, message):  # daphne's Server.handle_reply is partial'd with this
        raise AssertionError("the wire should not use the ASGI path")

    def sendPreparedMessage(self, prepared):
        self.prepared_sent.append(prepared)


def wire_for(protocol):
    def handle_reply(protocol, message):
        raise AssertionError

    return DaphneWire.find(functools.partial(handle_reply, protocol))


async def test_the_wire_is_only_found_behind_daphne():
    async def plain_send(message):
        pass

    assert DaphneWire.find(plain_send) is None
    assert wire_for(Protocol(Socket())) is not None


async def test_one_frame_is_encoded_and_framed_once_for_every_reader():
    frame = Frame('{"id":1,"text":"Grüße"}')
    protocols = [Protocol(Socket()) for _ in range(3)]
    factory = Factory()
    for protocol in protocols:
        protocol.factory = factory
        assert wire_for(protocol).write(frame)

    assert factory.prepared == 1
    expected = b"\x81" + bytes([len(frame.data)]) + frame.data
    assert [p.transport.socket.sent for p in protocols] == [[expected]] * 3
    assert all(p.transport.written == [] for p in protocols)


async def test_what_the_socket_does_not_take_goes_to_twisted_in_order():
    protocol = Protocol(Socket(accept=3))
    wire = wire_for(protocol)
    wire.write(Frame('{"id":1}'))
    data = protocol.factory.prepareMessage(b'{"id":1}').payloadHybi

    assert protocol.transport.socket.sent == [data[:3]]
    assert protocol.transport.written == [data[3:]]

    # Something is queued now: the next frame must queue behind it, not overtake it.
    protocol.transport._tempDataLen = len(data) - 3
    wire.write(Frame('{"id":2}'))
    assert len(protocol.transport.socket.sent) == 1
    assert len(protocol.transport.written) == 2


async def test_queued_autobahn_data_or_compression_take_autobahns_own_path():
    protocol = Protocol(Socket())
    protocol.send_queue = [(b"x", False)]
    assert wire_for(protocol).write(Frame("{}"))
    assert len(protocol.prepared_sent) == 1
    assert protocol.transport.socket.sent == []


async def test_closed_sockets_are_skipped_and_unaccepted_ones_use_asgi():
    closing = Protocol(Socket())
    closing.state = Protocol.STATE_CLOSING
    assert wire_for(closing).write(Frame("{}")) is True
    assert closing.transport.socket.sent == []

    gone = Protocol(Socket())
    wire = wire_for(gone)
    gone.server.connections[gone]["disconnected"] = 1
    assert wire.write(Frame("{}")) is True
    assert gone.transport.socket.sent == []

    connecting = Protocol(Socket())
    connecting.state = Protocol.STATE_CONNECTING
    assert wire_for(connecting).write(Frame("{}")) is False
