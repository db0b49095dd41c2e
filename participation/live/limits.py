"""How many WebSockets one client address may hold open (LIVE_MAX_SOCKETS_PER_ADDRESS).

A reader needs one socket per open consultation page (a moderator one more for the
queue), so a household or an office behind one address holds a few dozen at most. Without
a limit one client could open sockets until the process runs out of memory or file
descriptors. The limit wraps every WebSocket route (config/asgi.py), before the session
is looked up, so a refused socket costs no database work.

Counted per daphne process, in memory: the load balancer spreads one address's sockets
over the processes, so one address holds at most the limit times the number of
processes. A global count (in Redis) would cost a round trip on every connect and
disconnect of the live path and need cleaning up after a process dies.

The address is the one cooperative.network derives from the trusted proxies (an IPv6
client by its /64). A socket over the limit is accepted and closed at once with code
4429, because a socket refused during the handshake reaches the browser only as 1006,
which the page cannot tell from a network blip; the page waits long before it tries
again (frontend/static/allmende/js/live-socket.js).
"""

from __future__ import annotations

from django.conf import settings

from cooperative.network import address_group, scope_client_ip

CLOSE_TOO_MANY_SOCKETS = 4429


class SocketLimitMiddleware:
    """ASGI middleware: counts the open WebSockets of each client address in this process
    and closes those over the limit with CLOSE_TOO_MANY_SOCKETS."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.open: dict[str, int] = {}

    async def __call__(self, scope, receive, send):
        limit = settings.LIVE_MAX_SOCKETS_PER_ADDRESS
        if scope["type"] != "websocket" or limit <= 0:
            return await self.inner(scope, receive, send)
        address = address_group(scope_client_ip(scope))
        held = self.open.get(address, 0)
        if held >= limit:
            return await _refuse(receive, send)
        self.open[address] = held + 1
        try:
            return await self.inner(scope, receive, send)
        finally:
            left = self.open[address] - 1
            if left:
                self.open[address] = left
            else:
                del self.open[address]


async def _refuse(receive, send) -> None:
    message = await receive()
    if message["type"] != "websocket.connect":
        return  # gone before the handshake finished
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.close", "code": CLOSE_TOO_MANY_SOCKETS})
