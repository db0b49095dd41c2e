"""Baseline (c): a broadcast server with the `websockets` library alone.

Readers connect to any path; a publisher connects to /publish and every text frame it
sends is broadcast with `websockets.broadcast` (or, with BENCH_REDIS_URL, published to
Redis and broadcast by every process from there).

    python -m bench.baselines.raw_websockets --port 9003
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal

from websockets.asyncio.server import broadcast, serve

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
CHANNEL = os.environ.get("BENCH_REDIS_PREFIX", "bench") + ":raw-websockets"

clients: set = set()
background: set = set()


async def main(host: str, port: int, backlog: int) -> None:
    redis = None
    if REDIS_URL:
        import redis.asyncio as redis_asyncio

        redis = redis_asyncio.from_url(REDIS_URL)
        pubsub = redis.pubsub()
        await pubsub.subscribe(CHANNEL)

        async def listen() -> None:
            async for message in pubsub.listen():
                if message["type"] == "message":
                    broadcast(clients, message["data"].decode())

        background.add(asyncio.ensure_future(listen()))  # runs until the server stops

    async def handler(websocket) -> None:
        if websocket.request.path == "/publish":
            async for frame in websocket:
                if redis is not None:
                    await redis.publish(CHANNEL, frame)
                else:
                    broadcast(clients, frame)
            return
        clients.add(websocket)
        try:
            await websocket.wait_closed()
        finally:
            clients.discard(websocket)

    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    async with serve(handler, host, port, compression=None, max_size=None, backlog=backlog):
        await stop


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--backlog", type=int, default=4096)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port, args.backlog))
