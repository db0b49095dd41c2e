"""The web origins an organisation lets frame its consultations (the embed view).

An origin here is a scheme, a host and an optional port, exactly as a browser sends it
and as a Content-Security-Policy `frame-ancestors` source names it:
`https://www.example.de` or `https://www.example.de:8443`. Nothing else is accepted:

- https only; http only for localhost (127.0.0.1, localhost) while DEBUG is on, so a
  developer can try an embed on their own machine. A page served over http can be
  changed by anyone on the way, so it could not be trusted to frame anything.
- no path, query, fragment or user name: `frame-ancestors` matches origins, so a path
  would promise a restriction the browser does not make.
- no wildcards at all, not even a leading `*.`: a subdomain wildcard would also admit
  subdomains the organisation does not control (hosted blogs, forgotten DNS entries that
  someone else takes over). An organisation lists its few sites one by one.
- host names only (no IP addresses outside development); international names are stored
  in their ASCII form (`münster.de` → `xn--mnster-3ya.de`), which is what browsers
  compare.

The text is checked when it is saved (the field's validator, in the admin's form) and the
valid origins are read again through `embed_origins_parse(..., strict=False)` before they
reach a header, so that a value written around the form never puts anything else into
the policy.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_EMBED_ORIGINS = 20
_SHOWN = 80  # the longest part of a refused line a message repeats
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_DEVELOPMENT_HOSTS = ("localhost", "127.0.0.1")
_HTTPS_ONLY = _(
    "“%(value)s”: the address must start with https:// (http:// is accepted only for "
    "localhost while the platform runs in development mode)."
)


def _refuse(message, line: str, **params) -> ValidationError:
    shown = line if len(line) <= _SHOWN else line[: _SHOWN - 1] + "…"
    return ValidationError(message, code="embed_origin", params={"value": shown, **params})


def _ascii_host(host: str, line: str) -> str:
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        ascii_host = ""
    labels = ascii_host.split(".")
    valid = (
        ascii_host
        and len(ascii_host) <= 253
        and all(_LABEL.match(label) for label in labels)
        # Two labels at least and a top-level domain that is not a number (no IPv4).
        and len(labels) >= 2
        and not labels[-1].isdigit()
    )
    if not valid:
        raise _refuse(
            _("“%(value)s”: “%(host)s” is not a valid host name."), line, host=host[:_SHOWN]
        )
    return ascii_host


def embed_origin_normalise(line: str, *, debug: bool | None = None) -> str:
    """One origin in the form a browser compares, or ValidationError saying what is wrong."""
    debug = settings.DEBUG if debug is None else debug
    if any(character.isspace() for character in line):
        raise _refuse(
            _("“%(value)s”: spaces are not allowed. Put each address on a line of its own."),
            line,
        )
    if "*" in line:
        raise _refuse(
            _(
                "“%(value)s”: wildcards (*) are not allowed. List the address of each site "
                "on a line of its own."
            ),
            line,
        )
    scheme, separator, rest = line.partition("://")
    if not separator or not scheme or not rest:
        raise _refuse(
            _("“%(value)s” is not a web address. Enter it like https://www.example.de."), line
        )
    scheme = scheme.lower()
    if scheme not in ("https", "http"):
        raise _refuse(_HTTPS_ONLY, line)
    path_start = re.search(r"[/?#]", rest)
    authority, tail = (
        (rest[: path_start.start()], rest[path_start.start() :]) if path_start else (rest, "")
    )
    # A lone "/" after the host is how browsers show an origin in the address bar.
    if tail not in ("", "/"):
        raise _refuse(
            _(
                "“%(value)s”: enter only the scheme, the host and, if needed, the port, "
                "without a path, query or fragment (like https://www.example.de)."
            ),
            line,
        )
    if "@" in authority:
        raise _refuse(
            _("“%(value)s”: a user name or password does not belong in the address."), line
        )
    host, colon, port = authority.rpartition(":") if ":" in authority else (authority, "", "")
    if colon:
        if not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
            raise _refuse(_("“%(value)s”: the port must be a number from 1 to 65535."), line)
        port = str(int(port))
    development = debug and scheme == "http" and host.lower() in _DEVELOPMENT_HOSTS
    if scheme != "https" and not development:
        raise _refuse(_HTTPS_ONLY, line)
    if debug and host.lower() in _DEVELOPMENT_HOSTS:
        ascii_host = host.lower()
    else:
        ascii_host = _ascii_host(host, line)
    default_port = {"https": "443", "http": "80"}[scheme]
    return f"{scheme}://{ascii_host}" + (f":{port}" if port and port != default_port else "")


def embed_origins_parse(text: str, *, strict: bool = True, debug: bool | None = None) -> list[str]:
    """The origins of `text` (one per line), normalised, without repeats, in their order.

    Strict (saving): every line must be an origin, and there are at most
    MAX_EMBED_ORIGINS of them; all mistakes are reported together. Not strict (reading
    for a header): lines that are not valid now are left out."""
    origins: list[str] = []
    errors: list[ValidationError] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        try:
            origin = embed_origin_normalise(line, debug=debug)
        except ValidationError as error:
            errors.append(error)
            continue
        if origin not in origins:
            origins.append(origin)
    if not strict:
        return origins[:MAX_EMBED_ORIGINS]
    if len(origins) > MAX_EMBED_ORIGINS:
        errors.append(
            ValidationError(
                _("At most %(limit)d addresses may embed consultations."),
                code="embed_origins_limit",
                params={"limit": MAX_EMBED_ORIGINS},
            )
        )
    if errors:
        raise ValidationError(errors)
    return origins


def validate_embed_origins(text: str) -> None:
    embed_origins_parse(text)
