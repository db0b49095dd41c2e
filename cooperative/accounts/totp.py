"""The code an authenticator app shows for a TOTP secret (RFC 6238), for the demo's
`demo_totp_code` command and for tests that sign in as a person with their app would.
allauth checks codes itself; nothing here takes part in a sign-in."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

TOTP_PERIOD = 30  # seconds, as allauth and every authenticator app count them


def totp_code(secret: str, at: float | None = None) -> str:
    """The six digits for this base32 secret (HMAC-SHA1 over the number of 30-second steps
    since the epoch), now or at `at`."""
    counter = int(time.time() if at is None else at) // TOTP_PERIOD
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
