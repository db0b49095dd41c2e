"""An ASGI application for tests/participation/live/test_daphne_wire.py, served by a real
daphne: it writes frames through `DaphneWire` (the live path's writes into daphne's
protocol and Twisted's transport) and then says, over the ordinary ASGI path, what it
found."""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
django.setup()

from participation.live.consumers import DaphneWire  # noqa: E402
from participation.live.hub import Frame  # noqa: E402
from participation.live.server import LazyPrettyFormat, defer_autobahn_debug_formatting  # noqa: E402

# The sizes of the frames written through the wire: small ones, and one larger than a
# socket takes at once, whose rest goes through Twisted's own queue.
SIZES = (10, 2_000, 4_000_000)


async def application(scope, receive, send):
    if scope["type"] == "lifespan":
        return
    assert scope["type"] == "websocket"
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    wire = DaphneWire.find(send)
    written = []
    if wire is not None:
        for number, size in enumerate(SIZES):
            text = f"{number}:" + "x" * size
            written.append(wire.write(Frame(text)))
    from autobahn.websocket import protocol

    report = {
        "found": wire is not None,
        "direct": bool(wire and wire.direct),
        "written": written,
        "autobahn_deferred": defer_autobahn_debug_formatting()
        and protocol.pformat is LazyPrettyFormat,
    }
    await send({"type": "websocket.send", "text": json.dumps(report)})
    while (await receive())["type"] != "websocket.disconnect":
        pass
