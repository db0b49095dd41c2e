"""Baseline broadcast servers for bench/live_fanout.py, each self-contained.

- naive_channels: the stock Channels way (a consumer and a channel per connection, group_send)
- plain_asgi:     a minimal ASGI app on daphne, no Channels
- raw_websockets: the `websockets` library's own server

Each keeps one group of readers (any path) and broadcasts every published frame to all of
them unchanged. With BENCH_REDIS_URL set, a published frame goes through Redis, so that
several processes serve one group.
"""
