"""Baseline (b): a minimal ASGI broadcast app on daphne, no Channels.

It keeps the `send` callables of all open WebSockets in a set and, for every frame
POSTed to /publish, awaits `send` for each of them. With BENCH_REDIS_URL the POST goes
to a Redis pub/sub channel instead, and every process broadcasts what it receives there.

    daphne -p 9002 bench.baselines.plain_asgi:application
"""

from __future__ import annotations

import asyncio
import os

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
CHANNEL = os.environ.get("BENCH_REDIS_PREFIX", "bench") + ":plain-asgi"

clients: set = set()
_redis = None
_subscriber: asyncio.Task | None = None


async def broadcast(text: str) -> None:
    message = {"type": "websocket.send", "text": text}
    for send in tuple(clients):
        await send(message)


async def _redis_client():
    global _redis, _subscriber
    if _redis is None:
        import redis.asyncio as redis

        _redis = redis.from_url(REDIS_URL)
        pubsub = _redis.pubsub()
        await pubsub.subscribe(CHANNEL)
        _subscriber = asyncio.ensure_future(_listen(pubsub))
    return _redis


async def _listen(pubsub) -> None:
    async for message in pubsub.listen():
        if message["type"] == "message":
            await broadcast(message["data"].decode())


async def application(scope, receive, send) -> None:
    if scope["type"] == "websocket":
        await receive()  # websocket.connect
        if REDIS_URL:
            await _redis_client()
        await send({"type": "websocket.accept"})
        clients.add(send)
        try:
            while (await receive())["type"] != "websocket.disconnect":
                pass
        finally:
            clients.discard(send)
    elif scope["type"] == "http":
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        status = 404
        if scope["method"] == "POST" and scope["path"] == "/publish":
            if REDIS_URL:
                await (await _redis_client()).publish(CHANNEL, body)
            else:
                await broadcast(body.decode())
            status = 204
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})
