"""Baseline (a): the stock Channels pattern, served by daphne.

Every WebSocket is an AsyncWebsocketConsumer with a channel of its own that joins one
group; a frame POSTed to /publish goes out with `channel_layer.group_send`, so the layer
addresses every reader's channel and every consumer sends it on. In-memory layer by
default; `channels_redis` (RedisChannelLayer, the default channels_redis backend) with
BENCH_REDIS_URL.

    daphne -p 9001 bench.baselines.naive_channels:application
"""

from __future__ import annotations

import os

import django
from django.conf import settings

GROUP = "bench"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-only",  # noqa: S106
        ALLOWED_HOSTS=["*"],
        INSTALLED_APPS=["channels"],
        CHANNEL_LAYERS={
            "default": (
                {
                    "BACKEND": "channels_redis.core.RedisChannelLayer",
                    "CONFIG": {
                        "hosts": [REDIS_URL],
                        "prefix": os.environ.get("BENCH_REDIS_PREFIX", "bench") + ":naive",
                    },
                }
                if REDIS_URL
                else {"BACKEND": "channels.layers.InMemoryChannelLayer"}
            )
        },
    )
    django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.layers import get_channel_layer  # noqa: E402
from channels.routing import ProtocolTypeRouter  # noqa: E402


class Reader(AsyncWebsocketConsumer):
    groups = [GROUP]  # joined on connect, left on disconnect

    async def bench_frame(self, event) -> None:
        await self.send(text_data=event["text"])


async def publish(scope, receive, send) -> None:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    if scope["method"] == "POST" and scope["path"] == "/publish":
        await get_channel_layer().group_send(GROUP, {"type": "bench.frame", "text": body.decode()})
        status = 204
    else:
        status = 404
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": b""})


application = ProtocolTypeRouter({"http": publish, "websocket": Reader.as_asgi()})
