"""Who is on the other end: the client address of an HTTP request or a WebSocket.

Every per-address limit (contributions, votes, notices, login, sign-up, open WebSockets)
and the independence of notices rest on this address, so it must not be something the
client can choose. The direct peer (REMOTE_ADDR, the ASGI scope's ``client``) is the
client unless it is one of the reverse proxies listed in ``settings.TRUSTED_PROXIES``.
Only then is ``X-Forwarded-For`` read, from the right: each proxy adds the address it
was connected from, so the rightmost address that is not a trusted proxy is the client,
and whatever the client wrote into the header itself stands to the left of it and is
never reached. With no trusted proxies (the default) the header is ignored entirely.

daphne must therefore run without ``--proxy-headers``: that option replaces the peer by
the header's *first* entry, which the client writes (docs/deployment.md).

IPv6 subscribers are usually given a whole /64 and may pick any address in it, so limits
count an IPv6 client by its /64 (``address_group``), as allauth's own rate limits do.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# What a client is called when no address can be read (all such clients share limits).
UNKNOWN = "unknown"
# In TRUSTED_PROXIES: a peer without an address, i.e. the proxy on a unix socket.
UNIX_PEER = "unix"
# Limits count IPv6 clients per /64: the usual smallest allocation to one subscriber.
IPV6_GROUP_PREFIX = 64

_FORWARDED_FOR = b"x-forwarded-for"


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[Network, ...]
    unix: bool

    def trusts(self, address: Address | None) -> bool:
        if address is None:
            return self.unix
        return any(address in network for network in self.networks)


@lru_cache(maxsize=8)
def _trusted_proxies(entries: tuple[str, ...]) -> TrustedProxies:
    networks = []
    unix = False
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        if entry.lower() == UNIX_PEER:
            unix = True
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is neither an address, a network nor 'unix'"
            ) from None
    return TrustedProxies(networks=tuple(networks), unix=unix)


def trusted_proxies() -> TrustedProxies:
    entries = settings.TRUSTED_PROXIES
    if isinstance(entries, str):
        entries = entries.split(",")
    return _trusted_proxies(tuple(entries))


# Parsing an address costs more than the rest of a WebSocket's admission together, and the
# same few addresses (the proxy, a client reconnecting) come again and again.
@lru_cache(maxsize=4096)
def parse_address(text: str | None) -> Address | None:
    """An address as peers and proxies write it (``1.2.3.4``, ``1.2.3.4:80``, ``::1``,
    ``[::1]:80``), IPv4-mapped IPv6 as IPv4; None if it is none of these."""
    if not text:
        return None
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # IPv4 with a port; IPv6 has at least two colons
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(peer: str | None, forwarded_for: str | None) -> str:
    """The client's address, from the direct peer's address (None or "" when the peer has
    none, as on a unix socket) and the X-Forwarded-For header as received (several
    header lines joined by commas, in order)."""
    proxies = trusted_proxies()
    client = parse_address(peer)
    if peer and client is None:
        return UNKNOWN  # a peer address we cannot read is nothing to trust or count by
    if not forwarded_for or not proxies.trusts(client):
        return str(client) if client is not None else UNKNOWN
    for entry in reversed(forwarded_for.split(",")):
        hop = parse_address(entry)
        if hop is None:
            # Not an address: no proxy of ours wrote it, so it came from the client side.
            # The client is the last hop that a trusted proxy vouched for.
            break
        client = hop
        if not proxies.trusts(hop):
            return str(hop)
    return str(client) if client is not None else UNKNOWN


def client_ip(request) -> str:
    """The address of the client of an HTTP request (Django's request)."""
    meta = request.META
    return client_address(meta.get("REMOTE_ADDR"), meta.get("HTTP_X_FORWARDED_FOR"))


def scope_client_ip(scope) -> str:
    """The address of the client of an ASGI connection (a WebSocket's scope)."""
    peer = scope.get("client")
    headers = scope.get("headers", ())
    forwarded = [value.decode("latin-1") for name, value in headers if name == _FORWARDED_FOR]
    return client_address(peer[0] if peer else None, ",".join(forwarded) or None)


@lru_cache(maxsize=4096)
def address_group(address: str) -> str:
    """What limits count as one client: an IPv4 address, or the /64 of an IPv6 one."""
    parsed = parse_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        network = ipaddress.IPv6Network(f"{parsed}/{IPV6_GROUP_PREFIX}", strict=False)
        return str(network)
    return str(parsed) if parsed is not None else UNKNOWN
